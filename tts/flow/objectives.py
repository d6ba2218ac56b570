"""Training objectives for an average-velocity network u(z_t, r, t | cond).

- Boundary (flow matching), r = t: ‖u(z_t, t, t) - v‖², with v = ε - x, or a frozen teacher's
  velocity in distillation.
- SplitMeanFlow interval splitting, r < t: pick s = (1 - λ)·t + λ·r with λ ~ U(0, 1); then
  (t - r)·u(z_t, r, t) = (s - r)·u(z_s, r, s) + (t - s)·u(z_t, s, t), i.e.
  u(z_t, r, t) ≈ sg((1 - λ)·u1 + λ·u2) with u2 = u(z_t, s, t), z_s = z_t - (t - s)·u2, u1 = u(z_s, r, s).
  Only forward passes: no JVP, so it works with any attention kernel and under DDP.
- MeanFlow (for comparison): u(z_t, r, t) ≈ sg(v - (t - r)·(v·∂_z u + ∂_t u)), the total derivative
  taken with `torch.func.jvp`.

Every loss is a masked mean: positions where `mask` is 0 are zeroed in x and ε before anything is
computed and never enter the loss, so padding cannot change the loss or the gradients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import torch

from tts.flow.paths import expand_time, interpolate, target_velocity
from tts.flow.time_sampling import TimeSampler

METHODS = ("splitmeanflow", "meanflow", "flow_matching")

Network = Callable[..., torch.Tensor]


@dataclass
class ObjectiveConfig:
    """How a flow-map network is trained."""

    method: str = "splitmeanflow"
    """"splitmeanflow" (interval splitting), "meanflow" (JVP) or "flow_matching" (boundary only)."""
    time: TimeSampler = field(default_factory=TimeSampler)
    """(r, t) sampling, including the boundary fraction."""
    adaptive_weight_power: float = 0.0
    """p of MeanFlow's adaptive weighting w = 1 / (‖Δ‖² + c)^p per sample; 0 turns it off."""
    adaptive_weight_eps: float = 1e-3
    """c of the adaptive weighting."""

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if isinstance(self.time, dict):
            self.time = TimeSampler(**self.time)
        if self.adaptive_weight_power < 0:
            raise ValueError("adaptive_weight_power must be ≥ 0")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LossOutput:
    """The scalar to optimize and its parts, detached, for logging."""

    loss: torch.Tensor
    terms: dict[str, torch.Tensor]


class FlowMapObjective:
    """`objective(net, x, cond, mask=..., teacher=...) -> LossOutput`.

    Args of `__call__`:
        net: the network being trained, `net(z, r, t, **cond) -> u`.
        x: data (B, ...), e.g. mel (B, C, T).
        cond: extra network inputs, each a tensor with batch dimension first (or any non-tensor).
        mask: (B, 1, T) or anything broadcastable to x; 1 = real data, 0 = padding. It is passed to the
            network as `cond["mask"]`.
        teacher: in distillation, a frozen flow-matching network with the same signature; its velocity
            `teacher(z_t, t, t)` replaces ε - x as the boundary target.
        generator: for reproducible noise and times.
    """

    def __init__(self, config: ObjectiveConfig | None = None):
        self.config = config or ObjectiveConfig()
        if self.config.method == "flow_matching":
            # Boundary only: every sample has r = t.
            self.time = TimeSampler(**{**self.config.time.to_dict(), "boundary_fraction": 1.0})
        else:
            self.time = self.config.time

    def __call__(
        self,
        net: Network,
        x: torch.Tensor,
        cond: dict | None = None,
        *,
        mask: torch.Tensor | None = None,
        teacher: Network | None = None,
        generator: torch.Generator | None = None,
    ) -> LossOutput:
        cond = dict(cond or {})
        if mask is not None:
            mask = mask.to(x.dtype)
            cond["mask"] = mask
            x = x * mask
        noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
        if mask is not None:
            noise = noise * mask
        r, t, boundary = self.time(x.shape[0], generator=generator, device=x.device, dtype=x.dtype)
        z = interpolate(x, noise, t)
        v = self._boundary_target(x, noise, z, t, cond, teacher)

        if self.config.method == "meanflow":
            u, target = self._meanflow(net, z, r, t, v, cond)
        else:
            u = net(z, r, t, **cond)
            target = v.clone()
            split = ~boundary
            if split.any():
                idx = split.nonzero(as_tuple=True)[0]
                target[idx] = self._split_target(net, z[idx], r[idx], t[idx], _take(cond, idx, x.shape[0]), generator)

        error = _masked_mean_square(u - target.detach(), mask)  # (B,)
        loss = (self._adaptive_weight(error) * error).mean()
        terms = {"loss": loss.detach()}
        if boundary.any():
            terms["boundary"] = error[boundary].mean().detach()
        if (~boundary).any():
            terms["consistency"] = error[~boundary].mean().detach()
        return LossOutput(loss, terms)

    @torch.no_grad()
    def _boundary_target(self, x, noise, z, t, cond, teacher) -> torch.Tensor:
        if teacher is None:
            return target_velocity(x, noise)
        v = teacher(z, t, t, **cond)
        return v * cond["mask"] if "mask" in cond else v

    @torch.no_grad()
    def _split_target(self, net, z_t, r, t, cond, generator) -> torch.Tensor:
        """sg((1 - λ)·u(z_s, r, s) + λ·u(z_t, s, t)) for s = (1 - λ)·t + λ·r."""
        lam = torch.rand(t.shape, generator=generator, device=t.device, dtype=t.dtype)
        s = (1 - lam) * t + lam * r
        u2 = net(z_t, s, t, **cond)
        z_s = z_t - expand_time(t - s, z_t) * u2
        if "mask" in cond:
            z_s = z_s * cond["mask"]  # keep padding at zero whatever the network put there
        u1 = net(z_s, r, s, **cond)
        lam = expand_time(lam, z_t)
        return (1 - lam) * u1 + lam * u2

    def _meanflow(self, net, z, r, t, v, cond) -> tuple[torch.Tensor, torch.Tensor]:
        """u and sg(v - (t - r)·du/dt), du/dt = v·∂_z u + ∂_t u by one forward-mode JVP."""

        def u_of(z_, r_, t_):
            return net(z_, r_, t_, **cond)

        u, du_dt = torch.func.jvp(u_of, (z, r, t), (v, torch.zeros_like(r), torch.ones_like(t)))
        target = v - expand_time(t - r, z) * du_dt
        if "mask" in cond:
            target = target * cond["mask"]
        return u, target.detach()

    def _adaptive_weight(self, error: torch.Tensor) -> torch.Tensor:
        power = self.config.adaptive_weight_power
        if power == 0:
            return torch.ones_like(error)
        return 1.0 / (error.detach() + self.config.adaptive_weight_eps) ** power


def _masked_mean_square(delta: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Per-sample mean of delta² over real positions: (B, ...) -> (B,)."""
    squares = delta.pow(2)
    if mask is None:
        return squares.flatten(1).mean(dim=1)
    mask = mask.expand_as(delta)
    return (squares * mask).flatten(1).sum(dim=1) / mask.flatten(1).sum(dim=1).clamp_min(1.0)


def _take(cond: dict, idx: torch.Tensor, batch_size: int) -> dict:
    """Select batch rows `idx` of every tensor in cond whose first dimension is the batch."""
    return {
        key: value[idx] if isinstance(value, torch.Tensor) and value.dim() > 0 and value.shape[0] == batch_size else value
        for key, value in cond.items()
    }
