"""Audio features (Vocos-compatible log-mel) and audio file I/O.

Lazy: `tts.audio.io` needs only numpy and soundfile, so saving audio never imports torch; the log-mel
features (`LogMelSpectrogram`) import torch and torchaudio when first used.
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

_LAZY = {name: "tts.audio.io" for name in __all__} | {"LogMelSpectrogram": "tts.audio.mel", "MelConfig": "vocoder.mel_config"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tts.audio' has no attribute {name!r}")
