"""`ExactResume`: a run killed mid-epoch and resumed trains on what an unbroken run would have.

Lightning restores weights, optimizers, schedules and its loop counters, but not two things a restart
changes:
- the random draws of every step (flow times, noise, crops, dropout), which come from the global
  generators that the new process seeds afresh: this callback reseeds them before each batch from
  (seed, rank, epoch, batch), so a step's draws depend on where it is in the run, not on the process's
  history, and every rank of a DDP run draws its own;
- the rest of a restarted epoch: its batch sampler (`training.batches.ResumableBatches`) is made at
  the restored position (`resume_position`), rebuilds that epoch's order and skips the batches the
  checkpoint had already trained on.
It also tells that batch sampler each new epoch: Lightning calls `set_epoch` on a loader's sampler and
on its batch sampler's `.sampler`, never on the batch sampler itself.
Worker processes of a DataLoader need nothing more: datasets seed their own draws by item key.
"""

from __future__ import annotations

import random

import lightning as L
import numpy as np
import torch


def step_seeds(seed: int, rank: int, epoch: int, batch: int) -> tuple[int, int]:
    """(torch's 63-bit seed, numpy's and Python's 32-bit seed) for one batch of one rank."""
    words = np.random.SeedSequence([seed, rank, epoch, batch]).generate_state(3, np.uint32)
    return (int(words[0]) << 31) | (int(words[1]) >> 1), int(words[2])


def resume_position(trainer, batches_per_epoch: int) -> tuple[int, int]:
    """(epoch, batches of it already trained) where a restored run goes on; (0, 0) for a fresh one.

    Read when the training loader is made (`training.batches.ResumableBatches.resume`): Lightning
    has restored its loop counters by then, and starts the loader's workers right after, before any
    callback could tell the sampler. A run saved after an epoch's last batch goes on with the next."""
    if trainer is None:
        return 0, 0
    epoch = trainer.current_epoch
    done = trainer.fit_loop.epoch_loop.batch_progress.current.processed
    if done >= batches_per_epoch:
        return epoch + 1, 0
    return epoch, done


class ExactResume(L.Callback):
    def __init__(self, seed: int):
        self.seed = seed

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        sampler = getattr(trainer.train_dataloader, "batch_sampler", None)
        if not hasattr(sampler, "set_epoch"):
            raise TypeError(f"exact resumption needs a training batch sampler that knows its epoch (training.batches.ResumableBatches), not {type(sampler).__name__}")
        # Before the epoch's iterator is made (the first epoch's sampler was placed when it was made).
        sampler.set_epoch(trainer.current_epoch)

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        torch_seed, other_seed = step_seeds(self.seed, trainer.global_rank, trainer.current_epoch, batch_idx)
        torch.manual_seed(torch_seed)
        np.random.seed(other_seed)
        random.seed(other_seed)
