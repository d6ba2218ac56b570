"""Acoustic model speed on CPU: training throughput and inference real-time factor per sampler.

    python benchmarks/acoustic_speed.py [--config recipes/custom/config.yaml] [--threads 2]

Training: steps/s and mel frames/s at the config's batch size on random 200-frame batches (MAS,
prior, duration and flow losses, backward, AdamW). Inference: RTF of phonemes -> mel for a
~10 s utterance at 1, 2 and 4 flow-map steps and 32 Euler steps. Random weights: speed does not
depend on them.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import torch

from tts.engine.torch_engine import TorchAcoustic
from tts.flow import FlowMapObjective
from tts.model import AcousticModel
from tts.training.losses import loss_terms
from tts.training.run import load_acoustic_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="recipes/custom/config.yaml")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=6)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    config = load_acoustic_config(args.config)
    model = AcousticModel(replace(config.model, n_vocab=180))
    parameters = sum(p.numel() for p in model.parameters()) / 1e6
    print(f"{args.config}: {parameters:.2f}M parameters, {args.threads} threads")

    generator = torch.Generator().manual_seed(0)
    batch, phonemes, frames = config.data.batch_size, 60, 200
    ids = torch.randint(1, 180, (batch, phonemes), generator=generator)
    id_lengths = torch.full((batch,), phonemes)
    mel = torch.randn(batch, 100, frames, generator=generator) * 2 - 5
    mel_lengths = torch.full((batch,), frames)
    objective = FlowMapObjective(config.flow.objective)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    model.train()
    times = []
    for _ in range(args.steps + 1):
        start = time.perf_counter()
        terms, _ = loss_terms(model, ids, id_lengths, mel, mel_lengths, objective, generator=generator)
        optimizer.zero_grad()
        (terms["duration"] + terms["prior"] + terms["flow"]).backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    step = sum(times[1:]) / args.steps
    print(f"training ({config.flow.objective.method}): batch {batch} x {frames} frames: {step:.2f} s/step, "
          f"{1 / step:.2f} steps/s, {batch * frames / step:.0f} mel frames/s")

    engine = TorchAcoustic(model)
    ids = [torch.randint(1, 180, (120,), generator=generator).tolist()]
    durations = np.full((1, 120), 8)  # 960 frames, about 10.2 s
    seconds = 960 * config.model.mel.hop_length / config.model.mel.sample_rate
    print(f"inference: {seconds:.1f} s utterance")
    for sampler, steps in [("flow_map", 1), ("flow_map", 2), ("flow_map", 4), ("euler", 32)]:
        engine.synthesize(ids, steps=steps, sampler=sampler, durations=durations, seed=0)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            engine.synthesize(ids, steps=steps, sampler=sampler, durations=durations, seed=0)
            runs.append(time.perf_counter() - start)
        print(f"  {sampler:8s} {steps:2d} steps: RTF {min(runs) / seconds:.4f} ({min(runs) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
