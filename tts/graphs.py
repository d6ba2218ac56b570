"""Writing the ONNX graphs of an exported model's networks, which the CPU runtime runs (tts.engine).

PyTorch runs these small networks op by op; on small CPUs the layer norms, activations and copies
between the matrix products cost about as much as the products themselves. ONNX Runtime fuses them
and runs the same float32 math faster at sentence lengths, and needs no torch at all.

A graph file (`<name>.onnx` beside `config.json`) holds the computation only: every parameter is an
external initializer named by its state-dict key, whose data is never read from disk. At load time
the weights come from `model.safetensors` (`vocoder.onnx_runtime`), so an export still has one copy of
its weights, and a graph made for other weights or another architecture fails with a clear error.
Making graphs needs torch, onnx and onnxscript (the `train` extra); running them needs only onnxruntime.

An int8 graph (`tts export-graphs --int8`, see tts.quantization) runs its weight matrix products
in 8-bit integers; it still takes the float32 weights, and ONNX Runtime quantizes them once while
it loads the graph.
"""

from __future__ import annotations

from pathlib import Path

from vocoder.onnx_export import GraphSpec, export_graphs, has_graphs
from vocoder.onnx_runtime import MISSING_WEIGHTS

__all__ = ["MISSING_WEIGHTS", "GraphSpec", "export_directory_graphs", "export_graphs", "has_graphs", "load_for_graphs"]


def load_for_graphs(directory: str | Path):
    """The torch model of an exported directory whose networks have graphs: acoustic or Vocos."""
    from vocoder.bundle import CONFIG_FILE
    from vocoder.typed_config import load_file

    directory = Path(directory)
    kind = load_file(directory / CONFIG_FILE).get("kind") if (directory / CONFIG_FILE).is_file() else None
    if kind == "acoustic":
        from tts.model.acoustic import AcousticModel

        return AcousticModel.load(directory)
    if kind == "vocos":
        from vocoder.vocos_model import VocosVocoder

        return VocosVocoder.load(directory)
    raise ValueError(f"{directory} is not an exported acoustic model or Vocos vocoder (config.json kind: {kind!r})")


def export_directory_graphs(directory: str | Path, int8: bool = False) -> list[Path]:
    """Write the graphs of a voice bundle (acoustic/ and vocoder/) or of one exported model directory;
    `int8` graphs need a voice bundle, which is run on calibration sentences first."""
    directory = Path(directory)
    if int8:
        from tts.quantization import export_int8_graphs

        return export_int8_graphs(directory)
    parts = [directory / "acoustic", directory / "vocoder"] if (directory / "acoustic").is_dir() else [directory]
    written = []
    for part in parts:
        written += export_graphs(load_for_graphs(part).graph_specs(), part)
    return written
