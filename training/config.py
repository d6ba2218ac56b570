"""`TrainerConfig`: the `trainer:` section every training config has (where a run writes, how long it
runs, how often it checkpoints, validates and logs, and on what hardware), read by `training.runs`.

Each trainer subclasses it for its own defaults of the run folder and lengths
(`vocoder.training.config.VocoderTrainerConfig`, `tts.training.config.AcousticTrainerConfig`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainerConfig:
    out_dir: str
    """Checkpoints, logs, validation samples and the export go here."""
    max_steps: int
    """Training steps (the vocoder counts generator steps)."""
    checkpoint_every: int
    """Steps between atomic checkpoints (`training.checkpoints`)."""
    validate_every: int
    """Steps between validations, counted across epochs."""
    log_every: int = 25
    accelerator: str = "auto"
    devices: int | str = "auto"
    num_nodes: int = 1
    strategy: str = "auto"
    precision: str = "32-true"
    threads: int | None = None
    """torch CPU threads (None: torch's default)."""
