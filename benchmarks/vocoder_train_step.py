"""Seconds per vocoder training step on this machine, recon-only vs GAN, for a few discriminator widths.

    python benchmarks/vocoder_train_step.py [--threads 2] [--batch 8] [--segment 16384] [--steps 5]

Random audio stands in for speech: step time does not depend on the content.
"""

from __future__ import annotations

import argparse
import time

import torch

from model_files.typed_config import to_dict
from vocoder.training.config import (
    DiscriminatorConfig,
    VocoderLossConfig,
    VocoderTrainConfig,
)
from vocoder.training.discriminators import parameter_count
from vocoder.vocos_model import VocosConfig

SETUPS = {
    "recon-only": dict(loss=VocoderLossConfig(gan_start_step=10**9)),
    "gan, vocos-size discriminators": dict(discriminators=DiscriminatorConfig()),
    "gan, slim (16-128 period, 16 resolution)": dict(
        discriminators=DiscriminatorConfig(period_channels=(16, 32, 64, 128, 128), resolution_channels=16)
    ),
}


class StepTimer:
    """Lightning callback: wall time of each training batch after the first (warm-up)."""

    def __init__(self):
        self.times, self._start = [], None

    def on_train_batch_start(self, *args):
        self._start = time.perf_counter()

    def on_train_batch_end(self, *args):
        self.times.append(time.perf_counter() - self._start)


def time_setup(name: str, overrides: dict, generator: VocosConfig, batch: int, segment: int, steps: int) -> None:
    import lightning as L

    from vocoder.training.module import VocoderGAN

    config = VocoderTrainConfig(model=generator, **overrides)
    module = VocoderGAN(to_dict(config))
    audio = 0.1 * torch.randn((steps + 1) * batch, segment, generator=torch.Generator().manual_seed(0))
    timer = type("Timer", (StepTimer, L.Callback), {})()
    trainer = L.Trainer(
        max_steps=-1, max_epochs=1, accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, callbacks=[timer], limit_val_batches=0,
    )
    trainer.fit(module, torch.utils.data.DataLoader(audio, batch_size=batch))
    seconds = sum(timer.times[1:]) / max(1, len(timer.times) - 1)
    disc = parameter_count(module.discriminators)
    print(f"{name:44s} generator {parameter_count(module.generator)/1e6:5.2f}M  discriminators {disc/1e6:6.2f}M  {seconds:6.2f} s/step")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--segment", type=int, default=16384)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--only", default=None, help="run one setup by name prefix")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = VocosConfig(dim=args.dim, intermediate_dim=3 * args.dim, num_layers=args.layers)
    print(f"batch {args.batch} x {args.segment} samples, {args.threads} threads")
    for name, overrides in SETUPS.items():
        if args.only is None or name.startswith(args.only):
            time_setup(name, overrides, generator, args.batch, args.segment, args.steps)


if __name__ == "__main__":
    main()
