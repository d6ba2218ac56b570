"""`OnnxAcoustic`: an exported acoustic model run without torch, by ONNX Runtime and numpy.

The encoder, the duration predictor and the flow-map decoder run as the export's graphs (weights from
`model.safetensors`); everything between them is the engine base's (tts.engine.acoustic).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model_files.export import WEIGHTS_FILE
from model_files.onnx_runtime import Graph, WeightFile, graph_path, require_graphs
from tts.engine.acoustic import AcousticEngine
from tts.model.voice_config import VoiceConfig

GRAPHS = {"encoder": "encoder.", "duration": "duration_predictor.", "decoder": "decoder."}
"""Graph name -> the state-dict prefix of its weights (the graph names them without it)."""
PROSODY_GRAPHS = {"prosody": "prosody_predictor."}
"""The graphs a voice with prosody conditioning adds (its decoder graph takes the prosody input too)."""


class OnnxAcoustic(AcousticEngine):
    """An export's ONNX graphs as an acoustic engine (CPU only; float32, or the int8 graphs where they exist when `int8`)."""

    def __init__(self, directory: str | Path, threads: int | None = None, int8: bool = False):
        directory = Path(directory)
        self.voice = VoiceConfig.read(directory)
        self.config = self.voice.model
        graphs = {**GRAPHS, **(PROSODY_GRAPHS if self.config.prosody.enabled else {})}
        require_graphs(directory, list(graphs))
        weights = WeightFile(directory / WEIGHTS_FILE)
        self.speaker_table = weights.tensor("speakers.weight")
        """(n_speakers, speaker_dim) embeddings, looked up here: the graphs take the embedding."""
        self.graphs = []
        self._graphs = {}
        for name, prefix in graphs.items():
            quantized = int8 and graph_path(directory, name, int8=True).is_file()
            self._graphs[name] = Graph(graph_path(directory, name, int8=quantized), weights, {prefix: ""}, threads)
            self.graphs.append(f"{name} (int8)" if quantized else name)

    def _encode(self, ids: np.ndarray, mask: np.ndarray, speaker: int | None):
        embedding = self._speaker(speaker, ids.shape[0])
        conditioning = {} if embedding is None else {"speaker": embedding}
        hidden, mu = self._graphs["encoder"](ids=ids, mask=mask, **conditioning)
        prosody = self._graphs["prosody"](x=hidden, mask=mask) if "prosody" in self._graphs else None
        return mu, self._graphs["duration"](x=hidden, mask=mask), embedding, prosody

    def _speaker(self, speaker: int | None, batch: int) -> np.ndarray | None:
        if self.speaker_table is None:
            if speaker not in (None, 0):
                raise ValueError("this is a single-speaker model: leave speaker unset")
            return None
        speaker = 0 if speaker is None else int(speaker)
        if not 0 <= speaker < self.speaker_table.shape[0]:
            raise ValueError(f"speaker ids must be in [0, {self.speaker_table.shape[0]}), got {speaker}")
        return np.repeat(self.speaker_table[speaker][None], batch, axis=0)

    def _velocity(self, z, r, t, mu, mask, speaker=None, prosody=None):
        conditioning = {} if speaker is None else {"speaker": speaker}
        if prosody is not None:
            conditioning["prosody"] = prosody
        return self._graphs["decoder"](z=z, r=r, t=t, mu=mu, mask=mask, **conditioning)
