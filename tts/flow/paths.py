"""The linear noise-to-data path z_t = (1 - t)·x + t·ε, its velocity v = ε - x, and seeded noise ε."""

from __future__ import annotations

from collections.abc import Sequence

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


def make_noise(shape: Sequence[int], seed: int | None = None, temperature: float = 1.0, device=None, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """ε ~ N(0, temperature²·I) of `shape`; the same seed always gives the same noise (drawn on CPU).

    For the flow core's tests and toys; synthesis draws its noise in numpy (tts.engine.frames.frame_noise)."""
    if not temperature >= 0:
        raise ValueError(f"temperature must be ≥ 0, got {temperature}")
    generator = torch.Generator(device="cpu")
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    noise = torch.randn(tuple(shape), generator=generator, dtype=torch.float32)
    return (noise * temperature).to(device=device, dtype=dtype)
