"""From phonemes to frames, in numpy: the noise, rounded durations, length regulation and masks.

The engine base (tts.engine.acoustic) runs these for both engines, so the CPU runtime and torch draw
the same noise and round durations the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NOISE_BLOCK = 64
"""Noise is drawn in blocks of this many frames, so a longer draw starts with a shorter one."""


def frame_noise(frames: int, channels: int, seed: int | None = None, temperature: float = 1.0) -> np.ndarray:
    """ε ~ N(0, temperature²) of shape (channels, frames), float32; the same seed gives the same noise,
    and its first k frames are the same for any `frames` ≥ k, so an utterance gets the same noise alone
    or padded inside a batch. seed None draws fresh noise."""
    if not temperature >= 0:  # also refuses NaN
        raise ValueError(f"temperature must be ≥ 0, got {temperature}")
    if temperature == 0:  # no noise to draw (the default voice speaks at 0): 0.5 ms of a first chunk's 14
        return np.zeros((channels, frames), dtype=np.float32)
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
