"""How close a voice is to a speaker's recordings: pitch (median and range) and mel-cepstral distance.

Pitch comes from SwiftF0 (`swift-f0`, MIT: a 135 kB ONNX network on ONNX Runtime, no torch). Measured on
the default voice's teacher recordings (a low male voice, about 90 Hz): WORLD's DIO read medians of
144-180 Hz and Harvest 113-160 Hz, where pYIN and the recordings' own harmonics (odd harmonics as strong
as even ones at the lower F0) say 87-101 Hz; SwiftF0 agrees with pYIN within 2 Hz at 1% of real time,
against pYIN's 30%.

The mel-cepstral distance (MCD) compares 24 cepstral coefficients of the log-amplitude mel spectrum
(c0, the level, left out; the spectrum floored 50 dB under its peak) after aligning the two utterances by dynamic time warping (librosa's DTW),
in dB as the literature reports it: (10 / ln 10) * sqrt(2 * sum((c - c')^2)), averaged over the path.
It is computed from an 80-band mel spectrum of 16 kHz audio rather than from SPTK's all-pass mel-cepstrum,
so compare values measured here with each other, not with published ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tts.data.pitch import track
from tts.evaluation.scorers import EXTRA_HINT, SCORER_RATE

CEPSTRA = 24
MEL_BANDS = 80
HOP = 160  # 10 ms at 16 kHz
N_FFT = 1024
FLOOR = 1e-5
"""Mel power floor for the distance, relative to the utterance's peak (-50 dB)."""


@dataclass
class Contour:
    """One utterance's pitch track: frame times (s) and F0 in Hz, NaN where unvoiced."""

    times: np.ndarray
    f0: np.ndarray

    @property
    def voiced(self) -> np.ndarray:
        return self.f0[~np.isnan(self.f0)]


def available() -> bool:
    """Whether the pitch tracker and librosa (the eval extra's) are installed."""
    import importlib.util

    return all(importlib.util.find_spec(module) is not None for module in ("swift_f0", "librosa"))


def pitch(samples: np.ndarray, sample_rate: int) -> Contour:
    """The F0 contour of mono float samples (any rate; SwiftF0 resamples to its own 16 kHz)."""
    times, f0 = track(samples, sample_rate)
    return Contour(times, f0)


def pitch_summary(contours: list[Contour]) -> dict:
    """Pooled over every voiced frame: median F0 (Hz) and the range from the 10th to the 90th percentile,
    in semitones. None where nothing was voiced."""
    voiced = np.concatenate([c.voiced for c in contours]) if contours else np.zeros(0)
    if len(voiced) == 0:
        return {"f0_median_hz": None, "f0_range_st": None, "voiced_frames": 0}
    low, median, high = np.percentile(voiced, [10, 50, 90])
    return {"f0_median_hz": float(median), "f0_range_st": float(12 * math.log2(high / low)), "voiced_frames": int(len(voiced))}


def mel_cepstrum(samples_16k: np.ndarray) -> np.ndarray:
    """(CEPSTRA, frames) cepstral coefficients 1..24 of the natural-log amplitude mel spectrum."""
    import librosa
    import scipy.fft

    power = librosa.feature.melspectrogram(y=np.asarray(samples_16k, dtype=np.float32), sr=SCORER_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=MEL_BANDS)
    # A floor 50 dB under the utterance's loudest band: silence and the gaps between words would otherwise
    # reach -100 dB and dominate the distance with differences no listener hears.
    log_amplitude = 0.5 * np.log(np.maximum(power, FLOOR * power.max() + 1e-20))
    return scipy.fft.dct(log_amplitude, type=2, norm="ortho", axis=0)[1 : CEPSTRA + 1]


def mel_cepstral_distance(samples_16k: np.ndarray, reference_16k: np.ndarray) -> float:
    """MCD in dB between two 16 kHz utterances of the same text, after DTW alignment."""
    try:
        import librosa
    except ImportError as error:
        raise ImportError(f"librosa is needed for the mel-cepstral distance: {EXTRA_HINT}") from error
    ours, theirs = mel_cepstrum(samples_16k), mel_cepstrum(reference_16k)
    _, path = librosa.sequence.dtw(X=ours, Y=theirs, metric="euclidean")
    differences = ours[:, path[:, 0]] - theirs[:, path[:, 1]]
    return float(np.mean(10 / math.log(10) * np.sqrt(2 * np.sum(differences**2, axis=0))))


def speaker_closeness(audios_16k: list[np.ndarray], references_16k: list[np.ndarray]) -> dict:
    """A voice's utterances against a speaker's recordings of the same texts, pair by pair:
    both pitch summaries, the ratio of medians, and the mean MCD."""
    if len(audios_16k) != len(references_16k) or not audios_16k:
        raise ValueError(f"need the same non-zero number of utterances and recordings, got {len(audios_16k)} and {len(references_16k)}")
    ours = pitch_summary([pitch(a, SCORER_RATE) for a in audios_16k])
    theirs = pitch_summary([pitch(r, SCORER_RATE) for r in references_16k])
    ratio = ours["f0_median_hz"] / theirs["f0_median_hz"] if ours["f0_median_hz"] and theirs["f0_median_hz"] else None
    mcd = float(np.mean([mel_cepstral_distance(a, r) for a, r in zip(audios_16k, references_16k)]))
    return {
        "f0_median_hz": ours["f0_median_hz"], "f0_range_st": ours["f0_range_st"],
        "reference_f0_median_hz": theirs["f0_median_hz"], "reference_f0_range_st": theirs["f0_range_st"],
        "f0_median_ratio": ratio, "mcd_db": mcd,
    }


def plot_speaker_comparison(audio_16k: np.ndarray, reference_16k: np.ndarray, path, title: str = ""):
    """A PNG (or SVG) of one sentence: the recording's and the voice's spectrograms side by side, and
    both F0 contours on one axis below. Returns the path."""
    from pathlib import Path

    import librosa
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(11, 6.5), constrained_layout=True)
    grid = figure.add_gridspec(2, 2, height_ratios=[3, 2])
    contours = {}
    for column, (label, samples) in enumerate((("recording", reference_16k), ("voice", audio_16k))):
        axis = figure.add_subplot(grid[0, column])
        power = librosa.feature.melspectrogram(y=np.asarray(samples, dtype=np.float32), sr=SCORER_RATE, n_fft=N_FFT, hop_length=HOP, n_mels=MEL_BANDS)
        seconds = power.shape[1] * HOP / SCORER_RATE
        axis.imshow(10 * np.log10(np.maximum(power, 1e-10)), origin="lower", aspect="auto", cmap="magma", extent=(0, seconds, 0, MEL_BANDS))
        axis.set_title(f"{label}: log-mel spectrogram")
        axis.set_xlabel("seconds")
        axis.set_ylabel("mel band")
        contours[label] = pitch(samples, SCORER_RATE)
    axis = figure.add_subplot(grid[1, :])
    for label, contour in contours.items():
        axis.plot(contour.times, contour.f0, label=label, linewidth=1.5)
    axis.set_xlabel("seconds")
    axis.set_ylabel("F0 (Hz)")
    axis.legend()
    axis.grid(alpha=0.3)
    if title:
        figure.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
