"""Fuzz the text frontend: N random texts, counting crashes (anything but its documented ValueError)
and hangs (a text that takes longer than --limit seconds).

    python benchmarks/frontend_fuzz.py [--texts 10000] [--seed 0] [--limit 10]

Texts mix random code points (lone surrogates included), pieces people write (words, numbers, money,
abbreviations, emoji, other scripts) and the pieces that once broke the frontend (runs of sentence
marks, unclosed or odd inline phonemes, special symbols), up to 2,000 characters each.
"""

from __future__ import annotations

import argparse
import random
import time
import warnings

from text import TextFrontend

PIECES = list("abcXYZ 0123456789.,;:!?-'\"$€£%&@/#()[]°\n\t") + [
    "Dr.", "St.", "привет", "😀", "é", "\x00", "[[", "]]", "[[ ", "...", "!!!", "$", "^", "_", "\ud800", "ж", "1,000,000",
    "$4.50", "3:30 pm", "March 3rd", "2024", "12%", "km", "http://x.y/z", "e.g.", "A. B.", " - ", "\u2014", "\u2026",
]


def random_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:  # random code points, any plane
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 300)))
    if kind < 0.5:  # long runs of one piece
        return rng.choice(["Hello ", ""]) + rng.choice(PIECES) * rng.randrange(1, 2000)
    return "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 600)))[:2000]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=float, default=10.0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    frontend = TextFrontend()
    rng = random.Random(args.seed)
    crashes, crashed, hangs, spoken, slowest = {}, 0, 0, 0, 0.0
    start = time.perf_counter()
    for _ in range(args.texts):
        text = random_text(rng)
        began = time.perf_counter()
        try:
            frontend(text)
            spoken += 1
        except ValueError:
            pass
        except Exception as error:  # noqa: BLE001 - a crash is what this looks for
            crashes.setdefault(type(error).__name__, repr(text[:60]))
            crashed += 1
        seconds = time.perf_counter() - began
        slowest = max(slowest, seconds)
        hangs += seconds > args.limit
    print(f"{args.texts} random texts (seed {args.seed}) in {time.perf_counter() - start:.0f} s: {spoken} spoken, "
          f"{args.texts - spoken - crashed} refused with the documented ValueError")
    print(f"  crashes: {crashed} ({len(crashes)} kinds) {crashes or ''}; hangs over {args.limit:g} s: {hangs}; slowest text {slowest:.2f} s")


if __name__ == "__main__":
    main()
