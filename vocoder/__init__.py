"""Vocoders: log-mel (B, n_mels, T) -> waveform (B, T * hop_length).

Every backend implements `Vocoder`: `decode(mel)`, `sample_rate`, `hop_length`. Backends so far:
`PretrainedVocos` (the `vocos` package's `vocos-mel-24khz`, from a local directory, the Hugging Face
cache or the hub) and `GriffinLimVocoder` (no weights, low quality). The mel features they consume are
defined in `tts.audio.MelConfig`. Submodules import torch and vocos only when used.
"""

from __future__ import annotations

__all__ = ["GriffinLimVocoder", "PretrainedVocos", "PretrainedVocosNotFound", "Vocoder"]

_LAZY = {
    "Vocoder": "vocoder.base",
    "GriffinLimVocoder": "vocoder.griffin_lim",
    "PretrainedVocos": "vocoder.pretrained",
    "PretrainedVocosNotFound": "vocoder.pretrained",
}


def __getattr__(name: str):
    # Lazy: `import vocoder` must stay free of torch (see tests/test_install.py).
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'vocoder' has no attribute {name!r}")
