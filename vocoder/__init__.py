"""Vocoders: log-mel (B, n_mels, T) -> waveform (B, T * hop_length).

Every backend implements `Vocoder`: `decode(mel)`, `sample_rate`, `hop_length`. Backends so far:
`VocosVocoder` (our own trained Vocos-style vocoders, exported as config.json + model.safetensors),
`PretrainedVocos` (the `vocos` package's `vocos-mel-24khz`, from a local directory, the Hugging Face
cache or the hub) and `GriffinLimVocoder` (no weights, low quality). `StreamingDecoder` decodes mel
as it arrives, chunk by chunk, equal to the offline decode. `load_vocoder(spec)` picks a backend. The mel features they consume are
defined in `tts.audio.MelConfig`. Submodules import torch and vocos only when used.
"""

from __future__ import annotations

__all__ = [
    "GriffinLimVocoder",
    "PretrainedVocos",
    "PretrainedVocosNotFound",
    "StreamingDecoder",
    "Vocoder",
    "VocosConfig",
    "VocosVocoder",
    "load_vocoder",
    "stream_decode",
]

_LAZY = {
    "Vocoder": "vocoder.base",
    "GriffinLimVocoder": "vocoder.griffin_lim",
    "PretrainedVocos": "vocoder.pretrained",
    "PretrainedVocosNotFound": "vocoder.pretrained",
    "StreamingDecoder": "vocoder.streaming",
    "stream_decode": "vocoder.streaming",
    "VocosConfig": "vocoder.vocos_config",
    "VocosVocoder": "vocoder.vocos_model",
    "load_vocoder": "vocoder.loading",
}


def __getattr__(name: str):
    # Lazy: `import vocoder` must stay free of torch (see tests/test_install.py).
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'vocoder' has no attribute {name!r}")
