"""A vocoder's ceiling: resynthesize reference recordings from their own mels and score them like `tts eval`.

    python benchmarks/vocoder_resynthesis.py --vocoder tts/voices/default/vocoder \
        --sentences data/default-voice/test.csv --audio-dir data/default-voice/wavs --asr-model DIR [--limit 50] \
        [--sharpen 2]

Prints WER/CER and DNSMOS of the references and of their resynthesis side by side: what the vocoder
alone costs, before any acoustic-model error. `--sharpen S` sharpens each mel before the vocoder, as a
voice's `sharpen` option does (`tts.engine.sharpening.sharpen_mel`). Needs the `eval` extra.
"""

from __future__ import annotations

import argparse

import torch

from tts.engine.sharpening import sharpen_mel
from tts.evaluation.run import read_sentences, score
from tts.evaluation.scorers import WhisperTranscriber, dnsmos
from vocoder.audio_io import load_audio
from vocoder.features import LogMelSpectrogram
from vocoder.loading import load_vocoder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocoder", required=True, help="an exported vocoder directory, vocos-pretrained or griffin-lim")
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--audio-dir", required=True)
    parser.add_argument("--asr-model", required=True)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sharpen", type=float, default=1.0, help="spectral sharpening of the mels first (1: none)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    sentences = read_sentences(args.sentences, args.limit)
    vocoder = load_vocoder(args.vocoder)
    features = LogMelSpectrogram(vocoder.mel_config)
    references, resynthesized = [], []
    for utterance_id, _ in sentences:
        samples, _ = load_audio(f"{args.audio_dir}/{utterance_id}.wav", vocoder.sample_rate)
        references.append(samples)
        with torch.inference_mode():
            mel = sharpen_mel(features(torch.from_numpy(samples))[None].numpy(), args.sharpen)
            resynthesized.append(vocoder.decode(torch.from_numpy(mel))[0].numpy())
    texts = [text for _, text in sentences]
    transcriber = WhisperTranscriber(args.asr_model, threads=args.threads)
    print(f"{len(sentences)} sentences, vocoder {args.vocoder}, sharpen {args.sharpen:g}")
    print("| audio | WER % | CER % | DNSMOS ovrl | DNSMOS P.808 |\n| --- | ---: | ---: | ---: | ---: |")
    for name, audios in (("reference", references), ("resynthesized", resynthesized)):
        result = score(audios, vocoder.sample_rate, texts, transcriber, dnsmos)
        print(f"| {name} | {result['wer']:.2f} | {result['cer']:.2f} | {result['dnsmos_ovrl']:.2f} | {result['dnsmos_p808']:.2f} |")


if __name__ == "__main__":
    main()
