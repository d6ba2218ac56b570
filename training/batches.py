"""Batch samplers whose order is a function of (seed, epoch) alone, so a run resumed mid-epoch can skip
exactly the batches it already trained on.

A `torch.utils.data.RandomSampler` draws each epoch's order from a generator that has seen every earlier
epoch, and a restarted process starts that generator again: its resumed epoch is a different order, and
it starts from the first batch. These samplers rebuild epoch e's order from (seed, e), and
`skip_next(n)` drops the first n batches of the next pass; `resume(trainer)` sets both where a
restored run goes on (`training.exact_resume`).

With several processes (DDP) each rank takes every `num_replicas`-th batch of the same order, and the
batch count is rounded down to a multiple of `num_replicas` so every rank steps equally.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch


class ResumableBatches(torch.utils.data.Sampler):
    """Base: `_epoch_batches()` gives every rank's batches of `self.epoch`; this shards and skips them."""

    def __init__(self, num_replicas: int = 1, rank: int = 0):
        if not 0 <= rank < num_replicas:
            raise ValueError(f"rank {rank} out of range for {num_replicas} replicas")
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self._skip = 0

    def set_epoch(self, epoch: int) -> None:
        """Lightning calls this before each epoch's pass."""
        self.epoch = epoch

    def skip_next(self, batches: int) -> None:
        """The next pass starts after its first `batches` batches (a resumed epoch's done part)."""
        if batches < 0:
            raise ValueError(f"cannot skip {batches} batches")
        self._skip = batches

    def resume(self, trainer) -> ResumableBatches:
        """Place the sampler where `trainer` (restored from a checkpoint, or None) goes on; returns it."""
        from training.exact_resume import resume_position

        epoch, done = resume_position(trainer, len(self))
        self.set_epoch(epoch)
        self.skip_next(done)
        return self

    def _epoch_batches(self) -> list[list]:
        raise NotImplementedError

    def _rank_batches(self) -> list[list]:
        batches = self._epoch_batches()
        usable = len(batches) - len(batches) % self.num_replicas
        return batches[:usable][self.rank :: self.num_replicas]

    def __iter__(self) -> Iterator[list]:
        skip, self._skip = self._skip, 0
        yield from self._rank_batches()[skip:]

    def __len__(self) -> int:
        """Batches in a whole epoch (a resumed epoch's skipped ones included: Lightning counts them done)."""
        return len(self._rank_batches())


class EpochShuffledBatches(ResumableBatches):
    """Uniformly shuffled batches of `batch_size` item keys, reshuffled per (seed, epoch).

    Each key is `(index, epoch)`, so a dataset that draws random crops can seed them by the pair and
    draw the same crop in a resumed epoch as in the unbroken one, in any worker process.
    """

    def __init__(self, size: int, batch_size: int, seed: int, drop_last: bool = False, num_replicas: int = 1, rank: int = 0):
        super().__init__(num_replicas, rank)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.size = size
        self.batch_size = batch_size
        self.seed = seed
        self.drop_last = drop_last

    def _epoch_batches(self) -> list[list[tuple[int, int]]]:
        order = np.random.default_rng((self.seed, self.epoch)).permutation(self.size).tolist()
        batches = [[(i, self.epoch) for i in order[start : start + self.batch_size]] for start in range(0, self.size, self.batch_size)]
        if self.drop_last:
            batches = [b for b in batches if len(b) == self.batch_size]
        return batches
