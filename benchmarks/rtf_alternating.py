"""Whole text-to-waveform RTF of several voices (or one voice's float32 and int8 graphs), alternating.

    python benchmarks/rtf_alternating.py --sentences data/default-voice/test.csv --count 80 --voices default:float32 default:int8
    python benchmarks/rtf_alternating.py --sentences data/default-voice/agent-test.csv --count 60 --voices default /tmp/other-voice

Each voice is a name or directory, with ":int8" or ":float32" for those graphs (without: its default). Runs alternate so that all see
the same machine load (RTF on shared 2-core machines moves by 20%); the last lines are medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

import tts
from tts.evaluation.run import read_sentences


def load(spec: str, threads: int):
    """A voice from "NAME", "DIR" or either with ":int8" or ":float32" (without one: the voice's
    default, its int8 graphs where it ships them); "default" is the embedded voice."""
    name, _, variant = spec.partition(":")
    choices = {"": None, "int8": True, "float32": False}
    if variant not in choices:
        raise SystemExit(f"{spec!r}: the variants are ':int8' and ':float32'")
    return tts.load(None if name == "default" else name, threads=threads, int8=choices[variant])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", nargs="+", default=["default:float32", "default:int8"], help="names or directories, each optionally with :int8 or :float32")
    parser.add_argument("--sentences", required=True, help="id|text lines")
    parser.add_argument("--count", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    texts = [text for _, text in read_sentences(args.sentences, args.count)]
    voices = {spec: load(spec, args.threads) for spec in args.voices}
    for voice in voices.values():
        voice.synthesize("Warming up the voice.")
    rtfs = {spec: [] for spec in voices}
    for round_index in range(args.rounds):
        for spec, voice in voices.items():
            start = time.perf_counter()
            seconds = sum(voice.synthesize(text).duration for text in texts)
            rtfs[spec].append((time.perf_counter() - start) / seconds)
            print(f"round {round_index + 1} {spec}: RTF {rtfs[spec][-1]:.4f} ({seconds:.0f} s of audio)", flush=True)
    for spec, values in rtfs.items():
        print(f"median {spec}: RTF {statistics.median(values):.4f}")


if __name__ == "__main__":
    main()
