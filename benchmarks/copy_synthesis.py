"""Copy synthesis: recordings -> their own log-mels -> each vocoder -> DNSMOS, beside the recordings.

What a vocoder gives a speaker when its input is the real thing rather than an acoustic model's
estimate: its ceiling on that speaker, so a voice's loss can be split between the two networks.
Needs the eval extra (speechmos) and torch.

    python benchmarks/copy_synthesis.py --recordings data/default-voice/wavs --sentences data/default-voice/test.csv \
        --count 30 tts/voices/default/vocoder runs/vocoder-long/export
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
    args = parser.parse_args()
    rows = read_sentences(args.sentences)[: args.count]
    wavs = [Path(args.recordings) / f"{utterance_id}.wav" for utterance_id, _ in rows]
    recorded = score(load_references(args.recordings, rows), SCORER_RATE, [text for _, text in rows], None, dnsmos)
    print(f"{len(wavs)} recordings from {args.recordings}")
    print("| | DNSMOS OVRL | DNSMOS P.808 |\n| --- | ---: | ---: |")
    print(f"| the recordings | {recorded['dnsmos_ovrl']:.3f} | {recorded['dnsmos_p808']:.3f} |")
    for directory in args.vocoders:
        copied = copy_synthesis(Path(directory), wavs, dnsmos)
        print(f"| {directory} | {copied['dnsmos_ovrl']:.3f} | {copied['dnsmos_p808']:.3f} |")


if __name__ == "__main__":
    main()
