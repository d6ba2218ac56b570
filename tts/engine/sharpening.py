"""Spectral sharpening of a log-mel before the vocoder: a post-filter that gives back the detail across
mel bands that the one-step acoustic model and the small vocoder smooth away."""

from __future__ import annotations

import numpy as np

SHARPEN_BANDS = 5
"""Width, in mel bands, of the moving average that `sharpen_mel` sharpens against."""


def sharpen_mel(mel: np.ndarray, factor: float, bands: int = SHARPEN_BANDS) -> np.ndarray:
    """Spectral sharpening of a log-mel (..., n_mels, T): in every frame, the detail around a moving
    average over `bands` neighbouring mel bands (edge bands repeated) is scaled by `factor`, so 1
    returns `mel` itself and a flat spectrum stays flat.

    Why: the one-step acoustic model and the small vocoder each smooth the spectrum across frequency
    (harmonics and formant peaks come out lower, valleys filled in); a factor above 1 gives that detail
    back before the vocoder, as the post-filters of statistical parametric TTS did. Frame by frame, so
    streamed windows stay exact.
    """
    if factor == 1.0:
        return mel
    smooth = band_average(mel, bands)
    return (smooth + factor * (mel - smooth)).astype(mel.dtype)


def band_average(mel: np.ndarray, bands: int = SHARPEN_BANDS) -> np.ndarray:
    """Moving average of a log-mel (..., n_mels, T) over `bands` neighbouring mel bands, edge bands
    repeated: (..., n_mels, T) float64."""
    if bands < 1 or bands % 2 == 0:
        raise ValueError(f"bands must be an odd number ≥ 1, got {bands}")
    half = bands // 2
    padding = [(0, 0)] * (mel.ndim - 2) + [(half, half), (0, 0)]
    running = np.cumsum(np.pad(mel.astype(np.float64), padding, mode="edge"), axis=-2)
    running = np.concatenate([np.zeros_like(running[..., :1, :]), running], axis=-2)
    return (running[..., bands:, :] - running[..., :-bands, :]) / bands
