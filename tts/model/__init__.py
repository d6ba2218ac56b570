"""The acoustic model: phonemes -> log-mel in one or two flow-map steps (Matcha-style encoder and aligner).

`AcousticModel` is a plain nn.Module with its networks and `save`/`load` (config.json + model.safetensors
+ `voice_config`); speaking runs through an engine (`tts.engine.torch_engine.TorchAcoustic(model)`),
training lives in `tts.training` (`losses`, `module`). Parts: `encoder` (text encoder, duration predictor),
`alignment` (monotonic alignment search, length regulation), `decoder` (the flow-map network).
"""


__all__ = ["AcousticConfig", "AcousticModel"]


def __getattr__(name: str):
    # Lazy: the CPU runtime reads `tts.model.config` without torch; the model itself needs it.
    if name == "AcousticModel":
        from tts.model.acoustic import AcousticModel

        return AcousticModel
    if name == "AcousticConfig":
        from tts.model.config import AcousticConfig

        return AcousticConfig
    raise AttributeError(f"module 'tts.model' has no attribute {name!r}")
