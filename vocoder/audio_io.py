"""Reading, writing, resampling and levelling audio with soundfile and soxr.

Everything here works on float32 numpy arrays of shape (N,) in [-1, 1]: mono, because every model in
this project is mono.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

SUPPORTED_FORMATS = ("wav", "flac")


class AudioFileError(ValueError):
    """A file that cannot be used as audio. The message names the file."""


def load_audio(path: str | Path, sample_rate: int | None = None) -> tuple[np.ndarray, int]:
    """Read a wav or flac file as mono float32 samples (N,), resampled to `sample_rate` if given.

    Returns (samples, rate). Raises `AudioFileError` naming the file when it is missing, empty,
    truncated or not audio.
    """
    import soundfile as sf

    path = Path(path)
    if not path.is_file():
        raise AudioFileError(f"{path}: no such audio file")
    if path.stat().st_size == 0:
        raise AudioFileError(f"{path}: file is empty (0 bytes)")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as error:
        raise AudioFileError(f"{path}: not a readable audio file ({error})") from error
    if data.shape[0] == 0:
        raise AudioFileError(f"{path}: contains no audio samples")
    samples = data.mean(axis=1)  # down-mix channels
    if not np.all(np.isfinite(samples)):
        raise AudioFileError(f"{path}: contains NaN or infinite samples")
    if sample_rate is not None and rate != sample_rate:
        samples = resample(samples, rate, sample_rate)
        rate = sample_rate
    return np.ascontiguousarray(samples, dtype=np.float32), rate


def resample(samples: np.ndarray, orig_rate: int, target_rate: int) -> np.ndarray:
    """Band-limited resampling of mono float32 samples (N,): soxr at high quality, the one resampler
    of the project (training data, evaluation and the voice's output rates alike)."""
    if orig_rate == target_rate:
        return samples
    return soxr_module().resample(np.asarray(samples, dtype=np.float32), orig_rate, target_rate, "HQ").astype(np.float32, copy=False)


def soxr_module():
    try:
        import soxr
    except ImportError as error:  # a core dependency: this means a broken install
        raise ImportError("resampling needs soxr: pip install soxr") from error
    return soxr


def save_audio(path: str | Path, samples: np.ndarray, sample_rate: int, format: str | None = None) -> Path:
    """Write mono samples (N,) as 16-bit wav or flac; the format comes from the suffix unless given."""
    import soundfile as sf

    path = Path(path)
    format = (format or path.suffix.lstrip(".") or "wav").lower()
    if format not in SUPPORTED_FORMATS:
        raise ValueError(f"{path}: unsupported audio format {format!r}; use one of {SUPPORTED_FORMATS}")
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim != 1:
        raise ValueError(f"expected mono samples of shape (N,), got {samples.shape}")
    check_writable(path)
    # Written beside the target, then renamed over it: a killed run never leaves a truncated file
    # that a resumed batch would take for finished.
    partial = path.with_name(f".{path.name}.partial")
    try:
        sf.write(str(partial), np.clip(samples, -1.0, 1.0), sample_rate, format=format.upper(), subtype="PCM_16")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def check_writable(path: str | Path) -> None:
    """Raise `AudioFileError` naming the path unless a file can be written there (checked before any
    synthesis, so a long run never ends in an unwritable path)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise AudioFileError(f"{path}: directory {path.parent} does not exist")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a directory")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise AudioFileError(f"{path}: not writable")


def check_writable_dir(path: str | Path) -> Path:
    """Create the folder `path` if needed and prove files can be written in it (a probe file, since
    permission bits say nothing of a read-only mount, or to root); `AudioFileError` names it if not."""
    import tempfile

    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError("permission denied")
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as error:
        raise AudioFileError(f"{path}: not a writable folder ({error.strerror or error})") from None
    return path


def peak_normalize(samples: np.ndarray, peak: float = 0.95) -> np.ndarray:
    """Scale so that the largest absolute sample is `peak`; silence is returned unchanged."""
    if not 0 < peak <= 1:
        raise ValueError(f"peak must be in (0, 1], got {peak}")
    largest = float(np.max(np.abs(samples))) if samples.size else 0.0
    if largest == 0.0:
        return samples.astype(np.float32, copy=True)
    return (samples * (peak / largest)).astype(np.float32)


def rms_dbfs(samples: np.ndarray) -> float:
    """Root-mean-square level in dB relative to full scale (-inf for silence)."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def loudness_normalize(samples: np.ndarray, target_dbfs: float = -20.0, peak_limit: float = 0.99) -> np.ndarray:
    """Scale to an RMS level of `target_dbfs`, then scale down if needed so no sample exceeds `peak_limit`.

    RMS level is a simple loudness measure (not LUFS); it is enough to level a TTS corpus.
    """
    level = rms_dbfs(samples)
    if not np.isfinite(level):
        return samples.astype(np.float32, copy=True)
    scaled = samples * (10.0 ** ((target_dbfs - level) / 20.0))
    largest = float(np.max(np.abs(scaled)))
    if largest > peak_limit:
        scaled *= peak_limit / largest
    return scaled.astype(np.float32)
