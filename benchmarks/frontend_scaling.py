"""Text frontend throughput against input length: shows the time is linear in the length.

    python benchmarks/frontend_scaling.py [--sizes 12500 25000 50000 100000]

Prints characters, sentences, seconds and characters per second for each size; a fresh frontend
(empty phoneme cache) is used for every size.
"""

from __future__ import annotations

import argparse
import random
import time

from text import TextFrontend

_SENTENCES = [
    "Dr. Smith paid $12.99 for 3 books on March 3rd, 2024.",
    "The meeting starts at 7:45 pm in room 405, doesn't it?",
    "NASA launched 2 rockets, and the FBI watched 50% of them.",
    "It is 5 km from St. Louis, i.e. about 3.1 miles.",
    "Call 555-123-4567 before 9 am tomorrow!",
    "In 1990 the population was 200,000; by 2005 it had doubled.",
]


def make_text(num_chars: int, seed: int = 0) -> str:
    """Varied English of exactly `num_chars` characters; number words vary so the cache cannot help."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < num_chars:
        sentence = rng.choice(_SENTENCES).replace("3", str(rng.randint(1, 999)))
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)[:num_chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12_500, 25_000, 50_000, 100_000])
    args = parser.parse_args()
    TextFrontend()("Warm up espeak-ng.")
    print(f"{'chars':>8} {'sentences':>9} {'seconds':>8} {'chars/s':>9}")
    for size in args.sizes:
        text = make_text(size)
        frontend = TextFrontend()
        start = time.perf_counter()
        segments = frontend(text)
        elapsed = time.perf_counter() - start
        print(f"{size:>8} {len(segments):>9} {elapsed:>8.3f} {size / elapsed:>9.0f}")


if __name__ == "__main__":
    main()
