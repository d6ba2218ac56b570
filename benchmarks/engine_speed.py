"""The CPU runtime (ONNX Runtime + numpy) against the torch engine on the same voice, alternating.

    python benchmarks/engine_speed.py [--voice DIR] [--threads 2] [--rounds 5]

Both engines speak the same sentences at the voice's defaults, in turns, in one process; each round
times every sentence once per engine. Prints each engine's median text-to-waveform RTF (synthesis
seconds per second of audio), the median per-round time ratio, and the largest sample difference
between the engines. Needs torch (pip install ".[torch]").
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import tts

SENTENCES = [
    "Hello there, how can I help you today?",
    "Your appointment is on Tuesday, March 4th, at 3:30 in the afternoon.",
    "The total comes to $48.20, including tax.",
    "Sure, I've added milk, eggs and bread to your shopping list.",
    "The quarterly report, which arrived on Tuesday, shows that revenue grew by twelve percent "
    "while costs stayed flat, so the team will present the results to the board next week.",
    "Would you like me to read it back to you?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=None, help="voice name or directory (default: the embedded voice)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    engines = {
        "cpu runtime": tts.load(args.voice, device="cpu", threads=args.threads, backend="onnx"),
        "torch": tts.load(args.voice, device="cpu", threads=args.threads, backend="torch"),
    }
    audio = {name: [voice.synthesize(text).samples for text in SENTENCES] for name, voice in engines.items()}  # warm-up
    seconds = sum(len(samples) for samples in audio["torch"]) / engines["torch"].sample_rate
    difference = max(float(np.abs(a - b).max()) for a, b in zip(audio["cpu runtime"], audio["torch"]))
    times = {name: [] for name in engines}
    for _ in range(args.rounds):
        for name, voice in engines.items():
            start = time.perf_counter()
            for text in SENTENCES:
                voice.synthesize(text)
            times[name].append(time.perf_counter() - start)
    print(f"{len(SENTENCES)} sentences, {seconds:.1f} s of audio, {args.threads} threads, {args.rounds} alternating rounds")
    for name, voice in engines.items():
        print(f"  {name:12s} RTF median {statistics.median(times[name]) / seconds:.4f}  ({voice.runtime})")
    ratios = [a / b for a, b in zip(times["cpu runtime"], times["torch"])]
    print(f"  cpu runtime / torch time: median ratio {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f})")
    print(f"  largest sample difference between the engines: {difference:.2e}")


if __name__ == "__main__":
    main()
