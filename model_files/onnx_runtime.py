"""ONNX Runtime sessions for exported networks: graph files, their weights, and running them. No torch.

A graph file (`<name>.onnx` beside an export's `config.json`) holds the computation only: each
parameter is an external initializer named by its state-dict key, with no data. `open_graph` gives the
session those weights from `model.safetensors` (read with safetensors' numpy API), so an export keeps
one copy of its weights, and a graph made for other weights fails with a clear error. The optimized
session graph is cached per user (model_files.graph_cache), so later processes skip that work. An int8 graph
(`<name>.int8.onnx`) takes the same float32 weights; ONNX Runtime quantizes them while loading it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

GRAPH_SUFFIX = ".onnx"
INT8_SUFFIX = ".int8.onnx"
"""An int8 graph sits beside its float32 one; `tts.load()` runs it where it exists (`int8=False`: float32)."""
MISSING_WEIGHTS = "weights-come-from-model.safetensors"
"""The external-data location written into graphs: no such file exists, so a weight that is not
supplied at load time fails loudly instead of being read from somewhere."""


class GraphsMissing(FileNotFoundError):
    """An export has no ONNX graphs, so it cannot run without torch. The message says how to make them."""


def graph_path(directory: str | Path, name: str, int8: bool = False) -> Path:
    return Path(directory) / f"{name}{INT8_SUFFIX if int8 else GRAPH_SUFFIX}"


def require_graphs(directory: str | Path, names: list[str]) -> None:
    """Raise `GraphsMissing` (one line: the command that writes them) unless every graph is there."""
    missing = [name for name in names if not graph_path(directory, name).is_file()]
    if missing:
        raise GraphsMissing(
            f"{directory} has no ONNX graph for {', '.join(missing)}, which running without torch needs; "
            f"write them with `tts export-graphs {directory}` (needs pip install 'flowmap-tts[train]')"
        )


def read_weights(path: str | Path) -> dict[str, np.ndarray]:
    """A safetensors file of floating-point weights as float32 numpy arrays by name.

    Raises ValueError naming the file for a missing, truncated or foreign file, a tensor that is not
    floating point (integer weights would be cast to nonsense), or one holding NaN or infinity.
    """
    from safetensors.numpy import load_file

    try:
        tensors = load_file(str(path))
    except Exception as error:  # noqa: BLE001 - safetensors raises its own error types for bad files
        raise ValueError(f"{path}: not a readable safetensors file ({error})") from None
    return {name: _checked_float32(path, name, array) for name, array in tensors.items()}


def _checked_float32(path: str | Path, name: str, array: np.ndarray) -> np.ndarray:
    """A stored tensor as contiguous float32, or a ValueError naming the file and the tensor."""
    if array.dtype.kind != "f":
        raise ValueError(f"{path}: tensor {name!r} is {array.dtype}; an export's weights are floating point")
    array = np.ascontiguousarray(array, dtype=np.float32)
    if not np.isfinite(array).all():
        raise ValueError(f"{path}: tensor {name!r} holds NaN or infinite values")
    return array


class WeightFile:
    """An export's `model.safetensors`, read (and checked) at most once, and only when a graph needs it.

    A graph opened from the graph cache (model_files.graph_cache) carries its weights, so a warm start
    reads single tensors (`tensor`) and never the whole file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._weights: dict[str, np.ndarray] | None = None

    def all(self) -> dict[str, np.ndarray]:
        if self._weights is None:
            self._weights = read_weights(self.path)
        return self._weights

    def select(self, renames: dict[str, str]) -> dict[str, np.ndarray]:
        """The tensors under each state-dict prefix of `renames`, named with its graph prefix instead."""
        return {new + name[len(old) :]: array for name, array in self.all().items() for old, new in renames.items() if name.startswith(old)}

    def tensor(self, name: str) -> np.ndarray | None:
        """One tensor as float32 (None if the file has none of that name), without reading the rest."""
        if self._weights is not None:
            return self._weights.get(name)
        from safetensors import safe_open

        try:
            with safe_open(str(self.path), framework="numpy") as tensors:
                if name not in tensors.keys():  # noqa: SIM118 - safe_open has no __contains__
                    return None
                array = tensors.get_tensor(name)
        except Exception:  # noqa: BLE001 - a bad file gets read_weights' one-line error
            return self.all().get(name)
        return _checked_float32(self.path, name, array)


