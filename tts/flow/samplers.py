"""Sampling a flow map: the step schedule and the one sampler loop, for numpy arrays and torch tensors.

Both engines (tts.engine) and the training code run this loop. It needs no torch: the CPU runtime
runs it on numpy arrays, the torch engine on tensors. It starts from noise at t = 1 and ends at data
at t = 0, and is deterministic given the noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

SAMPLERS = ("flow_map", "euler")
"""flow_map: jumps with the average velocity u(z, r, t); euler: Euler steps of the instantaneous u(z, t, t)."""


def step_schedule(steps: int | Sequence[float]) -> list[float]:
    """A decreasing list of times from 1 to 0: uniform for an int, else checked as given."""
    if isinstance(steps, (int, np.integer)) and not isinstance(steps, bool):
        if steps < 1:
            raise ValueError(f"steps must be ≥ 1, got {steps}")
        return [1.0 - i / steps for i in range(steps + 1)]
    times = [float(x) for x in steps]
    if len(times) < 2 or times[0] != 1.0 or times[-1] != 0.0:
        raise ValueError(f"a schedule must run from 1.0 to 0.0, got {times}")
    if any(b >= a for a, b in zip(times, times[1:])):
        raise ValueError(f"a schedule must be strictly decreasing, got {times}")
    return times


def check_sampler(sampler: str) -> str:
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be 'flow_map' or 'euler', got {sampler!r}")
    return sampler


def sample(net: Callable, noise, steps: int | Sequence[float] = 1, sampler: str = "flow_map", **cond):
    """Map noise (B, ...) at t = 1 to a sample at t = 0: z_r = z_t - (t - r)·u(z_t, r, t) per step.

    net(z, r, t, **cond) -> u, with r and t of shape (B,) like z's dtype. steps: 1, 2, 4, ... uniform
    steps, or a schedule such as [1, 0.4, 0]. sampler "euler" evaluates u(z, t, t) instead and jumps
    the same intervals. Padding (cond["mask"] == 0) stays zero. Call it under torch.inference_mode()
    with tensors that need no gradients.
    """
    times = step_schedule(steps)
    average = check_sampler(sampler) == "flow_map"
    mask = cond.get("mask")
    z = noise if mask is None else noise * mask
    for t_value, r_value in zip(times, times[1:]):
        t = _times(z, t_value)
        r = _times(z, r_value) if average else t
        z = z - (t_value - r_value) * net(z, r, t, **cond)
        if mask is not None:
            z = z * mask
    return z


def _times(z, value: float):
    """(B,) filled with `value`, in z's dtype and on z's device (numpy array or torch tensor)."""
    if isinstance(z, np.ndarray):
        return np.full((z.shape[0],), value, dtype=z.dtype)
    return z.new_full((z.shape[0],), value)
