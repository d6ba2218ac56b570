"""Audio features (Vocos-compatible log-mel) and audio file I/O."""

from tts.audio.io import (
    AudioFileError,
    load_audio,
    loudness_normalize,
    peak_normalize,
    resample,
    rms_dbfs,
    save_audio,
)
from tts.audio.mel import LogMelSpectrogram, MelConfig

__all__ = [
    "AudioFileError",
    "LogMelSpectrogram",
    "MelConfig",
    "load_audio",
    "loudness_normalize",
    "peak_normalize",
    "resample",
    "rms_dbfs",
    "save_audio",
]
