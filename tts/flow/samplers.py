"""Sampling: the flow map in k steps, and Euler integration of u(z, t, t) as the baseline.

All samplers start from noise at t = 1 and end at data at t = 0, run under `torch.inference_mode`,
and are deterministic given the noise (`make_noise` draws it from a seed).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from tts.engine.glue import step_schedule
from tts.flow.objectives import Network

__all__ = ["make_noise", "sample_euler", "sample_flow_map", "step_schedule"]


def _seeded_generator(seed: int | None, temperature: float) -> torch.Generator:
    """A CPU generator from `seed` (fresh entropy for None), after checking the temperature."""
    if temperature < 0:
        raise ValueError(f"temperature must be ≥ 0, got {temperature}")
    generator = torch.Generator(device="cpu")
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    return generator


def make_noise(
    shape: Sequence[int],
    seed: int | None = None,
    temperature: float = 1.0,
    device=None,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """ε ~ N(0, temperature²·I) of `shape`; the same seed always gives the same noise (on CPU)."""
    generator = _seeded_generator(seed, temperature)
    noise = torch.randn(tuple(shape), generator=generator, dtype=torch.float32)
    return (noise * temperature).to(device=device, dtype=dtype)


@torch.inference_mode()
def sample_flow_map(net: Network, noise: torch.Tensor, steps: int | Sequence[float] = 1, **cond) -> torch.Tensor:
    """Jump along the flow with the average velocity: z_r = z_t - (t - r)·u(z_t, r, t).

    noise: (B, ...) at t = 1. steps: 1, 2, 4, ... uniform jumps, or a schedule such as [1, 0.4, 0].
    Returns the sample at t = 0, same shape as noise. Padding (cond["mask"] == 0) stays zero.
    """
    return _integrate(net, noise, step_schedule(steps), cond, average=True)


@torch.inference_mode()
def sample_euler(net: Network, noise: torch.Tensor, steps: int = 32, **cond) -> torch.Tensor:
    """Euler integration of the instantaneous velocity u(z, t, t): the flow-matching baseline."""
    return _integrate(net, noise, step_schedule(steps), cond, average=False)


def _integrate(net: Network, z: torch.Tensor, times: list[float], cond: dict, average: bool) -> torch.Tensor:
    mask = cond.get("mask")
    if mask is not None:
        z = z * mask
    batch = z.shape[0]
    for t_value, r_value in zip(times, times[1:]):
        t = torch.full((batch,), t_value, device=z.device, dtype=z.dtype)
        r = torch.full((batch,), r_value, device=z.device, dtype=z.dtype) if average else t
        z = z - (t_value - r_value) * net(z, r, t, **cond)
        if mask is not None:
            z = z * mask
    return z
