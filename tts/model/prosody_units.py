"""The units of the prosody a model predicts per phoneme, and the controls on them; torch-free (numpy),
so the CPU runtime steers without torch.

A phoneme's prosody is three numbers: its pitch, in PITCH_SCALE_ST-semitone units from PITCH_CENTER_ST
semitones above 55 Hz (the mean over its voiced frames; 0 where none is voiced); its voiced fraction;
and its loudness, the mean over mel channels of its normalized log-mel frames. The decoder is given
`features(pitch, voiced, loudness)` per frame.
"""

from __future__ import annotations

import numpy as np

PITCH_CENTER_ST = 18.0
"""Semitones above 55 Hz at pitch 0: about 156 Hz, between a low male voice (90 Hz) and a high female one (260 Hz)."""
PITCH_SCALE_ST = 6.0
"""Semitones per pitch unit: the prosody of one voice spans a few units."""
FEATURES = 3
"""Pitch (times voicing), voicing, loudness."""
VOICED = 0.5
"""A phoneme with a larger predicted voiced fraction has a pitch to steer."""
EMPHASIS_LENGTH = 0.15
"""Strong emphasis (level 1) lengthens a word's phonemes by 15%; moderate (0.5) by 7.5%; reduced (-0.5) shortens."""
EMPHASIS_DB = 3.0
"""and makes them 3 dB louder (the log-mel raised before the vocoder, on every voice),"""
EMPHASIS_ST = 3.0
"""and, on a voice with prosody conditioning, 3 semitones higher."""


def pitch_units(f0_hz: np.ndarray) -> np.ndarray:
    """F0 in Hz (0 or less where unvoiced) -> pitch units (0 where unvoiced)."""
    f0 = np.asarray(f0_hz, dtype=np.float64)
    safe = np.where(f0 > 0, f0, 55.0)
    units = (12 * np.log2(safe / 55.0) - PITCH_CENTER_ST) / PITCH_SCALE_ST
    return np.where(f0 > 0, units, 0.0).astype(np.float32)


def hertz(units: np.ndarray) -> np.ndarray:
    """Pitch units -> Hz."""
    return (55.0 * 2 ** ((np.asarray(units, dtype=np.float64) * PITCH_SCALE_ST + PITCH_CENTER_ST) / 12)).astype(np.float32)


def features(pitch, voiced, loudness):
    """(B, N) pitch units, voiced fraction and loudness (numpy or torch alike) -> the decoder's prosody
    input (B, FEATURES, N): pitch is given times voicing, so an unvoiced phoneme's pitch says nothing."""
    stack = np.stack if isinstance(pitch, np.ndarray) else _torch_stack
    return stack([pitch * voiced, voiced, loudness], 1)


def _torch_stack(arrays, axis):
    import torch

    return torch.stack(arrays, axis)


def from_prediction(prediction: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The prosody predictor's raw output (B, 3, N): pitch units, voicing logit, loudness -> (pitch,
    voiced fraction, loudness), each (B, N)."""
    return prediction[:, 0], 1 / (1 + np.exp(-prediction[:, 1])), prediction[:, 2]


def steer(pitch: np.ndarray, voiced: np.ndarray, mask: np.ndarray, shift_st: float = 0.0, spread: float = 1.0) -> np.ndarray:
    """Pitch units (B, N) of voiced phonemes moved by `shift_st` semitones, their variation around each
    utterance's mean scaled by `spread` (0: monotone, 1: as predicted). Unvoiced phonemes and padding
    (mask 0) keep their values."""
    steerable = (voiced > VOICED) & (mask > 0)
    count = np.maximum(steerable.sum(axis=1, keepdims=True), 1)
    mean = np.where(steerable, pitch, 0).sum(axis=1, keepdims=True) / count
    steered = mean + spread * (pitch - mean) + shift_st / PITCH_SCALE_ST
    return np.where(steerable, steered, pitch).astype(np.float32)
