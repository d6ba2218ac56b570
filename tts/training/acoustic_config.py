"""The acoustic model's training config: one YAML file (`tts train CONFIG`), read into these dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tts.flow.objectives import ObjectiveConfig
from tts.model.config import AcousticConfig


@dataclass(frozen=True)
class AcousticDataConfig:
    metadata: str = "data/metadata.csv"
    """LJSpeech-style metadata.csv; audio in `<its folder>/<audio_dir>/<id>.wav`."""
    format: Literal["ljspeech", "multispeaker"] = "ljspeech"
    audio_dir: str = "wavs"
    cache_dir: str | None = None
    """Feature cache (default: `<trainer.out_dir>/features`)."""
    feature_packs: list[str] | None = None
    """Train from these feature-pack parts (`tts pack-features`) instead of `metadata` and its audio;
    neither the recordings nor espeak-ng are needed then."""
    min_seconds: float = 0.5
    max_seconds: float = 15.0
    validation_items: int = 16
    batch_size: int = 16
    pool_batches: int = 50
    """Length bucketing: batches are formed from sorted pools of this many batches."""
    num_workers: int = 0
    seed: int = 1234


@dataclass(frozen=True)
class FlowTrainingConfig:
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    """The flow-map objective from scratch (method splitmeanflow, meanflow or flow_matching)."""
    schedule: Literal["from_scratch", "two_stage"] = "from_scratch"
    """two_stage: flow matching until `distill_start_step`, then `objective.method` distilled from a
    frozen copy of the EMA flow-matching decoder (the teacher's velocity is the boundary target)."""
    distill_start_step: int = 0


@dataclass(frozen=True)
class AcousticOptimConfig:
    learning_rate: float = 3e-4
    betas: tuple[float, float] = (0.9, 0.99)
    weight_decay: float = 0.01
    warmup_steps: int = 1000
    min_lr_ratio: float = 0.05
    gradient_clip: float = 1.0
    ema_decay: float = 0.999
    """EMA of all weights; exports use the EMA. The decay ramps up as (1 + n) / (10 + n) early on."""


@dataclass(frozen=True)
class AcousticTrainerConfig:
    out_dir: str = "runs/acoustic"
    max_steps: int = 200000
    checkpoint_every: int = 1000
    validate_every: int = 2000
    validation_samples: int = 4
    """Utterances synthesized at 1 and 2 steps at each validation (mel L1 logged, audio saved); 0 saves
    no audio and loads no vocoder."""
    vocoder: str = "griffin-lim"
    """Vocoder for validation audio: griffin-lim, vocos-pretrained, or an exported vocoder directory."""
    log_every: int = 25
    accelerator: str = "auto"
    devices: int | str = "auto"
    num_nodes: int = 1
    strategy: str = "auto"
    precision: str = "32-true"
    threads: int | None = None


@dataclass(frozen=True)
class AcousticTrainConfig:
    model: AcousticConfig = field(default_factory=AcousticConfig)
    data: AcousticDataConfig = field(default_factory=AcousticDataConfig)
    flow: FlowTrainingConfig = field(default_factory=FlowTrainingConfig)
    optim: AcousticOptimConfig = field(default_factory=AcousticOptimConfig)
    trainer: AcousticTrainerConfig = field(default_factory=AcousticTrainerConfig)
