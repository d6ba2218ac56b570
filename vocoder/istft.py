"""The inverse STFT of Vocos's ISTFT head, in numpy: what the CPU runtime runs after the vocoder graph.

ONNX has no inverse STFT, so the graph stops before it and this finishes it. It computes what
`torch.istft(spec, n_fft, hop, n_fft, hann_window(n_fft), center=True)` computes (Vocos's 'center'
padding): an inverse real FFT per frame, the periodic Hann window, overlap-add, division by the summed
squared window, and n_fft // 2 samples trimmed at each end. numpy has no inverse STFT of its own; scipy's
`istft` scales and pads differently, so it is written out here. It runs in float32, as torch does; on
the default voice's spectra the two agree to about 1e-6.

`waveform_from_head` starts one step earlier, from the head's projection (log-magnitudes and phases,
frames first): numpy's vectorized float32 cosine and sine take a quarter of the time ONNX Runtime's
take, and frames-first arrays need no transposes on either side of the inverse FFT.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=8)
def hann_window(n_fft: int) -> np.ndarray:
    """The periodic Hann window (torch.hann_window's default), float64."""
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)


def istft(real: np.ndarray, imaginary: np.ndarray, n_fft: int, hop_length: int, window: np.ndarray | None = None) -> np.ndarray:
    """STFT coefficients (B, n_fft // 2 + 1, T) -> audio (B, (T - 1) * hop_length), float32.

    Frames are centred: frame f is centred on sample f * hop_length, as torch.istft with center=True.
    window: (n_fft,) synthesis window; default the periodic Hann window. A vocoder passes the window
    its weights carry (a float16 export stores it rounded, and torch uses that one).
    """
    if real.shape != imaginary.shape or real.ndim != 3 or real.shape[1] != n_fft // 2 + 1:
        raise ValueError(f"expected coefficients of shape (B, {n_fft // 2 + 1}, T), got {real.shape} and {imaginary.shape}")
    window = _window(window, n_fft)
    spectrum = np.empty((real.shape[0], real.shape[2], real.shape[1]), dtype=np.complex64)  # frames first
    spectrum.real, spectrum.imag = real.transpose(0, 2, 1), imaginary.transpose(0, 2, 1)
    return _inverse(spectrum, n_fft, hop_length, window)


MAX_MAGNITUDE = 1e2
"""Vocos's ISTFT head clips exp(log-magnitude) here."""


def head_spectrum(projection: np.ndarray, n_fft: int) -> np.ndarray:
    """Vocos ISTFT head's projection (B, T, n_fft + 2) -> its STFT coefficients (B, T, n_fft // 2 + 1),
    complex64: projection[..., :n_fft // 2 + 1] are log-magnitudes m and the rest phases p, and the
    coefficients are min(exp(m), 100) (cos p, sin p)."""
    bins = n_fft // 2 + 1
    if projection.ndim != 3 or projection.shape[-1] != 2 * bins:
        raise ValueError(f"expected a head projection of shape (B, T, {2 * bins}), got {projection.shape}")
    projection = projection.astype(np.float32, copy=False)
    magnitude = np.exp(projection[..., :bins])
    np.minimum(magnitude, np.float32(MAX_MAGNITUDE), out=magnitude)
    phase = projection[..., bins:]
    spectrum = np.empty(phase.shape, dtype=np.complex64)
    np.multiply(magnitude, np.cos(phase), out=spectrum.real)
    np.multiply(magnitude, np.sin(phase), out=spectrum.imag)
    return spectrum


def waveform_from_head(projection: np.ndarray, n_fft: int, hop_length: int, window: np.ndarray | None = None) -> np.ndarray:
    """Vocos ISTFT head's projection (B, T, n_fft + 2) -> audio (B, (T - 1) * hop_length), float32:
    `head_spectrum`, inverted as `istft` does."""
    window = _window(window, n_fft)
    return _inverse(head_spectrum(projection, n_fft), n_fft, hop_length, window)


def _window(window: np.ndarray | None, n_fft: int) -> np.ndarray:
    window = (hann_window(n_fft) if window is None else np.asarray(window)).astype(np.float32)
    if window.shape != (n_fft,):
        raise ValueError(f"expected a window of {n_fft} samples, got shape {window.shape}")
    return window


def _inverse(spectrum: np.ndarray, n_fft: int, hop_length: int, window: np.ndarray) -> np.ndarray:
    """Coefficients (B, T, n_fft // 2 + 1), complex64 -> audio (B, (T - 1) * hop_length), float32."""
    # float32 throughout, as torch computes it (numpy >= 2 transforms float32 natively).
    frames = np.fft.irfft(spectrum, n=n_fft, axis=-1).astype(np.float32, copy=False)  # (B, T, n_fft)
    frames *= window
    signal = _overlap_add(frames, hop_length)
    envelope = _overlap_add(np.broadcast_to(window**2, (1, frames.shape[1], n_fft)), hop_length)[0]
    half = n_fft // 2
    signal = signal[:, half : signal.shape[-1] - half]
    envelope = envelope[half : envelope.shape[-1] - half]
    return signal / np.maximum(envelope, np.float32(1e-11))


def _overlap_add(frames: np.ndarray, hop: int) -> np.ndarray:
    """(B, T, n_fft) windowed frames -> (B, n_fft + hop * (T - 1)) summed at hop spacing."""
    batch, count, n_fft = frames.shape
    length = n_fft + hop * (count - 1)
    if n_fft % hop == 0:
        # Each frame is n_fft // hop hop-sized pieces; piece j of frame t lands on piece t + j.
        pieces = n_fft // hop
        split = frames.reshape(batch, count, pieces, hop)
        out = np.zeros((batch, count + pieces - 1, hop), dtype=frames.dtype)
        for j in range(pieces):
            out[:, j : j + count] += split[:, :, j]
        return out.reshape(batch, length)
    out = np.zeros((batch, length), dtype=frames.dtype)
    for t in range(count):
        out[:, t * hop : t * hop + n_fft] += frames[:, t]
    return out
