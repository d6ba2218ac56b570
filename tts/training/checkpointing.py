"""Atomic, resumable checkpoints: a run killed at any moment resumes from its last complete checkpoint.

Lightning writes a checkpoint straight to its final path, so a kill mid-write leaves a truncated file.
`AtomicCheckpoint` writes to a temporary file in the same directory and renames it (`os.replace` is
atomic on POSIX), keeping `last.ckpt` always loadable.
"""

from __future__ import annotations

import os
from pathlib import Path

import lightning as L

LAST = "last.ckpt"


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
        trainer.save_checkpoint(temporary)
        if trainer.is_global_zero:
            os.replace(temporary, final)
        self._last_saved = step
        return final


def last_checkpoint(dirpath: str | Path) -> Path | None:
    """The resumable checkpoint in `dirpath`, or None when there is none yet."""
    path = Path(dirpath) / LAST
    return path if path.is_file() else None
