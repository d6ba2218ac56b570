"""Compact resumable state: a training checkpoint small enough to commit, and the checkpoint rebuilt from it.

A run that cannot finish in one session keeps going in the next only if its state survives outside
the machine, and git is what survives. A Lightning checkpoint holds float32 weights and two float32
Adam moments per parameter (12 bytes a parameter); the compact state stores the weights as float16
and the moments as bfloat16 (6 bytes a parameter), everything else exactly:

- `tensors.safetensors`: every tensor of the checkpoint. Floating tensors of `state_dict` (the
  networks, EMA copies and their buffers) as float16, or float32 where float16 would overflow;
  Adam's `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq`) as bfloat16, because a second moment's values
  (1e-12 and below) underflow float16 to zero, and a zero second moment makes the next update explode;
  integer, boolean and other tensors (steps, counters) unchanged.
- `state.json`: the rest of the checkpoint (global step, loop and epoch progress, LR scheduler state,
  hyper_parameters), each tensor replaced by a reference to its stored copy and original dtype, with a
  format version and the SHA-256 of the tensors file.

No pickles: the checkpoint rebuilt from them loads with torch.load(weights_only=True). A tiny GAN
vocoder resumed from it at step 2 is, at step 4, 4.7x the float16 rounding of its weights away from the
same run resumed from its full checkpoint; the bfloat16 moments add 0.14x, float16 ones would add 190x,
more than the weights move in those steps (tests/test_compact_state.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import OrderedDict
from pathlib import Path

FORMAT = "flowmap-compact-training-state"
VERSION = 1
TENSORS = "tensors.safetensors"
STATE = "state.json"
MOMENTS = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
FLOAT16_MAX = 65504.0


def save_compact_state(checkpoint_path: str | Path, state_dir: str | Path) -> int:
    """Write `state_dir/tensors.safetensors` and `state_dir/state.json` from a training checkpoint;
    returns their size in bytes. An earlier state in `state_dir` is replaced (state.json last, so a
    save cut short leaves a hash mismatch, never a state that looks whole)."""
    from safetensors.torch import save_file

    from training.checkpoints import read_checkpoint

    checkpoint = read_checkpoint(checkpoint_path)
    tensors: dict = {}
    skeleton = _encode(checkpoint, (), tensors)
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    temporary = state_dir / f".{TENSORS}.tmp-{os.getpid()}"
    save_file(tensors, str(temporary))
    digest = _sha256(temporary)
    os.replace(temporary, state_dir / TENSORS)
    state = {
        "format": FORMAT,
        "version": VERSION,
        "global_step": checkpoint.get("global_step"),
        "tensors": {"file": TENSORS, "sha256": digest, "bytes": (state_dir / TENSORS).stat().st_size},
        "checkpoint": skeleton,
    }
    write_atomically(state_dir / STATE, (json.dumps(state, allow_nan=False) + "\n").encode())
    return sum((state_dir / name).stat().st_size for name in (TENSORS, STATE))


def restore_compact_state(state_dir: str | Path, checkpoint_path: str | Path) -> Path:
    """Rebuild a training checkpoint Lightning resumes from (weights and moments back in their original
    dtypes) at `checkpoint_path`, written atomically. An existing checkpoint is never overwritten."""
    import torch
    from safetensors.torch import load_file

    state_dir, checkpoint_path = Path(state_dir), Path(checkpoint_path)
    if checkpoint_path.exists():
        raise FileExistsError(f"{checkpoint_path} exists: the compact state is restored only where its run's checkpoint is gone")
    state = _read_state(state_dir / STATE)
    tensors_path = state_dir / state["tensors"]["file"]
    if not tensors_path.is_file():
        raise ValueError(f"{tensors_path}: missing (state.json refers to it)")
    if _sha256(tensors_path) != state["tensors"]["sha256"]:
        raise ValueError(f"{tensors_path}: SHA-256 differs from the one in {state_dir / STATE} (damaged, or from another save)")
    try:
        stored = load_file(str(tensors_path))
    except Exception as error:  # noqa: BLE001 - safetensors reports a bad header in several error types
        raise ValueError(f"{tensors_path}: not a readable safetensors file ({type(error).__name__})") from None
    checkpoint = _decode(state["checkpoint"], stored, tensors_path)
    checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = checkpoint_path.parent / f".{checkpoint_path.name}.tmp-{os.getpid()}"
    torch.save(checkpoint, temporary)
    os.replace(temporary, checkpoint_path)
    return checkpoint_path


def _stored_form(tensor, path: tuple):
    """The tensor as stored: float16 weights, bfloat16 Adam moments, anything else as it is."""
    import torch

    if not tensor.is_floating_point():
        return tensor
    if path and path[-1] in MOMENTS:
        return tensor.to(torch.bfloat16)
    if path and path[0] == "state_dict":
        finite = tensor[torch.isfinite(tensor)]
        if finite.numel() == 0 or float(finite.abs().max()) <= FLOAT16_MAX:
            return tensor.to(torch.float16)
    return tensor


def _encode(value, path: tuple, tensors: dict):
    """`value` as JSON, its tensors moved into `tensors` (name -> stored tensor) and referenced by name.

    Tagged objects ({"$tensor": ...}, {"$tuple": ...}, ...) keep what JSON has no form for: tuples,
    dicts with keys other than strings (optimizer states are keyed by parameter index), ordered dicts
    with their metadata, non-finite floats.
    """
    import torch

    if isinstance(value, torch.Tensor):
        name = "/".join(str(part) for part in path)
        while name in tensors:
            name += "'"
        # Cloned and contiguous: safetensors refuses views and tensors that share memory.
        tensors[name] = _stored_form(value.detach(), path).contiguous().clone()
        return {"$tensor": name, "dtype": str(value.dtype).removeprefix("torch.")}
    if isinstance(value, OrderedDict):
        # A module's state_dict: its `_metadata` (each submodule's version) guides load_state_dict.
        return {"$ordered": _encode(dict(value), path, tensors), "metadata": _encode(getattr(value, "_metadata", None), path, {})}
    if isinstance(value, dict):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: _encode(item, path + (key,), tensors) for key, item in value.items()}
        return {"$dict": [[_encode(key, path, {}), _encode(item, path + (key,), tensors)] for key, item in value.items()]}
    if isinstance(value, list):
        return [_encode(item, path + (i,), tensors) for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item, path + (i,), tensors) for i, item in enumerate(value)]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"checkpoint entry {'/'.join(map(str, path))}: a {type(value).__name__}, which the compact state cannot hold")


def _decode(value, stored: dict, source: Path):
    """The inverse of `_encode`: tensors back from `stored`, in their original dtypes."""
    import torch

    if isinstance(value, list):
        return [_decode(item, stored, source) for item in value]
    if not isinstance(value, dict):
        return value
    if "$tensor" in value:
        if value["$tensor"] not in stored:
            raise ValueError(f"{source}: no tensor {value['$tensor']!r} (state.json and the tensors do not match)")
        return stored[value["$tensor"]].to(getattr(torch, value["dtype"]))
    if "$ordered" in value:
        ordered = OrderedDict(_decode(value["$ordered"], stored, source))
        if value["metadata"] is not None:
            ordered._metadata = _decode(value["metadata"], stored, source)
        return ordered
    if "$tuple" in value:
        return tuple(_decode(item, stored, source) for item in value["$tuple"])
    if "$dict" in value:
        return {_decode(key, stored, source): _decode(item, stored, source) for key, item in value["$dict"]}
    if "$float" in value:
        return float(value["$float"])
    return {key: _decode(item, stored, source) for key, item in value.items()}


def _read_state(path: Path) -> dict:
    """state.json, checked for its format and version; ValueError naming the file otherwise."""
    if not path.is_file():
        raise ValueError(f"{path}: missing (not a compact training state)")
    try:
        state = json.loads(path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"{path}: not a compact training state (format is not {FORMAT!r})")
    if state.get("version") != VERSION:
        raise ValueError(f"{path}: compact state version {state.get('version')!r}; this version of tts reads version {VERSION}")
    if not isinstance(state.get("tensors"), dict) or "sha256" not in state["tensors"] or "checkpoint" not in state:
        raise ValueError(f"{path}: incomplete compact state (no tensors hash or checkpoint)")
    return state


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """`data` into `path` through a temporary file beside it and a rename: a reader, or a kill, never sees half a file."""
    temporary = path.parent / f".{path.name}.tmp-{os.getpid()}"
    temporary.write_bytes(data)
    os.replace(temporary, path)
