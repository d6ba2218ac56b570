"""Exporting networks as ONNX graphs that hold no weights: what the CPU runtime runs (model_files.onnx_runtime).

A graph file (`<name>.onnx` beside an export's `config.json`) holds the computation only: every
parameter is an external initializer named by its state-dict key, whose data is never read from disk;
at load time the weights come from `model.safetensors`. An int8 graph (`<name>.int8.onnx`) is the same
trace with its weight products rewritten to 8 bits (model_files.onnx_int8). Needs torch, onnx and
onnxscript (the `train` extra).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from model_files.onnx_runtime import MISSING_WEIGHTS, graph_path

__all__ = ["GraphSpec", "export_graphs", "has_graphs"]


@dataclass
class GraphSpec:
    """One network to export: a submodule, example inputs, and which input axes vary."""

    name: str
    module: torch.nn.Module
    inputs: dict[str, torch.Tensor]
    """Example inputs by forward-argument name, in forward order. Use a batch of 2 and lengths > 1:
    torch.export specializes axes of size 0 or 1."""
    dynamic_axes: dict[str, dict[int, str]]
    """Per input: {axis: name} of the axes that vary (batch, phonemes, frames)."""


def _positional(spec: GraphSpec) -> dict:
    """The spec's inputs in the order of the module's forward arguments, with None for an optional
    argument it leaves out before one it gives (the decoder's speaker before its prosody): a None
    is a constant of the trace, not a graph input."""
    import inspect

    parameters = [name for name in inspect.signature(spec.module.forward).parameters]
    unknown = sorted(set(spec.inputs) - set(parameters))
    if unknown:
        raise ValueError(f"{spec.name}: {unknown} are not arguments of {type(spec.module).__name__}.forward")
    last = max(parameters.index(name) for name in spec.inputs)
    return {name: spec.inputs.get(name) for name in parameters[: last + 1]}


def has_graphs(specs: list[GraphSpec], directory: str | Path) -> bool:
    return all(graph_path(directory, spec.name).is_file() for spec in specs)


def export_graphs(specs: list[GraphSpec], directory: str | Path, ranges: dict | None = None) -> list[Path]:
    """Trace each spec's module with torch.onnx (dynamo) and write `<name>.onnx` without its weights.

    ranges: {spec name: {weight name: (low, high)}}, the calibrated input ranges of the products to
    run in 8 bits (model_files.onnx_int8, calibrated by tts.quantization): then `<name>.int8.onnx` is written too, from the same trace,
    for each network that has such products.
    """
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as error:
        raise ImportError("making ONNX graphs needs onnx and onnxscript: pip install 'flowmap-tts[train]'") from error
    written = []
    for spec in specs:
        names = list(spec.inputs)
        arguments = _positional(spec)
        program = torch.onnx.export(
            spec.module.eval(),
            tuple(arguments.values()),
            input_names=names,
            dynamic_shapes={name: None if value is None else spec.dynamic_axes.get(name, {}) for name, value in arguments.items()},
            dynamo=True,
            # The optimizer folds transposed weights into new constants; unoptimized, every weight
            # keeps its state-dict name, and ONNX Runtime folds the transposes itself at load time.
            optimize=False,
            verbose=False,
        )
        model = program.model_proto
        _strip_weights(model, spec.module.state_dict())
        _strip_trace_metadata(model)
        path = graph_path(directory, spec.name)
        path.write_bytes(model.SerializeToString())
        written.append(path)
        if ranges is not None:
            from model_files.onnx_int8 import quantize_matmuls

            # In place, after the float32 graph is written; a network with no products to
            # quantize gets no int8 file, and its float32 graph serves under int8 too.
            if quantize_matmuls(model, spec.module.state_dict(), ranges.get(spec.name, {})):
                path = graph_path(directory, spec.name, int8=True)
                path.write_bytes(model.SerializeToString())
                written.append(path)
    return written


def _strip_weights(model, state: dict[str, torch.Tensor]) -> None:
    """Turn every initializer that is a state-dict entry into an external reference with no data."""
    from onnx import TensorProto

    initializers = {tensor.name for tensor in model.graph.initializer}
    missing = sorted(set(state) - initializers)
    if missing:
        # A weight the graph does not name was folded into something else: its data would be baked in.
        raise RuntimeError(f"the exported graph does not name these weights, so it cannot load them: {missing[:5]}")
    for tensor in model.graph.initializer:
        if tensor.name not in state:
            continue  # a non-persistent buffer or constant: small, kept in the graph
        tensor.ClearField("raw_data")
        del tensor.external_data[:]
        for key, value in (("location", MISSING_WEIGHTS), ("offset", "0"), ("length", str(state[tensor.name].numel() * 4))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        tensor.data_location = TensorProto.EXTERNAL


def _strip_trace_metadata(model) -> None:
    """Drop the exporter's per-node source locations and stack traces: most of a graph's bytes, and
    paths of the machine that made it."""
    for node in model.graph.node:
        del node.metadata_props[:]
        node.doc_string = ""
    del model.metadata_props[:]
    model.graph.doc_string = ""
