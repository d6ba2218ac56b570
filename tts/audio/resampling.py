"""Output sample rates: the voice's audio resampled with soxr, whole or chunk by chunk with no seams.

soxr's stream resampler carries its filter state from chunk to chunk, so streamed output concatenates
to exactly what resampling the whole audio gives (checked in tests/test_sample_rates.py).
"""

from __future__ import annotations

import numpy as np

from vocoder.audio_io import resample, soxr_module

__all__ = ["SAMPLE_RATES", "StreamResampler", "check_rate", "resample"]

SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
"""Rates the API, CLI and server offer: telephony, wideband, and the common playback rates."""


def check_rate(rate) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int) or rate not in SAMPLE_RATES:
        raise ValueError(f"sample_rate must be one of {list(SAMPLE_RATES)}, got {rate!r}")


class StreamResampler:
    """`push(chunk) -> resampled samples` chunk by chunk, then `finish() -> the rest`; the pieces
    concatenate to `resample` (vocoder.audio_io) of the whole."""

    def __init__(self, rate: int, target: int):
        self.rate, self.target = rate, target
        self._stream = None if rate == target else soxr_module().ResampleStream(rate, target, 1, dtype="float32", quality="HQ")

    def push(self, samples: np.ndarray) -> np.ndarray:
        if self._stream is None:
            return samples
        return self._stream.resample_chunk(np.asarray(samples, dtype=np.float32), last=False)

    def finish(self) -> np.ndarray:
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        return self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
