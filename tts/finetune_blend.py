"""A fine-tuned acoustic model drawn part of the way back toward the voice it started from.

The exported weights are `base + strength * (tuned - base)`, parameter by parameter: strength 1 is the
model as trained, 0 the base voice. This is WiSE-FT's weight-space ensemble (Wortsman et al., 2022),
which works because a fine-tune stays in its base's basin: every point on the line between the two
speaks. On a few minutes of a speaker the fine-tune moves the weights far (on the stand-in speaker of
recipes/standin-voice, each part by 59-70% of its norm in 2,000 steps at 1.2e-3) and takes noise along with her
voice; part of the way back keeps most of her timbre and pitch and speaks more clearly. It is applied
at export, so it costs nothing at synthesis and a finished run can be blended again without training.
"""

from __future__ import annotations

from pathlib import Path

import torch

from tts.model.acoustic import AcousticModel


def check_strength(strength: float) -> None:
    """Refuse a strength off the line from the base (0, excluded) to the trained weights (1)."""
    if not 0 < strength <= 1:
        raise ValueError(f"strength must be in (0, 1]: 1 keeps the fine-tuned weights, near 0 the base voice's; got {strength}")


def blend_toward_base(tuned: str | Path, base: str | Path, strength: float, dtype: torch.dtype = torch.float16) -> Path:
    """Rewrite the acoustic export `tuned` (config.json + model.safetensors) as `base + strength *
    (tuned - base)`, saved in `dtype`; `base` is the export it was fine-tuned from (same architecture).
    Records the strength and the base's path in its config's "training" entry. Returns `tuned`."""
    check_strength(strength)
    tuned, base = Path(tuned), Path(base)
    model, start = AcousticModel.load(tuned), AcousticModel.load(base)
    if model.config != start.config:
        raise ValueError(f"{tuned} and {base} are different architectures: a fine-tune can only be blended with the voice it started from")
    start_weights = start.state_dict()
    with torch.no_grad():
        for name, weight in model.state_dict().items():
            if weight.is_floating_point():
                weight.copy_(start_weights[name] + strength * (weight - start_weights[name]))
    model.extra["training"] = {**(model.extra.get("training") or {}), "base_blend": {"base": str(base), "strength": strength}}
    return model.save(tuned, dtype)
