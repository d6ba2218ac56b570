"""Where a Vocos vocoder loses quality: its magnitude or its phase. Resynthesizes recordings from their
own mels and swaps the halves of the spectrum with the recording's own STFT:

    python benchmarks/vocoder_magnitude_phase.py --vocoder tts/voices/default/vocoder \
        --sentences data/default-voice/agent-test.csv --audio-dir data/default-voice/wavs [--limit 20]

Rows (mean DNSMOS overall, signal, background, P.808): the recording through STFT and inverse STFT
(the ceiling), the vocoder, the vocoder's magnitude with the recording's phase, and the recording's
magnitude with the vocoder's phase. If the vocoder's magnitude with the true phase scores near the
vocoder, the magnitude is what limits it (more capacity or adversarial training of the spectrum), not
the phase. Needs the `eval` extra and an ONNX export (the spectrum graph).
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
import torch

from tts.evaluation.run import read_sentences
from tts.evaluation.scorers import dnsmos, to_scorer_rate
from vocoder.audio_io import load_audio
from vocoder.features import LogMelSpectrogram
from vocoder.istft import istft
from vocoder.onnx_vocos import OnnxVocos


def stft(samples: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """(N,) audio -> (n_fft // 2 + 1, T) complex STFT, centred Hann frames: what the vocoder's head inverts."""
    window = torch.hann_window(n_fft)
    return torch.stft(torch.from_numpy(samples), n_fft, hop, window=window, center=True, return_complex=True).numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocoder", required=True, help="an exported Vocos vocoder directory")
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--audio-dir", required=True, help="recordings <id>.wav of the sentences")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    vocoder = OnnxVocos(args.vocoder, threads=args.threads)
    mel_config = vocoder.mel_config
    n_fft, hop, rate = mel_config.n_fft, mel_config.hop_length, mel_config.sample_rate
    features = LogMelSpectrogram(mel_config)

    def invert(spectrum: np.ndarray) -> np.ndarray:
        return istft(spectrum.real[None].astype(np.float32), spectrum.imag[None].astype(np.float32), n_fft, hop, vocoder.window)[0]

    rows: dict[str, list[dict]] = {}  # row name -> DNSMOS of each utterance, in the order `audio` lists them
    for utterance_id, _ in read_sentences(args.sentences, args.limit):
        samples = load_audio(f"{args.audio_dir}/{utterance_id}.wav", rate)[0].astype(np.float32)
        mel = features(torch.from_numpy(samples)[None]).numpy()
        real, imaginary = vocoder.coefficients(mel)
        generated, recorded = (real + 1j * imaginary)[0], stft(samples, n_fft, hop)
        frames = min(generated.shape[1], recorded.shape[1])
        generated, recorded = generated[:, :frames], recorded[:, :frames]
        audio = {
            "recording (STFT round trip)": invert(recorded),
            "vocoder": invert(generated),
            "vocoder magnitude, recording phase": invert(np.abs(generated) * np.exp(1j * np.angle(recorded))),
            "recording magnitude, vocoder phase": invert(np.abs(recorded) * np.exp(1j * np.angle(generated))),
        }
        for name, samples_out in audio.items():
            rows.setdefault(name, []).append(dnsmos(to_scorer_rate(samples_out, rate)))
    print(f"{'':38s} {'ovrl':>6s} {'sig':>6s} {'bak':>6s} {'p808':>6s}")
    for name, scores in rows.items():
        means = [statistics.mean(s[key] for s in scores) for key in ("ovrl", "sig", "bak", "p808")]
        print(f"{name:38s} " + " ".join(f"{m:6.3f}" for m in means))


if __name__ == "__main__":
    main()
