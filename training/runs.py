"""What every training command does around its Lightning module: read the config, guard the run folder,
build the Trainer from the `trainer:` section (`training.config.TrainerConfig`), fit."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TypeVar

import torch

from model_files.typed_config import from_dict, load_file
from training.checkpoints import AtomicCheckpoint, last_checkpoint
from training.config import TrainerConfig
from training.exact_resume import ExactResume

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


def build_trainer(settings: TrainerConfig, out_dir: Path, progress: bool, seed: int, step_of=None, **overrides):
    """A Lightning Trainer with what every run here shares: CSV logs in `out_dir/logs`, atomic
    checkpoints every `settings.checkpoint_every` steps, validation every `validate_every` steps
    counted across epochs, and each batch's random draws seeded from (`seed`, rank, epoch, batch) so a
    resumed run continues as an unbroken one would (`ExactResume`; the data module's training batch
    sampler must be a `training.batches.ResumableBatches`, sharded by the module itself), on the
    accelerator, devices, nodes, strategy and precision it names. `overrides` add or replace Trainer
    arguments."""
    import lightning as L
    from lightning.pytorch.loggers import CSVLogger

    arguments = dict(
        accelerator=settings.accelerator,
        devices=settings.devices,
        num_nodes=settings.num_nodes,
        strategy=settings.strategy,
        precision=settings.precision,
        logger=CSVLogger(str(out_dir), name="logs"),
        callbacks=[AtomicCheckpoint(Path(out_dir) / "checkpoints", settings.checkpoint_every, step_of), ExactResume(seed)],
        enable_checkpointing=False,
        log_every_n_steps=settings.log_every,
        val_check_interval=settings.validate_every,
        check_val_every_n_epoch=None,
        num_sanity_val_steps=0,
        enable_progress_bar=progress,
        enable_model_summary=progress,
        use_distributed_sampler=False,
    )
    return L.Trainer(**{**arguments, **overrides})


def fit(trainer, module, data, checkpoint: Path | None) -> None:
    """Train, resuming from `checkpoint` when given; checkpoints are read with weights_only=True."""
    with warnings.catch_warnings():
        # Lightning warns that a mid-epoch resume with a plain DataLoader redoes the epoch; ExactResume
        # skips the batches already trained on instead.
        warnings.filterwarnings("ignore", message="You're resuming from a checkpoint that ended before the epoch ended")
        trainer.fit(module, datamodule=data, ckpt_path=str(checkpoint) if checkpoint is not None else None, weights_only=True)
