"""Time embeddings: a flow-map network sees t and the interval length t - r separately."""

from __future__ import annotations

import math

import torch
from torch import nn


class SinusoidalEmbedding(nn.Module):
    """(B,) scalars in [0, 1] -> (B, dim) sin/cos features over log-spaced frequencies."""

    def __init__(self, dim: int, scale: float = 1000.0):
        super().__init__()
        if dim % 2:
            raise ValueError(f"dim must be even, got {dim}")
        half = dim // 2
        frequencies = torch.exp(-math.log(10000.0) * torch.arange(half) / half)
        self.register_buffer("frequencies", frequencies, persistent=False)
        self.scale = scale

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        angles = self.scale * x.float()[:, None] * self.frequencies[None]
        return torch.cat([angles.sin(), angles.cos()], dim=-1)


class TimeConditioning(nn.Module):
    """(r, t) of shape (B,) -> (B, dim): embed(t) + embed(t - r), each through its own MLP.

    Separate embeddings for the position t and the interval length t - r let one network be a
    flow-matching velocity (t - r = 0) and a flow map at once.
    """

    def __init__(self, dim: int, frequency_dim: int = 256):
        super().__init__()
        self.time = _embedding_mlp(dim, frequency_dim)
        self.interval = _embedding_mlp(dim, frequency_dim)

    def forward(self, r: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self.time(t) + self.interval(t - r)


def _embedding_mlp(dim: int, frequency_dim: int) -> nn.Sequential:
    """(B,) -> (B, dim): sinusoidal features, then a two-layer MLP."""
    return nn.Sequential(SinusoidalEmbedding(frequency_dim), nn.Linear(frequency_dim, dim), nn.SiLU(), nn.Linear(dim, dim))
