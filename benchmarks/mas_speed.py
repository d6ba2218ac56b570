"""Monotonic alignment search speed: a batch of 32 x 200 phonemes x 1000 frames (target: under 1 s).

    python benchmarks/mas_speed.py [--threads 2]
"""

from __future__ import annotations

import argparse
import time

import torch

from tts.model.alignment import maximum_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import numba

    numba.set_num_threads(args.threads)
    start = time.perf_counter()
    maximum_path(torch.randn(1, 3, 5), torch.ones(1, 3, 5))
    print(f"numba compile (first call): {time.perf_counter() - start:.2f} s")
    for batch, phonemes, frames in [(32, 200, 1000), (16, 100, 500)]:
        log_prob = torch.randn(batch, phonemes, frames, generator=torch.Generator().manual_seed(0))
        mask = torch.ones_like(log_prob)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            maximum_path(log_prob, mask)
            runs.append(time.perf_counter() - start)
        print(f"{batch} x {phonemes} x {frames}: median {sorted(runs)[2]:.3f} s, best {min(runs):.3f} s ({args.threads} threads)")


if __name__ == "__main__":
    main()
