"""Stage 1: the text pool for the default voice's corpus, with a held-out test split.

    python recipes/default-voice/texts.py OUT_DIR [--seed 1234] [--test 250]

Sources: the Debian `fortunes` and `fortunes-min` packages (/usr/share/games/fortunes; install them
with apt-get), cut into sentences and filtered to clean, speakable 5-25 word English; plus generated
sentences with numbers, money, dates, times and questions, so the normalizer's output is covered.
Writes OUT_DIR/train.txt and OUT_DIR/test.txt as `id|text` lines.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

FORTUNES = Path("/usr/share/games/fortunes")
_CLEAN = re.compile(r"^[A-Za-z0-9 ,.'?!;:$%\-]+$")


def fortune_sentences() -> list[str]:
    from text import split_sentences

    if not FORTUNES.is_dir():
        sys.exit(f"{FORTUNES} is missing: apt-get install fortunes fortunes-min")
    sentences = set()
    for path in sorted(FORTUNES.glob("*.u8")):
        for entry in path.read_text(encoding="utf-8", errors="ignore").split("\n%\n"):
            lines = entry.splitlines()
            # Poems, code, dialogue and ASCII art are indented or short-lined; attributions start with "--".
            if any(line.startswith((" ", "\t")) or line.strip().startswith("--") for line in lines):
                continue
            prose = " ".join(line.strip() for line in lines if line.strip())
            for sentence in split_sentences(prose):
                if _speakable(sentence):
                    sentences.add(sentence)
    return sorted(sentences)


def _speakable(sentence: str) -> bool:
    words = sentence.split()
    return (
        5 <= len(words) <= 25
        and bool(_CLEAN.match(sentence))
        and sentence[0].isupper()
        and sentence[-1] in ".?!"
        and sum(w.isupper() and len(w) > 1 for w in words) <= 1  # no shouting or acronym soup
        and ":" not in sentence[:12]  # "Q:", "A:", "Note:" headers
    )


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
NAMES = ["Anna", "David", "Maria", "James", "Sophie", "Daniel", "Laura", "Peter", "Grace", "Thomas"]
PLACES = ["the station", "the office", "the library", "the airport", "the museum", "the market", "the clinic"]
ITEMS = ["tickets", "books", "chairs", "laptops", "boxes", "bottles", "plants"]


def generated_sentences(rng: random.Random, count: int) -> list[str]:
    """Sentences that exercise numbers, money, dates, times, ordinals, percentages and questions."""

    def money():
        return f"${rng.randint(1, 999)}.{rng.randint(0, 99):02d}" if rng.random() < 0.6 else f"${rng.randint(2, 90) * 100:,}"

    def time_of_day():
        return f"{rng.randint(1, 12)}:{rng.choice([0, 5, 15, 20, 30, 45, 50]):02d} {rng.choice(['a.m.', 'p.m.'])}"

    def date():
        return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(1950, 2030)}"

    templates = [
        lambda: f"The meeting with {rng.choice(NAMES)} is on {date()}.",
        lambda: f"Your total comes to {money()}, including tax.",
        lambda: f"Is the train to {rng.choice(PLACES)[4:]} still leaving at {time_of_day()}?",
        lambda: f"We ordered {rng.randint(2, 9999):,} {rng.choice(ITEMS)} for {rng.choice(PLACES)}.",
        lambda: f"About {rng.randint(2, 98)}% of the people we asked said yes.",
        lambda: f"{rng.choice(NAMES)} finished in {rng.choice(['1st', '2nd', '3rd', '4th', '5th', '11th', '21st'])} place this year.",
        lambda: f"Could you call me back at {time_of_day()} tomorrow?",
        lambda: f"The temperature dropped to {rng.randint(-20, 40)} degrees on {rng.choice(MONTHS)} {rng.randint(1, 28)}.",
        lambda: f"How much is {rng.randint(2, 99)} times {rng.randint(2, 99)}, and who taught you that?",
        lambda: f"Room {rng.randint(100, 999)} is on the {rng.choice(['second', 'third', 'fifth', 'ninth'])} floor, next to {rng.choice(PLACES)}.",
        lambda: f"The flight lands at {time_of_day()} and costs {money()} one way.",
        lambda: f"Did {rng.choice(NAMES)} really move to {rng.choice(['Boston', 'Denver', 'Seattle', 'Austin'])} in {rng.randint(1980, 2024)}?",
        lambda: f"Please read the code {rng.randint(1000, 9999)} slowly, then press the star key.",
        lambda: f"The package weighs {rng.randint(1, 60)}.{rng.randint(1, 9)} kilograms and measures {rng.randint(10, 120)} centimeters.",
        lambda: f"Why did {rng.choice(NAMES)} leave {rng.choice(PLACES)} so early on {rng.choice(['Monday', 'Friday', 'Sunday'])}?",
    ]
    sentences = set()
    while len(sentences) < count:
        sentences.add(rng.choice(templates)())
    return sorted(sentences)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--test", type=int, default=250, help="held-out sentences (80% fortunes, 20% generated)")
    parser.add_argument("--generated", type=int, default=1500)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    fortunes, generated = fortune_sentences(), generated_sentences(rng, args.generated)
    rng.shuffle(fortunes)
    rng.shuffle(generated)
    test_generated = args.test // 5
    test = fortunes[: args.test - test_generated] + generated[:test_generated]
    train = fortunes[args.test - test_generated :] + generated[test_generated:]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, sentences, prefix in [("train", train, "tr"), ("test", test, "te")]:
        lines = [f"{prefix}{i:05d}|{s}" for i, s in enumerate(sentences)]
        (args.out_dir / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(fortunes)} fortune sentences + {len(generated)} generated: {len(train)} train, {len(test)} test -> {args.out_dir}")


if __name__ == "__main__":
    main()
