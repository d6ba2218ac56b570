"""The linear noise-to-data path z_t = (1 - t)·x + t·ε and its velocity v = ε - x."""

from __future__ import annotations

import torch


def expand_time(t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """(B,) times -> (B, 1, ..., 1), broadcastable against `like` of shape (B, ...)."""
    return t.reshape(t.shape[0], *([1] * (like.dim() - 1))).to(like.dtype)


def interpolate(x: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """z_t for data x and noise ε of shape (B, ...) at times t of shape (B,)."""
    t = expand_time(t, x)
    return (1 - t) * x + t * noise


def target_velocity(x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """The conditional velocity v = dz_t/dt = ε - x (B, ...)."""
    return noise - x
