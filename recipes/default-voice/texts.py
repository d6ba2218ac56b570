"""Stage 1: the text pool for the default voice's corpus, with two held-out test sets.

    python recipes/default-voice/texts.py OUT_DIR [--seed 1234] [--test 250] [--agent 15000] [--wordnet 8000]

Sources (each sentence 5-25 words of clean English unless said otherwise):
- Debian's `fortunes` and `fortunes-min` (/usr/share/games/fortunes; public-domain and
  BSD-licensed quotations), cut into sentences: 4,857.
- 1,500 generated sentences with numbers, money, dates, times and questions (`generated_sentences`).
- Voice-agent sentences from templates (`agent_texts.py`, with Faker for names, streets, cities and
  companies): replies, questions of every kind, prices, times, dates, phone numbers, codes,
  addresses, lists; 1-25 words.
- Usage examples from WordNet 3.0's glosses (Debian `wordnet-base`, WordNet license: use, copy and
  distribute with its notice): everyday sentences of 5-25 words.

Held out: 250 sentences of the first two sources (`test.txt`, 200 + 50, the set the voice was first
measured on) and the hand-written voice-agent sentences in `agent-test.txt` beside this script
(written apart from the templates). No training sentence equals a held-out one (compared without
case and punctuation).

Writes OUT_DIR/train.txt, test.txt and agent-test.txt as `id|text` lines, and train.spoken.txt: the
training texts as the package's frontend normalizes them ("$4.50" -> "four dollars and fifty
cents"), which is what the teacher is given, so its audio says the words the model is trained on.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

FORTUNES = Path("/usr/share/games/fortunes")
WORDNET = Path("/usr/share/wordnet")
AGENT_TEST = Path(__file__).with_name("agent-test.txt")
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


def wordnet_examples() -> list[str]:
    """The quoted usage examples of WordNet's glosses ("he rented a color television"), as sentences."""
    if not WORDNET.is_dir():
        sys.exit(f"{WORDNET} is missing: apt-get install wordnet-base")
    sentences = set()
    for part in ["noun", "verb", "adj", "adv"]:
        for line in (WORDNET / f"data.{part}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or "|" not in line:  # the license header; entries without a gloss
                continue
            for example in re.findall(r'"([^"]+)"', line.split("|", 1)[1]):
                example = " ".join(example.split()).strip(" ;,")
                if not 5 <= len(example.split()) <= 25 or not _CLEAN.match(example) or "--" in example or example.endswith(("-", ":")):
                    continue
                example = example[0].upper() + example[1:]
                sentences.add(example if example[-1] in ".?!" else example + ".")
    return sorted(sentences)


def _key(sentence: str) -> str:
    """A sentence without case, punctuation or spacing, to find held-out sentences among generated ones."""
    return re.sub(r"[^a-z0-9$%]+", " ", sentence.lower()).strip()


def spoken_text(frontend, text: str) -> str:
    """The words the package's frontend speaks for `text` (normalized, sentence by sentence)."""
    return " ".join(segment.normalized for segment in frontend(text))


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
    parser.add_argument("--agent", type=int, default=15000, help="voice-agent template sentences (agent_texts.py)")
    parser.add_argument("--wordnet", type=int, default=8000, help="WordNet usage examples")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from agent_texts import agent_sentences

    from text import TextFrontend

    # The first two sources and their split are drawn exactly as when the voice was first trained,
    # so test.txt stays the same 250 sentences.
    rng = random.Random(args.seed)
    fortunes, generated = fortune_sentences(), generated_sentences(rng, args.generated)
    rng.shuffle(fortunes)
    rng.shuffle(generated)
    test_generated = args.test // 5
    test = fortunes[: args.test - test_generated] + generated[:test_generated]
    train = fortunes[args.test - test_generated :] + generated[test_generated:]
    agent_test = [line.strip() for line in AGENT_TEST.read_text(encoding="utf-8").splitlines() if line.strip()]

    held_out = {_key(sentence) for sentence in test + agent_test}
    new_sources = []
    for prefix, sentences, count in [("va", agent_sentences(args.seed, args.agent), args.agent), ("wn", wordnet_examples(), args.wordnet)]:
        sentences = [sentence for sentence in sentences if _key(sentence) not in held_out]
        random.Random(args.seed).shuffle(sentences)
        new_sources.append((prefix, sentences[:count]))
    train = [sentence for sentence in train if _key(sentence) not in held_out]

    args.out_dir.mkdir(parents=True, exist_ok=True)
    rows = [(f"tr{i:05d}", s) for i, s in enumerate(train)]
    rows += [(f"{prefix}{i:05d}", s) for prefix, sentences in new_sources for i, s in enumerate(sentences)]
    frontend = TextFrontend()
    outputs = {
        "train.txt": [f"{utterance_id}|{text}" for utterance_id, text in rows],
        "train.spoken.txt": [f"{utterance_id}|{spoken_text(frontend, text)}" for utterance_id, text in rows],
        "test.txt": [f"te{i:05d}|{s}" for i, s in enumerate(test)],
        "agent-test.txt": [f"at{i:03d}|{s}" for i, s in enumerate(agent_test)],
    }
    for name, lines in outputs.items():
        (args.out_dir / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = ", ".join(f"{len(sentences)} {prefix}" for prefix, sentences in new_sources)
    print(
        f"{len(fortunes)} fortune + {len(generated)} generated sentences, {counts}: {len(rows)} train; "
        f"{len(test)} test, {len(agent_test)} agent-test -> {args.out_dir}"
    )


if __name__ == "__main__":
    main()
