"""Vocoder speed on CPU: real-time factor, peak memory, and streaming first-chunk latency per backend.

    python benchmarks/vocoder_speed.py [--threads 2] [--seconds 10]

Each backend runs in its own process so peak memory (max RSS) is its own. Vocos models use random
weights of the stated size: speed does not depend on the weight values. "vocos-512x8" is the
architecture of the pretrained vocos-mel-24khz.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

BACKENDS = ["griffin-lim", "vocos-384x8", "vocos-512x8", "vocos-256x4"]


def build(name: str):
    import torch

    from vocoder import GriffinLimVocoder, VocosConfig, VocosVocoder

    if name == "griffin-lim":
        return GriffinLimVocoder()
    dim, layers = (int(v) for v in name.split("-")[1].split("x"))
    torch.manual_seed(0)
    return VocosVocoder(VocosConfig(dim=dim, intermediate_dim=3 * dim, num_layers=layers)).eval()


def measure(name: str, seconds: float, threads: int, chunk_frames: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    vocoder = build(name)
    frames = int(seconds * vocoder.sample_rate / vocoder.hop_length)
    mel = torch.randn(1, 100, frames, generator=torch.Generator().manual_seed(0)) - 4.0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    vocoder.decode(mel[..., :50])  # warm-up
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        vocoder.decode(mel)
        runs.append(time.perf_counter() - start)
    rtf = min(runs) / seconds
    first_chunk = []
    for _ in range(5):
        start = time.perf_counter()
        next(iter(vocoder.stream([mel], chunk_frames)))
        first_chunk.append(time.perf_counter() - start)
    right = vocoder.context_frames[1]
    return {
        "backend": name,
        "rtf": rtf,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "decode_rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024,
        "first_chunk_ms": 1000 * sorted(first_chunk)[len(first_chunk) // 2],
        "right_context_ms": 1000 * right * vocoder.hop_length / vocoder.sample_rate,
        "parameters_m": sum(p.numel() for p in vocoder.parameters()) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--chunk-frames", type=int, default=16)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.seconds, args.threads, args.chunk_frames)))
        return
    print(f"{args.seconds:.0f} s of audio, {args.threads} threads, streaming chunks of {args.chunk_frames} frames")
    print(f"{'backend':14s} {'params':>7s} {'RTF':>7s} {'peak RSS':>9s} {'decode +RSS':>11s} {'1st chunk':>10s} {'right ctx':>10s}")
    for name in BACKENDS:
        command = [sys.executable, __file__, "--one", name, "--threads", str(args.threads), "--seconds", str(args.seconds), "--chunk-frames", str(args.chunk_frames)]
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        print(
            f"{name:14s} {result['parameters_m']:6.2f}M {result['rtf']:7.4f} {result['peak_rss_mb']:7.0f}MB "
            f"{result['decode_rss_growth_mb']:9.0f}MB {result['first_chunk_ms']:8.1f}ms {result['right_context_ms']:8.0f}ms"
        )


if __name__ == "__main__":
    main()
