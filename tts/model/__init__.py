"""The acoustic model: phonemes -> log-mel in one or two flow-map steps (Matcha-style encoder and aligner).

`AcousticModel` is a plain nn.Module with `synthesize` and `save`/`load` (config.json + model.safetensors);
training lives in `tts.training.acoustic`. Parts: `encoder` (text encoder, duration predictor),
`alignment` (monotonic alignment search, length regulation), `decoder` (the flow-map network).
"""

from tts.model.acoustic import AcousticModel
from tts.model.config import AcousticConfig

__all__ = ["AcousticConfig", "AcousticModel"]
