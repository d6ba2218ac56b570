"""Choose a voice's default temperature: score held-out sentences at several noise scales, like `tts eval`.

    python benchmarks/temperature_sweep.py --sentences data/default-voice/test.csv --asr-model DIR \
        --first 0 --count 100 --temperatures 0.9 0.667 0.4 0.2 0

Pick on one slice of the held-out sentences, confirm on another (`--first 100 --count 150`), then
write the winner into the voice: `tts export CKPT DIR --temperature T`. Needs the `eval` extra.
"""

from __future__ import annotations

import argparse

import tts
from tts.evaluation.run import evaluate_voice, read_sentences
from tts.evaluation.scorers import WhisperTranscriber, dnsmos


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voice", default=None, help="voice name or directory (default: the embedded voice)")
    parser.add_argument("--sentences", required=True, help="id|text lines, e.g. a recipe's held-out test.csv")
    parser.add_argument("--asr-model", required=True, help="faster-whisper model name or local directory")
    parser.add_argument("--first", type=int, default=0, help="skip this many sentences")
    parser.add_argument("--count", type=int, default=100, help="then score this many")
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.9, 0.667, 0.4, 0.2, 0.0])
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    sentences = read_sentences(args.sentences)[args.first : args.first + args.count]
    if not sentences:
        raise SystemExit(f"no sentences in {args.sentences} after the first {args.first}")
    voice = tts.load(args.voice, threads=args.threads)
    transcriber = WhisperTranscriber(args.asr_model, threads=args.threads)
    print(f"sentences {args.first + 1}-{args.first + len(sentences)} of {args.sentences}, {args.steps} step(s), seed 0")
    print("| temperature | WER % | CER % | DNSMOS ovrl | DNSMOS P.808 |\n| ---: | ---: | ---: | ---: | ---: |")
    for temperature in args.temperatures:
        (result,) = evaluate_voice(voice, sentences, transcriber, dnsmos, [("flow_map", args.steps)], temperature=temperature)
        print(f"| {temperature:g} | {result.wer:.2f} | {result.cer:.2f} | {result.dnsmos_ovrl:.3f} | {result.dnsmos_p808:.3f} |", flush=True)


if __name__ == "__main__":
    main()
