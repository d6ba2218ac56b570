"""Sampling (r, t) pairs for flow-map training."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

DISTRIBUTIONS = ("uniform", "logit_normal")


@dataclass
class TimeSampler:
    """Draws t ≥ r in [0, 1]; a `boundary_fraction` of each batch gets r = t.

    Two times are drawn from `distribution` and sorted, as in MeanFlow. The SplitMeanFlow paper reports
    that a boundary fraction of at least 0.5 is needed, and that less can collapse training.
    """

    distribution: str = "logit_normal"
    """"uniform" on [0, 1], or "logit_normal": sigmoid of N(mean, std²), which favours mid-path times."""
    mean: float = -0.4
    """Logit-normal location."""
    std: float = 1.0
    """Logit-normal scale."""
    boundary_fraction: float = 0.75
    """Share of samples with r = t (flow-matching boundary); the rest train interval splitting."""

    def __post_init__(self) -> None:
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {self.distribution!r}")
        if not 0.0 <= self.boundary_fraction <= 1.0:
            raise ValueError(f"boundary_fraction must be in [0, 1], got {self.boundary_fraction}")
        if self.std <= 0:
            raise ValueError(f"std must be positive, got {self.std}")

    def draw(self, n: int, generator: torch.Generator | None = None, device=None, dtype=None) -> torch.Tensor:
        """n times in [0, 1] from the configured distribution."""
        if self.distribution == "uniform":
            return torch.rand(n, generator=generator, device=device, dtype=dtype)
        return torch.sigmoid(self.mean + self.std * torch.randn(n, generator=generator, device=device, dtype=dtype))

    def __call__(
        self, batch_size: int, generator: torch.Generator | None = None, device=None, dtype=None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns r, t (B,) with r ≤ t, and a bool mask (B,) of the boundary samples (r = t).

        The boundary samples are the first round(B · boundary_fraction) of the batch, so the count is
        exact for every batch.
        """
        a, b = self.draw(batch_size, generator, device, dtype), self.draw(batch_size, generator, device, dtype)
        t, r = torch.maximum(a, b), torch.minimum(a, b)
        boundary = torch.arange(batch_size, device=device) < round(batch_size * self.boundary_fraction)
        r = torch.where(boundary, t, r)
        return r, t, boundary

    def to_dict(self) -> dict:
        return asdict(self)
