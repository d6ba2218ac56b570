"""A public example of the flow-map core on 2-D data: data, a network, a training loop and a distance.

Start here to see the objectives work without any audio: on a problem small enough for a CPU, a flow
map trained with SplitMeanFlow generates in one step what flow matching needs many Euler steps for
(`python benchmarks/flow_toy_steps.py`; the tests prove it the same way). It also holds the closed-form
flow of Gaussian data, for exact checks of the objectives. Nothing in synthesis imports it.
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from tts.flow.embedding import TimeConditioning
from tts.flow.objectives import FlowMapObjective, ObjectiveConfig


def ring_of_gaussians(n: int, generator: torch.Generator, modes: int = 8, radius: float = 2.0, std: float = 0.1) -> torch.Tensor:
    """n points (n, 2) from `modes` Gaussians evenly spaced on a circle."""
    angles = 2 * math.pi * torch.randint(modes, (n,), generator=generator) / modes
    centres = radius * torch.stack([angles.cos(), angles.sin()], dim=1)
    return centres + std * torch.randn(n, 2, generator=generator)


class ToyFlowNet(nn.Module):
    """u(z, r, t) for 2-D points: z (B, 2), r and t (B,) -> (B, 2). An MLP with time conditioning."""

    def __init__(self, dim: int = 2, hidden: int = 256, depth: int = 3):
        super().__init__()
        self.time = TimeConditioning(hidden, frequency_dim=64)
        self.inp = nn.Linear(dim, hidden)
        self.blocks = nn.ModuleList(nn.Sequential(nn.SiLU(), nn.Linear(hidden, hidden)) for _ in range(depth))
        self.out = nn.Sequential(nn.SiLU(), nn.Linear(hidden, dim))

    def forward(self, z: torch.Tensor, r: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        h = self.inp(z) + self.time(r, t)
        for block in self.blocks:
            h = h + block(h)
        return self.out(h)


def train_toy(
    objective: ObjectiveConfig,
    steps: int,
    seed: int = 0,
    batch_size: int = 256,
    lr: float = 1e-3,
    init: nn.Module | None = None,
    teacher: nn.Module | None = None,
    data=ring_of_gaussians,
) -> ToyFlowNet:
    """Train a `ToyFlowNet` (or a copy of `init`) with `objective` for `steps` Adam steps."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    net = copy.deepcopy(init) if init is not None else ToyFlowNet()
    if teacher is not None:
        teacher = copy.deepcopy(teacher).eval().requires_grad_(False)
    loss_fn = FlowMapObjective(objective)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    net.train()
    for _ in range(steps):
        x = data(batch_size, generator)
        loss = loss_fn(net, x, teacher=teacher, generator=generator).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
    return net.eval()


def energy_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Energy distance 2·E‖A-B‖ - E‖A-A'‖ - E‖B-B'‖ between samples a (n, d) and b (m, d); 0 iff equal."""
    a, b = a.detach(), b.detach()  # samples drawn outside inference mode still carry the network's graph
    ab = torch.cdist(a, b).mean()
    aa = torch.cdist(a, a).mean()
    bb = torch.cdist(b, b).mean()
    return float(2 * ab - aa - bb)


class GaussianFlow(nn.Module):
    """The exact flow of data N(μ, σ²·I) to noise N(0, I) on the path z_t = (1 - t)·x + t·ε.

    With s_t² = (1 - t)²σ² + t², each trajectory keeps ξ = (z_t - (1 - t)μ) / s_t fixed, so the flow map
    is z_r = (1 - r)μ + (s_r / s_t)(z_t - (1 - t)μ) and the average velocity u = (z_t - z_r) / (t - r);
    at r = t it is v(z, t) = (t - (1 - t)σ²) / s_t² · (z - (1 - t)μ) - μ.
    """

    def __init__(self, mean: torch.Tensor, std: float):
        super().__init__()
        self.register_buffer("mean", mean)
        self.std = std

    def _s(self, t: torch.Tensor) -> torch.Tensor:
        return torch.sqrt((1 - t) ** 2 * self.std**2 + t**2)

    def forward(self, z: torch.Tensor, r: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        r, t = r[:, None], t[:, None]
        centred = z - (1 - t) * self.mean
        s_t, s_r = self._s(t), self._s(r)
        velocity = (t - (1 - t) * self.std**2) / s_t**2 * centred - self.mean
        gap = t - r
        # Away from r = t, the exact average velocity; at r = t its limit, the velocity.
        safe_gap = torch.where(gap.abs() < 1e-6, torch.ones_like(gap), gap)
        z_r = (1 - r) * self.mean + (s_r / s_t) * centred
        average = (z - z_r) / safe_gap
        return torch.where(gap.abs() < 1e-6, velocity, average)

    def sample_data(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return self.mean + self.std * torch.randn(n, self.mean.shape[0], generator=generator)
