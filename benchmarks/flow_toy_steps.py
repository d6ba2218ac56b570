"""Quality against steps on the 2-D toy problem (ring of 8 Gaussians).

    python benchmarks/flow_toy_steps.py [--steps 1500] [--seed 0]

Trains, with the same MLP and budget: flow matching, SplitMeanFlow from scratch, SplitMeanFlow
distilled from the flow-matching model, and MeanFlow (JVP, adaptive weighting p = 1) for comparison.
Prints the energy distance to 2,000 held-out data points (lower is better; two independent data
samples score about 0.001) for Euler with 1-32 steps and the flow map with 1, 2 and 4 steps.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

from tts.flow import ObjectiveConfig, TimeSampler, make_noise, sample

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the toy lives with the tests that prove it
from flow_toy import energy_distance, ring_of_gaussians, train_toy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1500, help="training steps per model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    reference = ring_of_gaussians(2000, torch.Generator().manual_seed(123))
    noise = make_noise((2000, 2), seed=7)
    flow_map = ObjectiveConfig(method="splitmeanflow", time=TimeSampler(boundary_fraction=0.75))
    meanflow = ObjectiveConfig(method="meanflow", adaptive_weight_power=1.0, time=TimeSampler(boundary_fraction=0.75))
    common = dict(steps=args.steps, seed=args.seed, lr=2e-3, batch_size=512)

    rows = []
    start = time.perf_counter()
    fm = train_toy(ObjectiveConfig(method="flow_matching"), **common)
    with torch.inference_mode():
        rows += [(f"flow matching, Euler {k}", k, sample(fm, noise, k, "euler")) for k in (1, 2, 4, 8, 16, 32)]
    trained = {
        "SplitMeanFlow from scratch": train_toy(flow_map, **common),
        "SplitMeanFlow distilled": train_toy(flow_map, init=fm, teacher=fm, **common),
        "MeanFlow (JVP)": train_toy(meanflow, **common),
    }
    for name, net in trained.items():
        with torch.inference_mode():
            rows += [(f"{name}, flow map {k}", k, sample(net, noise, k)) for k in (1, 2, 4)]
    print(f"{'sampler':<42} {'NFE':>4} {'energy distance':>16}")
    for name, nfe, samples in rows:
        print(f"{name:<42} {nfe:>4} {energy_distance(samples, reference):>16.4f}")
    print(f"(trained {len(trained) + 1} models x {args.steps} steps in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
