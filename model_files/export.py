"""An exported model's directory, written and read: `config.json` (a `kind`, the model's config,
metadata) and `model.safetensors` (its weights). Shared by the acoustic model and the vocoders; loading
needs no trainer, and reading an export's config needs no torch (the CPU runtime reads the weights
with `model_files.onnx_runtime`)."""

from __future__ import annotations

from pathlib import Path

from model_files.typed_config import from_dict, load_file, save_json

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


def save_export(directory: str | Path, kind: str, config: dict, module, dtype=None, **extra) -> Path:
    """Write `{"kind", "model": config, **extra}` and the torch module's weights (cast to `dtype`, default float32)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    save_json({"kind": kind, "model": config, **extra}, directory / CONFIG_FILE)
    save_weights(module.state_dict(), directory / WEIGHTS_FILE, dtype)
    return directory


def save_weights(state: dict, path: str | Path, dtype=None) -> Path:
    """Write torch tensors {name: tensor} as one safetensors file, cast to `dtype` (default float32)."""
    import torch
    from safetensors.torch import save_file

    dtype = dtype or torch.float32
    save_file({name: tensor.detach().to(dtype).contiguous() for name, tensor in state.items()}, str(path), metadata={"dtype": str(dtype)})
    return Path(path)


def read_torch_weights(path: str | Path) -> dict:
    """float32 torch tensors of a safetensors file, checked as the CPU runtime checks weights
    (`model_files.onnx_runtime.read_weights`)."""
    import torch

    from model_files.onnx_runtime import read_weights

    return {name: torch.from_numpy(array) for name, array in read_weights(Path(path)).items()}


def read_export_config(directory: str | Path, kind: str) -> dict:
    """The config data of an export of `kind`; clear errors for a missing file or another kind."""
    directory = Path(directory)
    for name in (CONFIG_FILE, WEIGHTS_FILE):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{directory} is not an exported {kind} model: {name} is missing")
    data = load_file(directory / CONFIG_FILE)
    if data.get("kind") != kind:
        raise ValueError(f"{directory / CONFIG_FILE}: not a {kind} model (kind={data.get('kind')!r})")
    return data


def read_model_config(directory: str | Path, kind: str, config_class, data: dict | None = None):
    """The `model` entry of an export's config.json as `config_class`; any bad value is one
    ValueError naming the file."""
    data = read_export_config(directory, kind) if data is None else data
    try:
        return from_dict(config_class, data.get("model"), "model")
    except (ValueError, TypeError) as error:
        raise ValueError(f"{Path(directory) / CONFIG_FILE}: {error}") from None


def read_export(directory: str | Path, kind: str) -> tuple[dict, dict]:
    """(config data, float32 torch weights) of an export of `kind`; clear errors for anything else.

    Weights are checked as the CPU runtime checks them (`model_files.onnx_runtime.read_weights`)."""
    data = read_export_config(directory, kind)
    return data, read_torch_weights(Path(directory) / WEIGHTS_FILE)


def load_weights_into(module, state: dict, directory: str | Path) -> None:
    """`module.load_state_dict(state)`, with a missing, unexpected or misshapen tensor a ValueError naming the export."""
    try:
        module.load_state_dict(state)
    except RuntimeError as error:
        details = " ".join(str(error).split())
        raise ValueError(f"{Path(directory) / WEIGHTS_FILE}: the weights do not fit the architecture in config.json ({details[:300]})") from None
