"""Audio out of the synthesizer: output sample rates (`resampling`) and containers (`encoding`).

The audio file I/O (`vocoder.audio_io`) and the log-mel features (`vocoder.features`, `MelConfig`) live
in the vocoder layer, which owns the mel it consumes; they are re-exported here, lazily, so that saving
audio never imports torch and the features import torch only when used.
"""

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

_LAZY = {name: "vocoder.audio_io" for name in __all__} | {"LogMelSpectrogram": "vocoder.features", "MelConfig": "vocoder.mel_config"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tts.audio' has no attribute {name!r}")
