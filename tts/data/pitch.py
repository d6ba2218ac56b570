"""F0 per mel frame for training prosody (tts.model.prosody), from SwiftF0 (`swift-f0`, MIT: a 135 kB
ONNX network on ONNX Runtime). Chosen over WORLD's DIO and Harvest, which read the default voice's
teacher (a low male voice, about 90 Hz) at 144-180 Hz and 113-160 Hz where pYIN and the recordings'
harmonics say 87-101 Hz; SwiftF0 agrees with pYIN within 2 Hz at 1% of real time (tts.evaluation.speaker)."""

from __future__ import annotations

import functools

import numpy as np

PITCH_RANGE_HZ = (50.0, 600.0)
"""Speech F0 search range: below a deep bass voice's floor, above a child's or a raised soprano's."""
INSTALL_HINT = "pip install swift-f0 (in the train and eval extras)"


@functools.lru_cache(maxsize=1)
def detector():
    """One SwiftF0 session per process (single-threaded: it runs beside training or synthesis)."""
    try:
        from swift_f0 import SwiftF0
    except ImportError as error:
        raise ImportError(f"swift-f0 is needed for pitch: {INSTALL_HINT}") from error
    return SwiftF0(threads=1, spin=False)


def track(samples: np.ndarray, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(times (s), F0 in Hz with NaN where unvoiced) of mono float samples at any rate."""
    result = detector().detect(np.asarray(samples, dtype=np.float32), sample_rate, fmin=PITCH_RANGE_HZ[0], fmax=PITCH_RANGE_HZ[1])
    # SwiftF0 calibrates its confidence so that 0.5 separates voiced from unvoiced frames.
    f0 = np.where(result.confidence >= 0.5, result.pitch_hz, np.nan).astype(np.float64)
    return np.asarray(result.timestamps, dtype=np.float64), f0


def frame_f0(samples: np.ndarray, sample_rate: int, hop_length: int, frames: int) -> np.ndarray:
    """F0 in Hz at each of `frames` mel frames (frame f centred on sample f * hop_length), 0 where
    unvoiced: voicing from the nearest SwiftF0 frame, F0 interpolated between voiced ones (in log)."""
    times, f0 = track(samples, sample_rate)
    centres = np.arange(frames) * hop_length / sample_rate
    out = np.zeros(frames, dtype=np.float32)
    voiced = ~np.isnan(f0)
    if len(times) == 0 or not voiced.any():
        return out
    nearest = np.clip(np.searchsorted(times, centres), 0, len(times) - 1)
    before = np.clip(nearest - 1, 0, len(times) - 1)
    nearest = np.where(np.abs(times[before] - centres) < np.abs(times[nearest] - centres), before, nearest)
    keep = voiced[nearest]
    out[keep] = np.exp(np.interp(centres[keep], times[voiced], np.log(f0[voiced])))
    return out
