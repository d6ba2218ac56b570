"""Copy synthesis: recordings -> their own log-mels -> each vocoder -> DNSMOS (and with --asr-model,
WER and CER), beside the recordings.

What a vocoder gives a speaker when its input is the real thing rather than an acoustic model's
estimate: its ceiling on that speaker, so a voice's loss can be split between the two networks.
Needs the eval extra (speechmos) and torch.

    python benchmarks/copy_synthesis.py --recordings data/default-voice/wavs --sentences data/default-voice/test.csv \
        --count 30 tts/voices/default/vocoder runs/vocoder-long/export [--asr-model data/whisper-base]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tts.evaluation.run import load_references, read_sentences, score
from tts.evaluation.scorers import SCORER_RATE, dnsmos
from tts.finetune_eval import copy_synthesis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vocoders", nargs="+", help="exported vocoder directories (config.json + model.safetensors)")
    parser.add_argument("--recordings", required=True, help="folder of <id>.wav")
    parser.add_argument("--sentences", required=True, help="id|text rows naming the recordings to use")
    parser.add_argument("--count", type=int, default=30, help="the first COUNT rows (default 30)")
    parser.add_argument("--asr-model", help="a faster-whisper model (name or local directory): adds WER and CER")
    args = parser.parse_args()
    transcriber = None
    if args.asr_model:
        from tts.evaluation.scorers import WhisperTranscriber

        transcriber = WhisperTranscriber(args.asr_model)
    rows = read_sentences(args.sentences)[: args.count]
    wavs = [Path(args.recordings) / f"{utterance_id}.wav" for utterance_id, _ in rows]
    texts = [text for _, text in rows]
    recorded = score(load_references(args.recordings, rows), SCORER_RATE, texts, transcriber, dnsmos)
    print(f"{len(wavs)} recordings from {args.recordings}")
    print("| | WER % | CER % | DNSMOS OVRL | DNSMOS P.808 |\n| --- | ---: | ---: | ---: | ---: |")

    def row(name: str, scores: dict) -> str:
        rates = " | ".join(f"{scores[key]:.2f}" if scores.get(key) is not None else "-" for key in ("wer", "cer"))
        return f"| {name} | {rates} | {scores['dnsmos_ovrl']:.3f} | {scores['dnsmos_p808']:.3f} |"

    print(row("the recordings", recorded))
    for directory in args.vocoders:
        print(row(directory, copy_synthesis(Path(directory), wavs, dnsmos, texts, transcriber)))


if __name__ == "__main__":
    main()
