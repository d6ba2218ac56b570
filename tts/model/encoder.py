"""Text encoder (phoneme embeddings, conv prenet, rotary transformer) and duration predictor."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from tts.model.config import AcousticConfig, DurationConfig, EncoderConfig


class ChannelNorm(nn.LayerNorm):
    """LayerNorm over channels of a (B, C, T) tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.transpose(1, 2)).transpose(1, 2)


def rotary(x: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding of (B, heads, N, d) queries or keys (d even).

    torch has no rotary helper; this is the standard half-split form (RoFormer).
    """
    n, d = x.shape[-2], x.shape[-1]
    frequencies = 10000 ** (-torch.arange(0, d, 2, device=x.device, dtype=torch.float32) / d)
    angles = torch.arange(n, device=x.device, dtype=torch.float32)[:, None] * frequencies[None, :]
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    first, second = x[..., : d // 2], x[..., d // 2 :]
    return torch.cat([first * cos - second * sin, first * sin + second * cos], dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, channels: int, heads: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Conv1d(channels, 3 * channels, 1)
        self.out = nn.Conv1d(channels, channels, 1)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x (B, C, N), mask (B, 1, N) -> (B, C, N)."""
        b, c, n = x.shape
        q, k, v = self.qkv(x).view(b, 3, self.heads, c // self.heads, n).transpose(-1, -2).unbind(1)
        keep = mask.bool()[:, None, :, :]  # (B, 1, 1, N): padding keys are never attended to
        y = F.scaled_dot_product_attention(rotary(q), rotary(k), v, attn_mask=keep, dropout_p=self.dropout if self.training else 0.0)
        return self.out(y.transpose(-1, -2).reshape(b, c, n))


class FeedForward(nn.Module):
    def __init__(self, channels: int, filter_channels: int, kernel_size: int, dropout: float):
        super().__init__()
        self.conv1 = nn.Conv1d(channels, filter_channels, kernel_size, padding=kernel_size // 2)
        self.conv2 = nn.Conv1d(filter_channels, channels, kernel_size, padding=kernel_size // 2)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.dropout(torch.relu(self.conv1(x * mask)))
        return self.conv2(x * mask) * mask


class TextEncoder(nn.Module):
    """Phoneme ids (B, N) -> hidden (B, C, N) and prior mean mu (B, n_mels, N); padding is zero."""

    def __init__(self, config: AcousticConfig):
        super().__init__()
        enc: EncoderConfig = config.encoder
        self.embedding = nn.Embedding(config.n_vocab, enc.channels)
        nn.init.normal_(self.embedding.weight, 0.0, enc.channels**-0.5)
        self.scale = math.sqrt(enc.channels)
        self.prenet = nn.ModuleList(
            nn.Sequential(nn.Conv1d(enc.channels, enc.channels, 5, padding=2), ChannelNorm(enc.channels), nn.ReLU(), nn.Dropout(enc.dropout))
            for _ in range(enc.prenet_layers)
        )
        self.speaker = nn.Linear(config.speaker_dim, enc.channels) if config.n_speakers > 1 else None
        self.attention = nn.ModuleList(SelfAttention(enc.channels, enc.heads, enc.dropout) for _ in range(enc.layers))
        self.attention_norms = nn.ModuleList(ChannelNorm(enc.channels) for _ in range(enc.layers))
        self.feed_forward = nn.ModuleList(
            FeedForward(enc.channels, enc.filter_channels, enc.kernel_size, enc.dropout) for _ in range(enc.layers)
        )
        self.feed_forward_norms = nn.ModuleList(ChannelNorm(enc.channels) for _ in range(enc.layers))
        self.dropout = nn.Dropout(enc.dropout)
        self.to_mu = nn.Conv1d(enc.channels, config.mel.n_mels, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, speaker: torch.Tensor | None = None):
        """ids (B, N), mask (B, 1, N), speaker (B, speaker_dim) or None -> (hidden, mu)."""
        x = self.embedding(ids).transpose(1, 2) * self.scale * mask
        for layer in self.prenet:
            x = (x + layer(x)) * mask
        if self.speaker is not None:
            x = x + self.speaker(speaker)[:, :, None] * mask
        for attention, norm1, feed_forward, norm2 in zip(self.attention, self.attention_norms, self.feed_forward, self.feed_forward_norms):
            x = norm1(x + self.dropout(attention(x, mask)))
            x = norm2(x + self.dropout(feed_forward(x, mask)))
        x = x * mask
        return x, self.to_mu(x) * mask


class DurationPredictor(nn.Module):
    """Hidden (B, C, N) -> log durations in frames (B, 1, N). Trained on detached encoder states."""

    def __init__(self, channels: int, config: DurationConfig):
        super().__init__()
        k = config.kernel_size
        self.layers = nn.ModuleList(
            [
                nn.Conv1d(channels, config.filter_channels, k, padding=k // 2),
                nn.Conv1d(config.filter_channels, config.filter_channels, k, padding=k // 2),
            ]
        )
        self.norms = nn.ModuleList(ChannelNorm(config.filter_channels) for _ in range(2))
        self.dropout = nn.Dropout(config.dropout)
        self.out = nn.Conv1d(config.filter_channels, 1, 1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer, norm in zip(self.layers, self.norms):
            x = self.dropout(norm(torch.relu(layer(x * mask))))
        return self.out(x * mask) * mask
