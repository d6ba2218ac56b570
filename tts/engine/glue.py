"""The arithmetic between the networks, in numpy: noise, durations, length regulation, step schedules.

Both engines use these (the torch engine converts at its edges), so the CPU runtime and torch draw
the same noise and round durations the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

NOISE_BLOCK = 64
"""Noise is drawn in blocks of this many frames, so a longer draw starts with a shorter one."""


def frame_noise(frames: int, channels: int, seed: int | None = None, temperature: float = 1.0) -> np.ndarray:
    """ε ~ N(0, temperature²) of shape (channels, frames), float32; the same seed gives the same noise,
    and its first k frames are the same for any `frames` ≥ k, so an utterance gets the same noise alone
    or padded inside a batch. seed None draws fresh noise."""
    if not temperature >= 0:  # also refuses NaN
        raise ValueError(f"temperature must be ≥ 0, got {temperature}")
    generator = np.random.default_rng(seed)
    blocks = [generator.standard_normal((NOISE_BLOCK, channels), dtype=np.float32) for _ in range(-(-frames // NOISE_BLOCK))]
    noise = np.concatenate(blocks)[:frames] if blocks else np.zeros((0, channels), dtype=np.float32)
    return np.ascontiguousarray(noise.T) * np.float32(temperature)


def round_durations(durations: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Real-valued durations (B, N) -> integers ≥ 1 on real phonemes, 0 on padding (int64).

    Rounds the running total rather than each phoneme, so rounding errors do not pile up over a long
    sentence (a per-phoneme ceil, as in Glow-TTS, lengthens speech by half a frame per phoneme).
    """
    durations = np.maximum(durations, 0).astype(np.float32) * mask
    totals = np.round(np.cumsum(durations, axis=1, dtype=np.float32))
    rounded = np.diff(totals, axis=1, prepend=np.zeros_like(totals[:, :1]))
    return np.where(mask.astype(bool), np.maximum(rounded, 1), 0).astype(np.int64)


def expand_to_frames(features: np.ndarray, durations: np.ndarray) -> np.ndarray:
    """Phoneme features (B, C, N) repeated by integer durations (B, N) -> frame features (B, C, T), zero-padded."""
    lengths = durations.sum(axis=1)
    out = np.zeros((features.shape[0], features.shape[1], int(lengths.max(initial=0))), dtype=features.dtype)
    for row in range(features.shape[0]):
        out[row, :, : lengths[row]] = np.repeat(features[row], durations[row], axis=1)
    return out


def sequence_mask(lengths: Sequence[int], size: int | None = None) -> np.ndarray:
    """(B,) lengths -> (B, 1, size) float32 mask, 1 at real positions."""
    lengths = np.asarray(lengths)
    size = int(lengths.max(initial=0)) if size is None else size
    return (np.arange(size)[None, :] < lengths[:, None]).astype(np.float32)[:, None, :]


def step_schedule(steps: int | Sequence[float]) -> list[float]:
    """A decreasing list of times from 1 to 0: uniform for an int, else checked as given."""
    if isinstance(steps, (int, np.integer)) and not isinstance(steps, bool):
        if steps < 1:
            raise ValueError(f"steps must be ≥ 1, got {steps}")
        return [1.0 - i / steps for i in range(steps + 1)]
    times = [float(x) for x in steps]
    if len(times) < 2 or times[0] != 1.0 or times[-1] != 0.0:
        raise ValueError(f"a schedule must run from 1.0 to 0.0, got {times}")
    if any(b >= a for a, b in zip(times, times[1:])):
        raise ValueError(f"a schedule must be strictly decreasing, got {times}")
    return times


LARGEST_MEL_WINDOW = 256
"""Streaming decodes mel in windows that double up to this many frames: small first for a quick
first chunk, then large, since each window also recomputes the decoder's context at its edges."""


def mel_windows(total: int, first: int) -> Iterator[tuple[int, int]]:
    """[start, end) frame windows covering [0, total): `first` frames, then doubling up to LARGEST_MEL_WINDOW."""
    start, size = 0, max(1, first)
    while start < total:
        end = min(total, start + size)
        yield start, end
        start, size = end, min(2 * size, LARGEST_MEL_WINDOW)


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
