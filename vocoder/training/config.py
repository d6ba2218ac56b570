"""The vocoder training config: one YAML file, read into these dataclasses (see recipes/*/vocoder.yaml).

The `trainer:` section is the shared `training.config.TrainerConfig`, with the vocoder's defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from training.config import TrainerConfig
from vocoder.vocos_model import VocosConfig


@dataclass(frozen=True)
class VocoderDataConfig:
    metadata: str | None = None
    """An LJSpeech-style metadata.csv; its audio is `<its folder>/<audio_dir>/<id>.wav`."""
    format: Literal["ljspeech", "multispeaker"] = "ljspeech"
    audio_dir: str = "wavs"
    """Audio folder, relative to the metadata's folder; with `metadata: null`, every wav/flac under it."""
    mel_dir: str | None = None
    """Fine-tuning on an acoustic model's output: a folder of its mels aligned to the recordings
    (`tts acoustic-mels`, `<id>.npy`), relative to the metadata's folder or absolute. None: the
    vocoder vocodes mels of the audio itself. Needs `metadata`."""
    segment_samples: int = 16384
    """Training crop length in samples (64 frames at hop 256); a whole number of hops with `mel_dir`."""
    validation_segment_samples: int = 48000
    validation_items: int = 8
    """Files held out for validation (seeded)."""
    batch_size: int = 8
    num_workers: int = 0
    seed: int = 1234


@dataclass(frozen=True)
class DiscriminatorConfig:
    periods: tuple[int, ...] = (2, 3, 5, 7, 11)
    """Multi-period discriminator periods; empty disables it."""
    period_channels: tuple[int, ...] = (32, 128, 512, 1024, 1024)
    """Channels of each period discriminator's five convs. Vocos/HiFi-GAN's are (32, 128, 512, 1024, 1024), 41M params."""
    resolutions: tuple[int, ...] = (2048, 1024, 512)
    """Multi-resolution discriminator FFT sizes; empty disables it."""
    resolution_channels: int = 32


@dataclass(frozen=True)
class VocoderLossConfig:
    mel: float = 45.0
    """Weight of the mel L1 (Vocos uses 45)."""
    multi_resolution_stft: float = 1.0
    """Weight of the multi-resolution STFT loss (spectral convergence + log magnitude)."""
    adversarial: float = 1.0
    feature_matching: float = 2.0
    resolution_discriminator: float = 0.1
    """Extra factor on the multi-resolution discriminator's adversarial and feature terms (Vocos: 0.1)."""
    gan_start_step: int = 0
    """Generator steps of reconstruction-only warm-up before the discriminators join."""
    discriminator_warmup_steps: int = 0
    """Steps, from `gan_start_step` on, in which only the discriminators learn and the generator is held
    still: fresh discriminators meeting a trained generator (`--init-from` an exported vocoder, which
    has none) first learn to tell its output from real audio, so their first, arbitrary gradients
    never reach it. Counted in `trainer.max_steps`."""


@dataclass(frozen=True)
class VocoderOptimConfig:
    learning_rate: float = 5e-4
    discriminator_learning_rate: float | None = None
    """The discriminators' peak learning rate; None: `learning_rate`. Fresh discriminators beside a
    trained generator need a higher one than a gentle fine-tune of the generator wants."""
    betas: tuple[float, float] = (0.8, 0.9)
    warmup_steps: int = 200
    min_lr_ratio: float = 0.05
    """Cosine decay from learning_rate to learning_rate * min_lr_ratio at max_steps."""
    gradient_clip: float = 1000.0


@dataclass(frozen=True)
class VocoderTrainerConfig(TrainerConfig):
    """The shared `trainer:` settings with the vocoder's defaults."""

    out_dir: str = "runs/vocoder"
    max_steps: int = 100000
    """Generator steps."""
    checkpoint_every: int = 500
    validate_every: int = 1000


@dataclass(frozen=True)
class VocoderTrainConfig:
    model: VocosConfig = field(default_factory=VocosConfig)
    data: VocoderDataConfig = field(default_factory=VocoderDataConfig)
    discriminators: DiscriminatorConfig = field(default_factory=DiscriminatorConfig)
    loss: VocoderLossConfig = field(default_factory=VocoderLossConfig)
    optim: VocoderOptimConfig = field(default_factory=VocoderOptimConfig)
    trainer: VocoderTrainerConfig = field(default_factory=VocoderTrainerConfig)
