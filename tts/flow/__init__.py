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
comparison. Samplers: the flow map in 1, 2, 4 or a given schedule of steps, and Euler integration of
u(z, t, t) as a plain flow-matching baseline.
"""

from tts.flow.embedding import SinusoidalEmbedding, TimeConditioning
from tts.flow.objectives import FlowMapObjective, LossOutput, ObjectiveConfig
from tts.flow.paths import interpolate, target_velocity
from tts.flow.samplers import make_noise, sample_euler, sample_flow_map, step_schedule
from tts.flow.time_sampling import TimeSampler

__all__ = [
    "FlowMapObjective",
    "LossOutput",
    "ObjectiveConfig",
    "SinusoidalEmbedding",
    "TimeConditioning",
    "TimeSampler",
    "interpolate",
    "make_noise",
    "sample_euler",
    "sample_flow_map",
    "step_schedule",
    "target_velocity",
]
