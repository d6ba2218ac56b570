"""Writing the ONNX graphs of an exported model's networks, which the CPU runtime runs (tts.engine).

PyTorch runs these small networks op by op; on small CPUs the layer norms, activations and copies
between the matrix products cost about as much as the products themselves. ONNX Runtime fuses them
and runs the same float32 math faster at sentence lengths, and needs no torch at all.

A graph file (`<name>.onnx` beside `config.json`) holds the computation only: every parameter is an
external initializer named by its state-dict key, whose data is never read from disk. At load time
the weights come from `model.safetensors` (`model_files.onnx_runtime`), so an export still has one copy of
its weights, and a graph made for other weights or another architecture fails with a clear error.
Making graphs needs torch, onnx and onnxscript (the `train` extra); running them needs only onnxruntime.

An int8 graph (`tts export-graphs --int8`, written by tts.quantization) runs its weight matrix products
in 8-bit integers; it still takes the float32 weights, and ONNX Runtime quantizes them once while
it loads the graph.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from model_files.onnx_export import GraphSpec, export_graphs, has_graphs
from model_files.onnx_runtime import MISSING_WEIGHTS
from tts.model.prosody_units import FEATURES

__all__ = [
    "MISSING_WEIGHTS",
    "GraphSpec",
    "acoustic_graph_specs",
    "export_directory_graphs",
    "export_graphs",
    "graph_specs",
    "has_graphs",
    "load_for_graphs",
    "write_graphs",
]


def load_for_graphs(directory: str | Path):
    """The torch model of an exported directory whose networks have graphs: acoustic or Vocos."""
    from model_files.export import CONFIG_FILE
    from model_files.typed_config import load_file

    directory = Path(directory)
    kind = load_file(directory / CONFIG_FILE).get("kind") if (directory / CONFIG_FILE).is_file() else None
    if kind == "acoustic":
        from tts.model.acoustic import AcousticModel

        return AcousticModel.load(directory)
    if kind == "vocos":
        from vocoder.vocos_model import VocosVocoder

        return VocosVocoder.load(directory)
    raise ValueError(f"{directory} is not an exported acoustic model or Vocos vocoder (config.json kind: {kind!r})")


def export_directory_graphs(directory: str | Path) -> list[Path]:
    """Write the float32 graphs of a voice bundle (acoustic/ and vocoder/) or of one exported model
    directory (int8 graphs: tts.quantization.export_int8_graphs)."""
    directory = Path(directory)
    parts = [directory / "acoustic", directory / "vocoder"] if (directory / "acoustic").is_dir() else [directory]
    written = []
    for part in parts:
        written += export_graphs(graph_specs(load_for_graphs(part)), part)
    return written


def write_graphs(directory: str | Path) -> None:
    """Every export also gets the ONNX graphs the CPU runtime runs (or a line saying how to add them):
    `export_directory_graphs`, printing what it wrote."""
    if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxscript") is None:
        print(f"no ONNX graphs written (onnx and onnxscript are not installed); the CPU runtime needs them: tts export-graphs {directory}")
        return
    for path in export_directory_graphs(directory):
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


def graph_specs(model) -> list[GraphSpec]:
    """The graphs of a loaded acoustic model or Vocos vocoder."""
    return model.graph_specs() if hasattr(model, "graph_specs") else acoustic_graph_specs(model)


def acoustic_graph_specs(model) -> list[GraphSpec]:
    """An `AcousticModel`'s networks that run as ONNX graphs on CPUs (model_files.onnx_export): encoder,
    duration predictor, decoder, each with example inputs and the axes that vary."""
    config, batch, phonemes, frames = model.config, 2, 7, 11
    speaker = {"speaker": torch.zeros(batch, config.speaker_dim)} if model.speakers is not None else {}
    prosody = {"prosody": torch.zeros(batch, FEATURES, frames)} if model.prosody_predictor is not None else {}
    predictors = []
    if model.prosody_predictor is not None:
        predictors.append(
            GraphSpec(
                "prosody",
                model.prosody_predictor,
                {"x": torch.zeros(batch, config.encoder.channels, phonemes), "mask": torch.ones(batch, 1, phonemes)},
                {"x": {0: "batch", 2: "phonemes"}, "mask": {0: "batch", 2: "phonemes"}},
            )
        )
    per_phoneme = {0: "batch", 2: "phonemes"}
    per_frame = {0: "batch", 2: "frames"}
    by_batch = {0: "batch"}
    return [
        GraphSpec(
            "encoder",
            model.encoder,
            {"ids": torch.ones(batch, phonemes, dtype=torch.long), "mask": torch.ones(batch, 1, phonemes), **speaker},
            {"ids": {0: "batch", 1: "phonemes"}, "mask": per_phoneme, "speaker": by_batch},
        ),
        GraphSpec(
            "duration",
            model.duration_predictor,
            {"x": torch.zeros(batch, config.encoder.channels, phonemes), "mask": torch.ones(batch, 1, phonemes)},
            {"x": per_phoneme, "mask": per_phoneme},
        ),
        GraphSpec(
            "decoder",
            model.decoder,
            {
                "z": torch.zeros(batch, config.mel.n_mels, frames),
                "r": torch.zeros(batch),
                "t": torch.ones(batch),
                "mu": torch.zeros(batch, config.mel.n_mels, frames),
                "mask": torch.ones(batch, 1, frames),
                **speaker,
                **prosody,
            },
            {"z": per_frame, "r": by_batch, "t": by_batch, "mu": per_frame, "mask": per_frame, "speaker": by_batch, "prosody": per_frame},
        ),
    ] + predictors
