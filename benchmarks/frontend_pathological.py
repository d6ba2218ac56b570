"""The text frontend on pathological input: each kind at two lengths, and the ratio of their times.

    python benchmarks/frontend_pathological.py [--small 10000] [--large 100000] [--limit 60]

Every stage should run in time linear in its input, so the large/small time ratio should stay near
large/small (10 by default). Each kind is a unit repeated to length (runs of marks, unclosed inline
phonemes, digits, unspeakable characters, ...). An input that raises the frontend's documented
ValueError (nothing to speak) counts as handled; anything else is reported as a crash, and a run over
--limit seconds as a hang.
"""

from __future__ import annotations

import argparse
import time
import warnings

from text import TextFrontend

KINDS = {
    "dots": ".",
    "exclamations": "!",
    "question marks": "?",
    "mixed marks": ".!?",
    "dot space": ". ",
    "bang space capital": "! A",
    "unclosed inline": "[[ ",
    "closing brackets": "]] ",
    "nested openers": "[[[[",
    "inline specials": "[[$^_]] ",
    "digits": "1",
    "spaced digits": "1 ",
    "money": "$1 ",
    "decimal chain": "1.2.",
    "commas": ", ",
    "newlines": "\n",
    "blank lines": "\n \n",
    "tabs and spaces": " \t",
    "emoji": "\U0001f600",
    "lone surrogates": "\ud800 ",
    "hyphens": "-",
    "initials": "A. ",
    "abbreviations": "Dr. ",
    "one long word": "a",
    "quotes": "\"' ",
    "percent and units": "5% 3km ",
    "urls": "http://a.b/c ",
}


def run(frontend: TextFrontend, text: str) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        frontend(text)
        outcome = "ok"
    except ValueError:
        outcome = "nothing to speak"
    except Exception as error:  # noqa: BLE001 - a crash is what this benchmark looks for
        outcome = f"CRASH {type(error).__name__}: {error}"[:80]
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds after which a run counts as a hang")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    TextFrontend()("Warm up espeak-ng.")
    print(f"{'kind':20s} {'small s':>8} {'large s':>8} {'ratio':>6}  outcome")
    worst, failures = 0.0, 0
    for kind, unit in KINDS.items():
        times, outcomes = [], []
        for size in (args.small, args.large):
            text = "Hello " + unit * (size // len(unit))
            seconds, outcome = run(TextFrontend(), text)  # a fresh frontend: no phoneme cache
            times.append(seconds)
            outcomes.append(outcome)
        ratio = times[1] / max(times[0], 1e-6)
        hang = times[1] > args.limit
        failures += hang or any(o.startswith("CRASH") for o in outcomes)
        worst = max(worst, ratio)
        print(f"{kind:20s} {times[0]:8.3f} {times[1]:8.3f} {ratio:6.1f}  {outcomes[1]}{'  HANG' if hang else ''}")
    print(f"{len(KINDS)} kinds, {args.small} vs {args.large} characters: worst ratio {worst:.1f}, hangs or crashes: {failures}")


if __name__ == "__main__":
    main()
