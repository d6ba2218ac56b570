"""What every training command does before its trainer starts: read the config, guard the run folder."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import torch

from tts.config import from_dict, load_file
from tts.training.checkpointing import last_checkpoint

T = TypeVar("T")


def load_training_config(cls: type[T], path: str | Path, overrides: dict | None = None) -> T:
    """Read a training YAML into `cls`; `overrides` ({"trainer": {"max_steps": 10}}) are merged on top."""
    data = load_file(path)
    for section, values in (overrides or {}).items():
        data.setdefault(section, {}).update(values)
    return from_dict(cls, data)


def start_run(out_dir: str | Path, resume: bool, threads: int | None) -> Path | None:
    """Create `out_dir`; return the checkpoint to resume from (None for a fresh run).

    An existing run is never silently overwritten: without `resume`, its checkpoint is an error.
    """
    out_dir = Path(out_dir)
    checkpoint = last_checkpoint(out_dir / "checkpoints")
    if checkpoint is not None and not resume:
        raise FileExistsError(f"{checkpoint} exists: pass --resume to continue that run, or choose another trainer.out_dir")
    if threads:
        torch.set_num_threads(threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    return checkpoint
