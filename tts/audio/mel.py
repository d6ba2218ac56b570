"""Log-mel features that a pretrained Vocos (`vocos-mel-24khz`) can vocode.

The settings and arithmetic match `vocos.feature_extractors.MelSpectrogramFeatures` with its defaults:
a magnitude (power 1) mel spectrogram from torchaudio, HTK mel scale, no filterbank normalization,
then `log(clip(mel, 1e-7))`. `MelConfig` is the one place these numbers live; models, data pipelines
and vocoders read them from a saved config instead of repeating them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
from torch import nn


@dataclass(frozen=True)
class MelConfig:
    """Audio feature settings, saved with every model that consumes or produces mel frames."""

    sample_rate: int = 24000
    """Waveform sample rate in Hz."""
    n_fft: int = 1024
    """FFT size; the analysis window has the same length."""
    hop_length: int = 256
    """Samples between frames: one mel frame covers `hop_length` output samples."""
    n_mels: int = 100
    """Number of mel bands."""
    center: bool = True
    """Reflect-pad by n_fft // 2 on both sides (torch.stft's `center`), as Vocos's 'center' padding."""
    log_floor: float = 1e-7
    """Magnitudes are clipped to this floor before the log."""

    def __post_init__(self) -> None:
        if self.sample_rate <= 0 or self.n_fft <= 0 or self.hop_length <= 0 or self.n_mels <= 0:
            raise ValueError(f"MelConfig values must be positive, got {self}")
        if self.log_floor <= 0:
            raise ValueError(f"log_floor must be positive, got {self.log_floor}")

    @property
    def frame_rate(self) -> float:
        """Mel frames per second."""
        return self.sample_rate / self.hop_length

    def num_frames(self, num_samples: int) -> int:
        """Frames produced for `num_samples` of audio (with center padding: 1 + n // hop)."""
        if self.center:
            return 1 + num_samples // self.hop_length
        return 1 + (num_samples - self.n_fft) // self.hop_length

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "MelConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown MelConfig keys: {sorted(unknown)}")
        return cls(**data)


class LogMelSpectrogram(nn.Module):
    """Waveform (B, N) or (N,) -> log-mel (B, n_mels, T) or (n_mels, T), T = config.num_frames(N)."""

    def __init__(self, config: MelConfig | None = None):
        super().__init__()
        import torchaudio  # imported here: torchaudio is slow to import and only features need it

        self.config = config or MelConfig()
        self.mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=self.config.sample_rate,
            n_fft=self.config.n_fft,
            hop_length=self.config.hop_length,
            n_mels=self.config.n_mels,
            center=self.config.center,
            power=1,
        )

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        if audio.dim() not in (1, 2):
            raise ValueError(f"expected audio of shape (N,) or (B, N), got {tuple(audio.shape)}")
        if self.config.center and audio.shape[-1] <= self.config.n_fft // 2:
            # Reflect padding needs more samples than the pad width; say so instead of torch's message.
            raise ValueError(
                f"audio of {audio.shape[-1]} samples is too short for n_fft {self.config.n_fft} "
                f"(need more than {self.config.n_fft // 2})"
            )
        return torch.log(torch.clamp(self.mel(audio.float()), min=self.config.log_floor))
