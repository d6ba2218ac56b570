"""Training checkpoints: written atomically (`AtomicCheckpoint`), read back with weights_only=True
(`read_checkpoint`), and the one to resume from found (`last_checkpoint`). A run killed at any moment
resumes from its last complete checkpoint.

Lightning writes a checkpoint straight to its final path, so a kill mid-write leaves a truncated file.
`AtomicCheckpoint` writes to a temporary file in the same directory and renames it (`os.replace` is
atomic on POSIX), keeping `last.ckpt` always loadable; the checkpoint before it is kept as
`previous.ckpt`, and resuming falls back to it when `last.ckpt` cannot be read (a damaged disk, a
foreign file copied over it).
"""

from __future__ import annotations

import os
from pathlib import Path

import lightning as L

LAST = "last.ckpt"
PREVIOUS = "previous.ckpt"


def read_checkpoint(path: str | Path) -> dict:
    """A training checkpoint of this project, read with torch.load(weights_only=True).

    Raises ValueError naming the file for a missing, truncated or foreign file (no `state_dict` or
    `hyper_parameters`), instead of torch's traceback or a KeyError.
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001 - unpickling, zip and EOF errors come in many types
        raise ValueError(f"{path}: not a readable checkpoint ({type(error).__name__}: {' '.join(str(error).split())[:200]})") from None
    if not isinstance(state, dict) or "state_dict" not in state or "hyper_parameters" not in state:
        raise ValueError(f"{path}: not a training checkpoint of this project (no state_dict and hyper_parameters)")
    return state


class AtomicCheckpoint(L.Callback):
    """Save `dirpath/last.ckpt` every `every_n_steps` optimisation steps and when training ends.

    `step_of(module)` says which step counter to use (GAN modules count generator steps themselves,
    because Lightning's global_step counts every optimizer's steps).
    """

    def __init__(self, dirpath: str | Path, every_n_steps: int, step_of=None):
        if every_n_steps < 1:
            raise ValueError(f"every_n_steps must be >= 1, got {every_n_steps}")
        self.dirpath = Path(dirpath)
        self.every_n_steps = every_n_steps
        self.step_of = step_of or (lambda trainer, module: trainer.global_step)
        self._last_saved = None

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        step = self.step_of(trainer, pl_module)
        if step > 0 and step % self.every_n_steps == 0 and step != self._last_saved:
            self.save(trainer, step)

    def on_train_end(self, trainer, pl_module) -> None:
        step = self.step_of(trainer, pl_module)
        if step != self._last_saved:
            self.save(trainer, step)

    def save(self, trainer, step: int) -> Path:
        self.dirpath.mkdir(parents=True, exist_ok=True)
        final = self.dirpath / LAST
        temporary = self.dirpath / f".{LAST}.tmp-{os.getpid()}"
        # The whole state (optimizers, schedulers, loops), so a resumed run continues where it stopped.
        trainer.save_checkpoint(temporary, weights_only=False)
        if trainer.is_global_zero:
            if final.is_file():
                os.replace(final, self.dirpath / PREVIOUS)
            os.replace(temporary, final)
        self._last_saved = step
        return final


def last_checkpoint(dirpath: str | Path) -> Path | None:
    """The newest readable checkpoint in `dirpath` (last.ckpt, else previous.ckpt), or None when there
    is none yet. An unreadable last.ckpt is reported in one line; if no checkpoint is readable, the
    ValueError names them."""
    candidates = [path for path in (Path(dirpath) / LAST, Path(dirpath) / PREVIOUS) if path.is_file()]
    problems = []
    for path in candidates:
        try:
            read_checkpoint(path)
        except ValueError as error:
            problems.append(str(error))
            continue
        if problems:
            print(f"resuming from {path}: {problems[0]}", flush=True)
        return path
    if problems:
        raise ValueError(f"no readable checkpoint to resume from: {'; '.join(problems)}")
    return None
