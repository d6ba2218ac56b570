"""Log-mel features that a pretrained Vocos (`vocos-mel-24khz`) can vocode.

The settings and arithmetic match `vocos.feature_extractors.MelSpectrogramFeatures` with its defaults:
a magnitude (power 1) mel spectrogram from torchaudio, HTK mel scale, no filterbank normalization,
then `log(clip(mel, 1e-7))`. `MelConfig` (vocoder.mel_config) is the one place these numbers live; models,
data pipelines and vocoders read them from a saved config instead of repeating them.
"""

from __future__ import annotations

import torch
from torch import nn

from vocoder.mel_config import MelConfig

__all__ = ["LogMelSpectrogram", "MelConfig"]


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
