"""Seconds per acoustic training step at the default voice's size, without and with the mel critic.

    python benchmarks/acoustic_train_step.py [--threads 2] [--batch 16] [--frames 400] [--steps 5]

Alternates the two setups step by step (the same machine load for both) and prints the median
seconds per step and their ratio. Random phoneme ids and mels stand in for data: step time does not
depend on the content.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import torch

from model_files.typed_config import from_dict, to_dict
from tts.model.config import AcousticConfig
from tts.training.config import AcousticTrainConfig, AdversarialConfig
from tts.training.module import AcousticLightning

DEFAULT_VOICE = {
    "encoder": {"channels": 192, "filter_channels": 768, "heads": 2, "layers": 4},
    "decoder": {"dim": 256, "intermediate_dim": 768, "layers": 6},
    "segment_frames": 192,
    "n_vocab": 180,
}


def build(adversarial: bool) -> tuple[AcousticLightning, torch.optim.Optimizer]:
    torch.manual_seed(0)
    config = AcousticTrainConfig(model=from_dict(AcousticConfig, DEFAULT_VOICE), adversarial=AdversarialConfig(weight=1.0 if adversarial else 0.0))
    module = AcousticLightning(to_dict(config), {})
    return module, torch.optim.AdamW(module.model.parameters(), lr=1e-4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--frames", type=int, default=400, help="mel frames per utterance (400 is 4.3 s)")
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(0)
    phonemes = args.frames // 6
    batch = {
        "ids": torch.randint(1, 180, (args.batch, phonemes), generator=generator),
        "id_lengths": torch.full((args.batch,), phonemes),
        "mel": torch.randn(args.batch, 100, args.frames, generator=generator) - 2.0,
        "mel_lengths": torch.full((args.batch,), args.frames),
    }
    setups = {"flow-map losses": build(False), "with the mel critic": build(True)}
    times = {name: [] for name in setups}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # self.log outside a Trainer
        for step in range(args.steps + 1):
            for name, (module, optimizer) in setups.items():
                start = time.perf_counter()
                loss = module.training_step(batch, step)
                loss.backward()
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                if step:  # the first step warms up
                    times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"batch {args.batch} x {args.frames} frames, {args.threads} threads, median of {args.steps} steps each, alternating")
    for name, seconds in medians.items():
        print(f"  {name}: {seconds:.2f} s/step")
    print(f"  ratio: {medians['with the mel critic'] / medians['flow-map losses']:.2f}")


if __name__ == "__main__":
    main()
