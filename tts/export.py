"""Exported models: a directory with `config.json` (a `kind`, the model's config, metadata) and
`model.safetensors`. Shared by the acoustic model and the vocoders; loading needs no trainer."""

from __future__ import annotations

from pathlib import Path

import torch

from tts.config import load_file, save_json

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


def save_export(directory: str | Path, kind: str, config: dict, module: torch.nn.Module, dtype: torch.dtype = torch.float32, **extra) -> Path:
    """Write `{"kind", "model": config, **extra}` and the module's weights (cast to `dtype`)."""
    from safetensors.torch import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    save_json({"kind": kind, "model": config, **extra}, directory / CONFIG_FILE)
    state = {name: tensor.detach().to(dtype).contiguous() for name, tensor in module.state_dict().items()}
    save_file(state, str(directory / WEIGHTS_FILE), metadata={"dtype": str(dtype)})
    return directory


def read_export(directory: str | Path, kind: str) -> tuple[dict, dict[str, torch.Tensor]]:
    """(config data, float32 weights) of an export of `kind`; clear errors for anything else."""
    from safetensors.torch import load_file as load_tensors

    directory = Path(directory)
    for name in (CONFIG_FILE, WEIGHTS_FILE):
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{directory} is not an exported {kind} model: {name} is missing")
    data = load_file(directory / CONFIG_FILE)
    if data.get("kind") != kind:
        raise ValueError(f"{directory / CONFIG_FILE}: not a {kind} model (kind={data.get('kind')!r})")
    return data, {name: tensor.float() for name, tensor in load_tensors(str(directory / WEIGHTS_FILE)).items()}
