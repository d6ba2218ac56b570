"""Copy synthesis: recordings -> their own log-mels -> each vocoder -> DNSMOS, beside the recordings.

What a vocoder gives a speaker when its input is the real thing rather than an acoustic model's
estimate: its ceiling on that speaker, so a voice's loss can be split between the two networks.
Needs the eval extra (speechmos) and torch.

    python benchmarks/copy_synthesis.py --recordings data/default-voice/wavs --sentences data/default-voice/test.csv \
        --count 30 tts/voices/default/vocoder runs/vocoder-long/export
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from tts.evaluation.run import read_sentences
from tts.evaluation.scorers import SCORER_RATE, dnsmos
from tts.finetune_eval import copy_synthesis
from vocoder.audio_io import load_audio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vocoders", nargs="+", help="exported vocoder directories (config.json + model.safetensors)")
    parser.add_argument("--recordings", required=True, help="folder of <id>.wav")
    parser.add_argument("--sentences", required=True, help="id|text rows naming the recordings to use")
    parser.add_argument("--count", type=int, default=30, help="the first COUNT rows (default 30)")
    args = parser.parse_args()
    rows = read_sentences(args.sentences)[: args.count]
    wavs = [Path(args.recordings) / f"{utterance_id}.wav" for utterance_id, _ in rows]
    scores = [dnsmos(load_audio(path, SCORER_RATE)[0]) for path in wavs]
    print(f"{len(wavs)} recordings from {args.recordings}")
    print("| | DNSMOS OVRL | DNSMOS P.808 |\n| --- | ---: | ---: |")
    print(f"| the recordings | {statistics.mean(s['ovrl'] for s in scores):.3f} | {statistics.mean(s['p808'] for s in scores):.3f} |")
    for directory in args.vocoders:
        copied = copy_synthesis(Path(directory), wavs, dnsmos)
        print(f"| {directory} | {copied['dnsmos_ovrl']:.3f} | {copied['dnsmos_p808']:.3f} |")


if __name__ == "__main__":
    main()