def _options(threads: int | None):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Spinning threads would keep the cores busy between calls, while the glue runs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def open_graph(path: str | Path, weights: WeightFile, renames: dict[str, str], threads: int | None = None):
    """An ONNX Runtime CPU session for the graph at `path`, its initializers the tensors of `weights`
    that `renames` selects ({state-dict prefix: the graph's name prefix}).

    The optimized graph comes from the graph cache (model_files.graph_cache); on a miss it is made from
    the weights and written there first. Without a usable cache the graph opens from the weights."""
    from model_files import graph_cache

    entry = graph_cache.entry_path(path, weights.path, repr(sorted(renames.items())))
    if entry is not None:
        session = _open_cached(entry, threads)
        if session is None and _write_cached(path, weights, renames, entry, threads):
            session = _open_cached(entry, threads)
        if session is not None:
            return session
    import onnxruntime

    options = _with_weights(_options(threads), weights, renames)
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # noqa: BLE001 - onnxruntime raises its own exception types
        directory = Path(path).parent
        raise ValueError(f"{path} does not fit this model's weights ({error}); re-export it: tts export-graphs {directory}") from None


def _with_weights(options, weights: WeightFile, renames: dict[str, str]):
    import onnxruntime

    selected = weights.select(renames)
    names = list(selected)
    options.add_external_initializers(names, [onnxruntime.OrtValue.ortvalue_from_numpy(selected[name]) for name in names])
    return options


def _open_cached(entry: Path, threads: int | None):
    """A session from a cache entry, or None (none there, or a damaged one, which is deleted)."""
    import onnxruntime

    from model_files import graph_cache

    if not entry.is_file():
        return None
    options = _options(threads)
    # Optimized already, for this CPU and this ONNX Runtime (both in the entry's name).
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        session = onnxruntime.InferenceSession(str(entry), options, providers=["CPUExecutionProvider"])
    except Exception:  # noqa: BLE001 - rebuilt by the caller
        graph_cache.discard(entry)
        return None
    graph_cache.touch(entry)
    return session


def _write_cached(path: str | Path, weights: WeightFile, renames: dict[str, str], entry: Path, threads: int | None) -> bool:
    """Optimize the graph with its weights and write the result as `entry`; False if anything fails
    (a graph that does not fit its weights, a cache that cannot be written): the caller then opens the
    graph from the weights, which reports the first."""
    import onnxruntime

    from model_files import graph_cache

    temporary = graph_cache.temporary_path(entry)
    if temporary is None:
        return False
    options = _with_weights(_options(threads), weights, renames)
    options.optimized_model_filepath = str(temporary)
    options.log_severity_level = 3  # not the warning that the file suits this CPU alone: its name says so
    written = False
    try:
        onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        written = graph_cache.commit(temporary, entry)
    except Exception:  # noqa: BLE001, S110 - no cache entry, nothing worse
        pass
    finally:
        if not written:
            graph_cache.discard(temporary)
    return written


class Graph:
    """One network as an ONNX Runtime session: `graph(**arrays)` -> its outputs (one array or a tuple)."""

    def __init__(self, path: str | Path, weights: WeightFile, renames: dict[str, str], threads: int | None = None):
        self.path = Path(path)
        self.session = open_graph(path, weights, renames, threads)
        self.input_names = [node.name for node in self.session.get_inputs()]
        self.single_output = len(self.session.get_outputs()) == 1

    def __call__(self, **inputs: np.ndarray):
        extra = sorted(set(inputs) - set(self.input_names))
        if extra:
            raise ValueError(f"{self.path} was exported without {extra}; re-export it (tts export-graphs)")
        # Windows and broadcast noise are strided views; ONNX Runtime takes contiguous arrays.
        feeds = {name: np.ascontiguousarray(inputs[name]) for name in self.input_names}
        outputs = self.session.run(None, feeds)
        return outputs[0] if self.single_output else tuple(outputs)
