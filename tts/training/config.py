"""The acoustic model's training config: one YAML file (`tts train CONFIG`), read into these dataclasses.

The `trainer:` section is the shared `training.config.TrainerConfig`, with the acoustic model's
defaults and its validation-audio settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from training.config import TrainerConfig
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
class AdversarialConfig:
    """Post-training the 1-step generator against a learned mel critic (tts.training.mel_critic),
    with the flow-map losses kept as the anchor. Off while `weight` is 0; usually started from an
    exported model (`tts train CONFIG --init-from EXPORT`)."""

    weight: float = 0.0
    """Weight of the critic's hinge loss on the generator's 1-step output; 0 turns the critic off."""
    feature_matching: float = 2.0
    """Weight of the L1 between the critic's feature maps of real and generated mels."""
    start_step: int = 0
    """Steps of the flow-map losses alone (the critic learns from the start) before the generator
    is pushed by the critic."""
    learning_rate: float = 2e-4
    """The critic's AdamW learning rate (constant)."""
    channels: tuple[int, ...] = (16, 32, 64, 64)
    """The critic's widths, one per layer (tts.training.mel_critic.MelCritic)."""
    temperatures: tuple[float, float] = (0.0, 1.0)
    """The 1-step samples the critic judges start from noise scaled by a temperature drawn uniformly
    from this range per item, so the generator stays good at the voice's temperature and when sampling."""

    def __post_init__(self) -> None:
        low, high = self.temperatures
        if self.weight < 0 or self.feature_matching < 0 or self.start_step < 0 or self.learning_rate <= 0 or not 0 <= low <= high:
            raise ValueError(f"adversarial settings out of range: {self}")


@dataclass(frozen=True)
class DistillConfig:
    """A thinner decoder (`model.decoder`: fewer `layers`, a narrower `intermediate_dim`) or encoder
    (`model.encoder`: a narrower `filter_channels`, fewer `prenet_layers`) taught by a trained model: beside the flow-map
    losses, the student's 1-step output learns the teacher's on the same noise. A decoder student
    decodes the same prior mean as its teacher; an encoder student also learns the teacher's prior
    mean and log durations per phoneme (`prior_weight`, `duration_weight`), and its 1-step output is
    held to the teacher's from the teacher's own prior mean. Start the run from the teacher (`tts
    train CONFIG --init-from TEACHER`): the student then begins as its pruned copy
    (tts.training.shrink), not from scratch."""

    teacher: str | None = None
    """The exported acoustic model that teaches (its decoder; its encoder and duration predictor too
    when the student's encoder differs); None: no distillation."""
    weight: float = 1.0
    """Weight of the L1 between the student's and the teacher's 1-step outputs (normalized mels)."""
    blocks: tuple[int, ...] = ()
    """The `--init-from` decoder's blocks the student starts from, one per student layer (default:
    evenly spaced, first and last included)."""
    temperatures: tuple[float, float] = (0.0, 1.0)
    """Each item's noise is scaled by a temperature drawn uniformly from this range, so the student
    learns the teacher at the voice's temperature and when sampling."""
    prior_weight: float = 1.0
    """An encoder student: weight of the mean L1 between its prior mean and the teacher's, per
    phoneme, in normalized mel units."""
    duration_weight: float = 1.0
    """An encoder student: weight of the mean squared error between its log durations and the
    teacher's, per phoneme. It trains the duration predictor alone (which reads the encoder's states
    detached), so it does nothing with `duration_predictor` frozen."""

    def __post_init__(self) -> None:
        low, high = self.temperatures
        if min(self.weight, self.prior_weight, self.duration_weight) < 0 or not 0 <= low <= high:
            raise ValueError(f"distill settings out of range: {self}")


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
    frozen: tuple[str, ...] = ()
    """Parts of the model held still, by name (`encoder`, `duration_predictor`, `prosody_predictor`,
    `decoder`): a fine-tune on little data can train fewer weights."""
    lr_scales: dict[str, float] = field(default_factory=dict)
    """Learning-rate multipliers by parameter-name prefix (`decoder.prosody: 30`): a layer a fine-tune
    adds at zero learns at a larger rate than the trained weights around it, which must not move far."""

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.lr_scales.items() if not v > 0}
        if bad:
            raise ValueError(f"optim.lr_scales must be positive: {bad}")


@dataclass(frozen=True)
class AcousticTrainerConfig(TrainerConfig):
    """The shared `trainer:` settings with the acoustic model's defaults, and its validation audio."""

    out_dir: str = "runs/acoustic"
    max_steps: int = 200000
    checkpoint_every: int = 1000
    validate_every: int = 2000
    validation_samples: int = 4
    """Utterances synthesized at 1 and 2 steps at each validation (mel L1 logged, audio saved); 0 saves
    no audio and loads no vocoder."""
    vocoder: str = "griffin-lim"
    """Vocoder for validation audio: griffin-lim, vocos-pretrained, or an exported vocoder directory."""


@dataclass(frozen=True)
class AcousticTrainConfig:
    model: AcousticConfig = field(default_factory=AcousticConfig)
    data: AcousticDataConfig = field(default_factory=AcousticDataConfig)
    flow: FlowTrainingConfig = field(default_factory=FlowTrainingConfig)
    optim: AcousticOptimConfig = field(default_factory=AcousticOptimConfig)
    adversarial: AdversarialConfig = field(default_factory=AdversarialConfig)
    distill: DistillConfig = field(default_factory=DistillConfig)
    trainer: AcousticTrainerConfig = field(default_factory=AcousticTrainerConfig)
