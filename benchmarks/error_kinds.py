"""Where the words are lost: ASR errors counted by kind, the voice beside its teacher's recordings.

Reads the JSON reports of `tts eval ... --reference-dir DIR --out REPORT.json` (the voice's and the
recordings' Whisper transcripts of the same sentences), aligns each transcript with its sentence after
Whisper's English normalizer (as the WER is computed), and counts the errors by the kind of word lost:

- function words: short closed-class words ("a", "the", "on", "is"), which fuse with their neighbours;
- word endings: a word heard with another ending ("calls" -> "call", "cast" -> "cass", "-ed" dropped),
  i.e. a substitution whose words share all but their last two letters;
- numbers and times: words with digits, and "am"/"pm" (Whisper writes numbers as digits);
- other words: every other substitution or deletion; insertions are counted apart.

    python benchmarks/error_kinds.py runs/eval/test.json runs/eval/agent-test.json [--examples 5]

Needs the eval extra (jiwer, whisper-normalizer). Prints one markdown table per report.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

FUNCTION_WORDS = frozenset(
    "a an the of on in at to for and or but is are was were be been it its as by with from that this these those "
    "i you we he she they me him her us them my your our their do does did have has had will would can could "
    "not no so if than then there here what when where who how up out off into over".split()
)
KINDS = ("function words", "word endings", "numbers and times", "other words", "insertions")


def kind_of(reference: str | None, hypothesis: str | None) -> str:
    """The kind of one aligned error: a substitution (both words), a deletion (no hypothesis) or an insertion."""
    if reference is None:
        return "insertions"
    if any(c.isdigit() for c in reference) or reference in ("am", "pm"):
        return "numbers and times"
    if reference in FUNCTION_WORDS:
        return "function words"
    if hypothesis is not None and min(len(reference), len(hypothesis)) >= 3:
        shared = len(_common_prefix(reference, hypothesis))
        if shared >= max(len(reference), len(hypothesis)) - 2:
            return "word endings"
    return "other words"


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def count_errors(references: list[str], hypotheses: list[str]) -> tuple[Counter, dict[str, list[str]], int]:
    """(errors per kind, examples per kind as 'reference -> hypothesis', words in the references)."""
    import jiwer
    from whisper_normalizer.english import EnglishTextNormalizer

    normalizer = EnglishTextNormalizer()
    counts, examples, words = Counter(), {kind: [] for kind in KINDS}, 0
    for reference, hypothesis in zip(references, hypotheses):
        ref, hyp = normalizer(reference), normalizer(hypothesis)
        if not ref.strip():
            continue
        ref_words, hyp_words = ref.split(), hyp.split()
        words += len(ref_words)
        if not hyp.strip():
            counts["other words"] += len(ref_words)
            continue
        for chunk in jiwer.process_words(ref, hyp).alignments[0]:
            if chunk.type == "equal":
                continue
            refs = ref_words[chunk.ref_start_idx : chunk.ref_end_idx]
            hyps = hyp_words[chunk.hyp_start_idx : chunk.hyp_end_idx]
            if chunk.type == "substitute":
                pairs = list(zip(refs, hyps))
            elif chunk.type == "delete":
                pairs = [(r, None) for r in refs]
            else:
                pairs = [(None, h) for h in hyps]
            for r, h in pairs:
                kind = kind_of(r, h)
                counts[kind] += 1
                examples[kind].append(f"{r or '-'} -> {h or '-'}")
    return counts, examples, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", type=Path, help="tts eval --out JSON reports made with --reference-dir")
    parser.add_argument("--examples", type=int, default=0, help="print this many of the voice's errors of each kind")
    args = parser.parse_args()
    from tts.evaluation.run import read_sentences

    for path in args.reports:
        report = json.loads(path.read_text())
        if not report.get("reference"):
            raise SystemExit(f"{path}: no reference transcripts; run tts eval with --reference-dir")
        texts = [text for _, text in read_sentences(report["sentences"], report["count"])]
        voice = report["settings"][0]
        rows = {"voice": count_errors(texts, voice["transcripts"]), "teacher": count_errors(texts, report["reference"]["transcripts"])}
        words = rows["voice"][2]
        print(f"\n{path} ({len(texts)} sentences, {words} words; voice: {voice['sampler']} {voice['steps']}, WER {voice['wer']:.2f} %;"
              f" recordings: WER {report['reference']['wer']:.2f} %)\n")
        print("| kind | voice | teacher |\n| --- | ---: | ---: |")
        for kind in KINDS:
            print(f"| {kind} | {rows['voice'][0][kind]} | {rows['teacher'][0][kind]} |")
        print(f"| all | {sum(rows['voice'][0].values())} | {sum(rows['teacher'][0].values())} |")
        if args.examples:
            for kind in KINDS:
                shown = rows["voice"][1][kind][: args.examples]
                if shown:
                    print(f"- {kind}: {'; '.join(shown)}")


if __name__ == "__main__":
    main()
