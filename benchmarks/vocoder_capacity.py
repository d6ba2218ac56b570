"""Vocoder capacity against speed in the CPU runtime: RTF of the spectrum graph + inverse STFT for
Vocos sizes, float32 and int8, beside the shipped size in the same run.

    python benchmarks/vocoder_capacity.py [--threads 2] [--seconds 8] [--rounds 5]

Random weights of each size (speed does not depend on their values); int8 graphs get a fixed input
range for every product, as calibration would give them. Sizes run alternating, round by round, so
they share the machine's load; medians and each size's ratio to the shipped one are printed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from model_files.onnx_export import export_graphs
from vocoder.onnx_vocos import OnnxVocos
from vocoder.vocos_model import VocosConfig, VocosVocoder

SIZES = {"256x4 (shipped)": (256, 4), "384x6": (384, 6), "512x8 (vocos-mel-24khz)": (512, 8)}


def write(directory: Path, dim: int, layers: int) -> None:
    torch.manual_seed(0)
    model = VocosVocoder(VocosConfig(dim=dim, intermediate_dim=3 * dim, num_layers=layers)).eval()
    model.save(directory)
    weights = {name: (-4.0, 4.0) for name, value in model.spectrum.state_dict().items() if value.ndim == 2}
    export_graphs(model.graph_specs(), directory, ranges={"spectrum": weights})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        engines = {}
        for name, (dim, layers) in SIZES.items():
            directory = Path(root) / name.split()[0]
            write(directory, dim, layers)
            parameters = sum(p.numel() for p in VocosVocoder.load(directory).parameters())
            for int8 in (False, True):
                engines[(name, int8)] = (OnnxVocos(directory, threads=args.threads, int8=int8), parameters)
        vocoder = next(iter(engines.values()))[0]
        frames = int(args.seconds * vocoder.sample_rate / vocoder.hop_length)
        mel = np.random.default_rng(0).standard_normal((1, 100, frames)).astype(np.float32) - 4.0
        times = {key: [] for key in engines}
        for round_index in range(args.rounds + 1):
            for key, (engine, _) in engines.items():
                start = time.perf_counter()
                engine.decode(mel)
                if round_index:  # the first round warms up
                    times[key].append(time.perf_counter() - start)
    shipped = {int8: statistics.median(times[(next(iter(SIZES)), int8)]) for int8 in (False, True)}
    print(f"{args.seconds:g} s of mel, {args.threads} threads, median of {args.rounds} alternating rounds")
    print("| size | parameters | graphs | RTF | time / shipped size's |")
    print("| --- | ---: | --- | ---: | ---: |")
    for (name, int8), (_, parameters) in engines.items():
        seconds = statistics.median(times[(name, int8)])
        print(f"| {name} | {parameters / 1e6:.1f}M | {'int8' if int8 else 'float32'} | {seconds / args.seconds:.4f} | {seconds / shipped[int8]:.2f} |")


if __name__ == "__main__":
    main()
