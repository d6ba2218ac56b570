"""The voice beside the mean of several teacher recordings of the same sentences, against the parity targets.

Piper samples noise, so one recording of a set moves its WER by a point from take to take; the
targets compare the voice at its defaults with the mean over takes:

- WER at most 0.3 points above the teacher's mean;
- DNSMOS overall at least the teacher's mean minus 0.03;
- P.808 at least the teacher's mean minus 0.05.

    python benchmarks/teacher_parity.py data/default-voice/agent-test.csv \
        --takes data/default-voice/raw data/default-voice/raw-take2 data/default-voice/raw-take3 \
        --asr-model data/whisper-base --out runs/eval/agent-test-parity.json [--voice default OTHER_VOICE_DIR]

Each take is `<id>.wav` files spoken by `recipes/default-voice/teacher.py` into its own folder, scored
from the teacher's own 22.05 kHz files. The JSON report has the transcripts in `tts eval`'s layout
(the first take as "reference"), so `benchmarks/error_kinds.py` reads it. Needs the eval extra.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

TARGETS = {"wer": 0.3, "dnsmos_ovrl": -0.03, "dnsmos_p808": -0.05}
"""Allowed distance from the teacher's mean: WER may be this much higher, the scores this much lower."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sentences", type=Path, help="id|text lines")
    parser.add_argument("--takes", nargs="+", type=Path, required=True, help="folders of teacher recordings, one take each")
    parser.add_argument("--voice", nargs="+", default=[None], help="voices to score, each against the same takes (default: the embedded one)")
    parser.add_argument("--asr-model", required=True, help="faster-whisper model name or local CTranslate2 directory")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    import tts
    from tts.evaluation.run import evaluate_references, evaluate_voice, read_sentences
    from tts.evaluation.scorers import WhisperTranscriber, dnsmos

    sentences = read_sentences(args.sentences, args.limit)
    transcriber = WhisperTranscriber(str(args.asr_model), threads=args.threads)
    takes = [evaluate_references(take, sentences, transcriber, dnsmos) for take in args.takes]
    voices = {}  # name -> (runtime, its scores at its defaults), every voice against the same scored takes
    for name in args.voice:
        voice = tts.load(name, threads=args.threads)
        voices[name or "default"] = voice.runtime, evaluate_voice(voice, sentences, transcriber, dnsmos, settings=[("flow_map", 1)])[0]
    print(f"{len(sentences)} sentences from {args.sentences}; each voice at its defaults, {len(takes)} teacher take(s)")
    for name, (runtime, _) in voices.items():
        print(f"{name}: {runtime}")
    print()
    print("| | WER % | DNSMOS OVRL | P.808 |\n| --- | ---: | ---: | ---: |")
    for take, result in zip(args.takes, takes):
        print(f"| teacher, {take.name} | {result['wer']:.2f} | {result['dnsmos_ovrl']:.3f} | {result['dnsmos_p808']:.3f} |")
    mean = {key: statistics.mean(t[key] for t in takes) for key in TARGETS}
    print(f"| teacher, mean | {mean['wer']:.2f} | {mean['dnsmos_ovrl']:.3f} | {mean['dnsmos_p808']:.3f} |")
    gaps, met = {}, {}
    for name, (_, ours) in voices.items():
        print(f"| {name} | {ours.wer:.2f} | {ours.dnsmos_ovrl:.3f} | {ours.dnsmos_p808:.3f} |")
        gaps[name] = {k: getattr(ours, k) - mean[k] for k in TARGETS}
        met[name] = {k: gaps[name][k] <= TARGETS[k] if k == "wer" else gaps[name][k] >= TARGETS[k] for k in TARGETS}
    for name in voices:
        print(f"| {name} - teacher | " + " | ".join(f"{gaps[name][k]:+.{2 if k == 'wer' else 3}f} ({'met' if met[name][k] else 'missed'})" for k in TARGETS) + " |")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "sentences": str(args.sentences), "count": len(sentences), "settings": [{**vars(ours), "voice": name} for name, (_, ours) in voices.items()],
            "reference": takes[0], "references": {str(take): result for take, result in zip(args.takes, takes)}, "teacher_mean": mean, "gaps": gaps, "met": met,
        }
        args.out.write_text(json.dumps(report, indent=2, default=float))


if __name__ == "__main__":
    main()
