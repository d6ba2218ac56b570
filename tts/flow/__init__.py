"""The flow-map core: train an average-velocity network u(z_t, r, t | cond) and sample in 1-k steps.

Conventions, used everywhere in this project:

- z_t = (1 - t)·x + t·ε: t = 0 is data x, t = 1 is Gaussian noise ε.
- The instantaneous velocity is v = dz_t/dt = ε - x.
- The average velocity over [r, t] is u(z_t, r, t) = 1/(t - r) · ∫_r^t v(z_τ, τ) dτ, and u(z, t, t) = v.
- One flow-map step is z_r = z_t - (t - r)·u(z_t, r, t); one-step generation is x = ε - u(ε, 0, 1).
- A network is any callable `net(z, r, t, **cond) -> u` with z and u of the same shape (B, ...) and r, t
  of shape (B,). It should see t and the interval length t - r through separate embeddings
  (`TimeConditioning` does this). Padding masks travel in `cond["mask"]`.

Objectives (`FlowMapObjective`): the flow-matching boundary loss at r = t, SplitMeanFlow's interval
splitting consistency (no JVP, so any attention kernel and DDP work), and MeanFlow's JVP identity for
comparison. The sampler (`sample`): the flow map in 1, 2, 4 or a given schedule of steps, or Euler integration
of u(z, t, t) as a plain flow-matching baseline, one loop for numpy arrays and torch tensors.
"""

import importlib

# Lazy: the CPU runtime imports `tts.flow.samplers` without torch; the rest of the core needs it.
_HOMES = {
    "SinusoidalEmbedding": "tts.flow.embedding",
    "TimeConditioning": "tts.flow.embedding",
    "FlowMapObjective": "tts.flow.objectives",
    "LossOutput": "tts.flow.objectives",
    "ObjectiveConfig": "tts.flow.objectives",
    "interpolate": "tts.flow.paths",
    "make_noise": "tts.flow.paths",
    "target_velocity": "tts.flow.paths",
    "SAMPLERS": "tts.flow.samplers",
    "sample": "tts.flow.samplers",
    "step_schedule": "tts.flow.samplers",
    "TimeSampler": "tts.flow.time_sampling",
}
__all__ = list(sorted(_HOMES))


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'tts.flow' has no attribute {name!r}")
