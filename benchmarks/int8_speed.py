"""Whole text-to-waveform RTF of a voice's float32 and int8 graphs, alternating, on held-out sentences.

    python benchmarks/int8_speed.py --sentences data/default-voice/test.csv --count 80 --rounds 2

Runs alternate so that both see the same machine load (RTF on shared 2-core machines moves by 20%).
"""

from __future__ import annotations

import argparse
import time

import torch

import tts
from tts.evaluation.run import read_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=None, help="voice name or directory (default: the embedded voice)")
    parser.add_argument("--sentences", required=True, help="id|text lines")
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    texts = [text for _, text in read_sentences(args.sentences, args.count)]
    voices = {"float32": tts.load(args.voice, device="cpu"), "int8": tts.load(args.voice, device="cpu", int8=True)}
    for voice in voices.values():
        voice.synthesize("Warming up the voice.")
    for round_index in range(args.rounds):
        for name, voice in voices.items():
            start = time.perf_counter()
            seconds = sum(voice.synthesize(text).duration for text in texts)
            print(f"round {round_index + 1} {name:8s} RTF {(time.perf_counter() - start) / seconds:.4f} ({seconds:.0f} s of audio)", flush=True)


if __name__ == "__main__":
    main()
