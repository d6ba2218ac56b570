"""Prosody per phoneme (tts.model.prosody_units): its predictor, and its training targets and loss.

The predictor reads the encoder's states, detached as the duration predictor's are, so prosody is
learned without steering the text encoder. Targets come from the monotonic alignment: each phoneme's
frames' F0 (the feature cache's, from SwiftF0) and normalized log-mel (FastPitch's per-symbol averages,
with loudness taken from the mel itself).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from tts.model.config import ProsodyConfig
from tts.model.encoder import ChannelNorm
from tts.model.prosody_units import FEATURES, PITCH_CENTER_ST, PITCH_SCALE_ST


class ProsodyPredictor(nn.Module):
    """Hidden (B, C, N) -> (B, 3, N): pitch units, voicing logit, loudness per phoneme."""

    def __init__(self, channels: int, config: ProsodyConfig):
        super().__init__()
        k = config.kernel_size
        self.layers = nn.ModuleList(
            [nn.Conv1d(channels, config.filter_channels, k, padding=k // 2), nn.Conv1d(config.filter_channels, config.filter_channels, k, padding=k // 2)]
        )
        self.norms = nn.ModuleList(ChannelNorm(config.filter_channels) for _ in range(2))
        self.dropout = nn.Dropout(config.dropout)
        self.out = nn.Conv1d(config.filter_channels, FEATURES, 1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer, norm in zip(self.layers, self.norms):
            x = self.dropout(norm(torch.relu(layer(x * mask))))
        return self.out(x * mask) * mask


def frame_pitch_units(f0_hz: torch.Tensor) -> torch.Tensor:
    """(B, T) F0 in Hz, 0 where unvoiced -> pitch units, 0 where unvoiced."""
    voiced = f0_hz > 0
    units = (12 * torch.log2(torch.where(voiced, f0_hz, torch.full_like(f0_hz, 55.0)) / 55.0) - PITCH_CENTER_ST) / PITCH_SCALE_ST
    return torch.where(voiced, units, torch.zeros_like(units))


def targets(path: torch.Tensor, f0_hz: torch.Tensor, y: torch.Tensor, y_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Per-phoneme (pitch units, voiced fraction, loudness), each (B, N), from the alignment path
    (B, N, T), frame F0 (B, T) in Hz and the normalized log-mel y (B, n_mels, T) with its mask (B, 1, T)."""
    voiced = (f0_hz > 0).to(y.dtype) * y_mask[:, 0]
    frames = path.sum(-1).clamp_min(1)
    voiced_frames = torch.bmm(path, voiced[:, :, None])[..., 0]
    pitch = torch.bmm(path, (frame_pitch_units(f0_hz) * voiced)[:, :, None])[..., 0] / voiced_frames.clamp_min(1e-6)
    loudness = torch.bmm(path, (y.mean(1) * y_mask[:, 0])[:, :, None])[..., 0] / frames
    return pitch * (voiced_frames > 0), voiced_frames / frames, loudness


def loss(prediction: torch.Tensor, pitch: torch.Tensor, voiced: torch.Tensor, loudness: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Masked losses of the predictor's (B, 3, N) output: pitch squared error on voiced phonemes
    (weighted by their voiced fraction), voicing cross-entropy, loudness squared error."""
    mask = mask[:, 0]
    count = mask.sum().clamp_min(1)
    pitch_loss = (voiced * mask * (prediction[:, 0] - pitch) ** 2).sum() / (voiced * mask).sum().clamp_min(1)
    voicing_loss = (F.binary_cross_entropy_with_logits(prediction[:, 1], voiced, reduction="none") * mask).sum() / count
    loudness_loss = (mask * (prediction[:, 2] - loudness) ** 2).sum() / count
    return pitch_loss + voicing_loss + loudness_loss


def zero_input_layer(layer: nn.Conv1d) -> nn.Conv1d:
    """Start the decoder's prosody input at zero, so a model that gains it speaks as before until trained."""
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer
