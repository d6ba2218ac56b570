"""`MelConfig`: the log-mel features a Vocos vocoder consumes, saved with every model that makes or reads them.

The settings match `vocos.feature_extractors.MelSpectrogramFeatures` with its defaults (24 kHz, n_fft
1024, hop 256, 100 HTK mel bands, magnitude, `log(clip(mel, 1e-7))`). Plain data: no torch here, so the
CPU runtime reads it too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


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
        if not self.log_floor > 0:  # also refuses NaN
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


class MelRates:
    """`sample_rate` and `hop_length` of an object that consumes mel frames of `self.mel_config`."""

    mel_config: MelConfig

    @property
    def sample_rate(self) -> int:
        return self.mel_config.sample_rate

    @property
    def hop_length(self) -> int:
        return self.mel_config.hop_length
