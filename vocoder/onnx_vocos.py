"""`OnnxVocos`: an exported Vocos vocoder run without torch, by ONNX Runtime and numpy.

The network up to the spectrum runs as the export's `spectrum.onnx` graph (weights from
`model.safetensors`); the inverse STFT runs in numpy (`vocoder.istft`). It has the interface the
synthesizer and `StreamingDecoder` use: `decode`, calling it on a window, `context_frames`,
`sample_rate`, `hop_length`, `mel_config`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model_files.export import CONFIG_FILE, WEIGHTS_FILE, read_model_config
from model_files.onnx_runtime import Graph, WeightFile, graph_path, require_graphs
from vocoder.istft import head_spectrum, istft, waveform_from_head
from vocoder.mel_config import MelRates
from vocoder.vocos_config import KIND, VocosConfig

GRAPH = "spectrum"
SPECTRUM_WEIGHTS = {"backbone.": "backbone.", "head.out.": "out."}
"""State-dict prefixes of the exported vocoder -> the names the spectrum graph gives them."""


class OnnxVocos(MelRates):
    """Log-mel (B, n_mels, T) -> audio (B, (T - 1) * hop) by calling it; `decode` pads to T * hop."""

    def __init__(self, directory: str | Path, threads: int | None = None, int8: bool = False):
        directory = Path(directory)
        self.config = read_model_config(directory, KIND, VocosConfig)
        require_graphs(directory, [GRAPH])
        self.mel_config = self.config.mel
        weights = WeightFile(directory / WEIGHTS_FILE)
        self.window = weights.tensor("head.istft.window")
        """The synthesis window the torch module uses (its buffer, stored with the weights)."""
        self.int8 = int8 and graph_path(directory, GRAPH, int8=True).is_file()
        self.graph = Graph(graph_path(directory, GRAPH, int8=self.int8), weights, SPECTRUM_WEIGHTS, threads)
        self.graphs = [f"{GRAPH} (int8)" if self.int8 else GRAPH]
        """The graphs in use, for reports."""
        self.directory = directory

    @property
    def context_frames(self) -> tuple[int, int]:
        return self.config.context_frames

    def __call__(self, mel: np.ndarray) -> np.ndarray:
        outputs = self.graph(mel=np.asarray(mel, dtype=np.float32))
        if isinstance(outputs, tuple):  # a graph exported before 2026-12-06 ends at the coefficients
            return istft(*outputs, self.mel_config.n_fft, self.hop_length, self.window)
        return waveform_from_head(outputs, self.mel_config.n_fft, self.hop_length, self.window)

    def coefficients(self, mel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Log-mel (B, n_mels, T) -> STFT coefficients (real, imaginary), each (B, n_fft // 2 + 1, T)."""
        outputs = self.graph(mel=np.asarray(mel, dtype=np.float32))
        if isinstance(outputs, tuple):
            return outputs
        spectrum = head_spectrum(outputs, self.mel_config.n_fft).transpose(0, 2, 1)
        return spectrum.real, spectrum.imag

    def decode(self, mel: np.ndarray) -> np.ndarray:
        """(B, n_mels, T) or (n_mels, T) log-mel -> (B, T * hop) or (T * hop,) float32 audio."""
        mel = np.asarray(mel, dtype=np.float32)
        unbatched = mel.ndim == 2
        if unbatched:
            mel = mel[None]
        if mel.ndim != 3 or mel.shape[1] != self.mel_config.n_mels:
            raise ValueError(f"expected log-mel of shape (B, {self.mel_config.n_mels}, T), got {mel.shape}")
        if mel.shape[-1] == 0:
            raise ValueError("cannot decode an empty mel (T = 0)")
        audio = self(mel)
        audio = np.pad(audio, ((0, 0), (0, mel.shape[-1] * self.hop_length - audio.shape[-1])))
        return audio[0] if unbatched else audio


def is_vocos_export(directory: str | Path) -> bool:
    """Whether `directory` holds an exported Vocos vocoder (config.json of kind 'vocos')."""
    path = Path(directory) / CONFIG_FILE
    if not path.is_file():
        return False
    from model_files.typed_config import load_file

    return load_file(path).get("kind") == KIND
