"""How much spectral detail a voice's audio keeps, against recordings of the same sentences: the
measurement behind a voice's `sharpen` default.

    python benchmarks/spectral_detail.py --voice tts/voices/default --sentences data/default-voice/agent-test.csv \
        --audio-dir data/default-voice/wavs [--limit 40] [--sharpen 1 1.5 2 2.5 3]

Detail is a log-mel's deviation from its 5-band moving average (what `sharpen` scales), as a standard
deviation over the voiced frames (frame energy above the utterance's 30th percentile) and the bands
whose average lies below `--max-hz` (the default voice's teacher has nothing above 11 kHz, and a
band edge at the log floor would swamp the measure). Each row gives
the mean over sentences of the detail of the audio the voice speaks at that `sharpen`, measured from
the audio (so the vocoder's own smoothing counts), and its ratio to the recordings'. Also printed: the
detail of the acoustic model's mel itself, and of the recordings resynthesized by the voice's vocoder.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

import tts
from tts.engine.sharpening import SHARPEN_BANDS, band_average
from tts.evaluation.run import read_sentences
from vocoder.audio_io import load_audio
from vocoder.features import LogMelSpectrogram


def band_centers(n_mels: int, sample_rate: int) -> np.ndarray:
    """Centre frequencies (Hz) of an HTK-scale mel filterbank from 0 Hz to Nyquist, as the features use."""
    top = 2595 * np.log10(1 + sample_rate / 2 / 700)
    return 700 * (10 ** (np.linspace(0, top, n_mels + 2)[1:-1] / 2595) - 1)


def detail(mel: np.ndarray, bands: int) -> float:
    """Log-mel (n_mels, T) -> standard deviation of its detail around the 5-band average over the first
    `bands` bands, voiced frames only."""
    energy = mel.mean(axis=0)
    voiced = energy > np.percentile(energy, 30)
    return float((mel - band_average(mel))[:bands, voiced].std())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voice", default=None, help="a voice bundle directory (default: the embedded voice)")
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--audio-dir", required=True, help="recordings <id>.wav of the same sentences")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--sharpen", type=float, nargs="+", default=[1.0, 1.5, 2.0, 2.5, 3.0])
    parser.add_argument("--max-hz", type=float, default=10000.0, help="measure bands whose 5-band average lies below this")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    voice = tts.load(args.voice, threads=args.threads)
    mel_config = voice.acoustic.config.mel
    features = LogMelSpectrogram(mel_config)
    centers = band_centers(mel_config.n_mels, mel_config.sample_rate)
    bands = int(np.sum(centers[np.minimum(np.arange(len(centers)) + SHARPEN_BANDS // 2, len(centers) - 1)] < args.max_hz))

    def audio_detail(samples: np.ndarray) -> float:
        with torch.inference_mode():
            return detail(features(torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32))[None])[0].numpy(), bands)

    sentences = read_sentences(args.sentences, args.limit)
    recorded, resynthesized, generated = [], [], []
    for utterance_id, text in sentences:
        samples, _ = load_audio(f"{args.audio_dir}/{utterance_id}.wav", voice.sample_rate)
        recorded.append(audio_detail(samples))
        with torch.inference_mode():
            mel = features(torch.from_numpy(samples)[None])[0].numpy()
        resynthesized.append(audio_detail(np.clip(voice.vocoder.decode(mel), -1, 1)))
        generated.append(detail(np.concatenate(voice.mels(text, sharpen=1.0), axis=1), bands))
    reference = np.array(recorded)
    print(f"{len(sentences)} sentences from {args.sentences}, bands 0-{bands - 1} (below {args.max_hz:g} Hz); recordings' detail {reference.mean():.3f}")
    print("| audio | detail | ratio to the recordings |\n| --- | ---: | ---: |")
    rows = [("recordings resynthesized by the vocoder", resynthesized), ("the acoustic model's mel, sharpen 1", generated)]
    rows += [(f"the voice's audio, sharpen {s:g}", [audio_detail(voice.synthesize(text, sharpen=s).samples) for _, text in sentences]) for s in args.sharpen]
    for name, values in rows:
        values = np.array(values)
        print(f"| {name} | {values.mean():.3f} | {np.mean(values / reference):.2f} |")


if __name__ == "__main__":
    main()
