"""Structured pruning for starting a thinner network from a trained one (any of the package's
networks: the flow-map decoder, the text encoder, the vocoder).

A student that starts as a pruned copy of its teacher converges in far fewer steps than one from
scratch:
- blocks: the student keeps evenly spaced teacher blocks, in order (a residual stream lets a block be
  dropped and the others still read it);
- feed-forward width: each kept block keeps the hidden units that carry the most, by the product of a
  unit's input and output weight norms (structured magnitude pruning).
"""

from __future__ import annotations

import torch


def evenly_spaced_blocks(teacher_layers: int, student_layers: int) -> tuple[int, ...]:
    """`student_layers` block indices spread over the teacher's, first and last included (6 -> 3:
    0, 2, 5)."""
    if not 1 <= student_layers <= teacher_layers:
        raise ValueError(f"a student of {student_layers} layers cannot start from a teacher of {teacher_layers}")
    if student_layers == 1:
        return (teacher_layers - 1,)
    return tuple(round(i * (teacher_layers - 1) / (student_layers - 1)) for i in range(student_layers))


def narrow_feed_forward(block: dict[str, torch.Tensor], width: int, inner: str, outer: str) -> dict[str, torch.Tensor]:
    """One block's weights with its feed-forward layer (`inner`: dim -> hidden, `outer`: hidden ->
    dim; linear (out, in) or convolution (out, in, k) weights) cut to the `width` hidden units of
    largest |w_in| * |w_out|, in their order."""
    w_in, w_out = block[f"{inner}.weight"], block[f"{outer}.weight"]
    if width > w_in.shape[0]:
        raise ValueError(f"cannot narrow a feed-forward layer of {w_in.shape[0]} units to {width}")
    if width == w_in.shape[0]:
        return block
    importance = w_in.float().norm(dim=[d for d in range(w_in.ndim) if d != 0]) * w_out.float().norm(dim=[d for d in range(w_out.ndim) if d != 1])
    keep = importance.topk(width).indices.sort().values
    return {
        **block,
        f"{inner}.weight": w_in[keep].clone(),
        f"{inner}.bias": block[f"{inner}.bias"][keep].clone(),
        f"{outer}.weight": w_out[:, keep].clone(),
    }


def shrink_blocks(
    state: dict[str, torch.Tensor], prefix: str, blocks: tuple[int, ...], width: int, inner: str, outer: str
) -> dict[str, torch.Tensor]:
    """A state dict with blocks `prefix0.`, `prefix1.`... -> the same with only the teacher's `blocks`
    (renumbered in order), each feed-forward layer narrowed to `width` hidden units. The returned
    dict shares untouched tensors with `state`."""
    shrunk = {key: value for key, value in state.items() if not key.startswith(prefix)}
    for new, old in enumerate(blocks):
        start = f"{prefix}{old}."
        block = {key[len(start) :]: value for key, value in state.items() if key.startswith(start)}
        if not block:
            raise ValueError(f"the teacher has no block {start}")
        for key, value in narrow_feed_forward(block, width, inner, outer).items():
            shrunk[f"{prefix}{new}.{key}"] = value
    return shrunk
