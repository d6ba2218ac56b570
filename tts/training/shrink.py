"""A thinner flow-map decoder started from a trained one: fewer ConvNeXt blocks, narrower feed-forward
layers, the rest of the weights kept.

Distilling a thinner decoder (`distill:` in a training config) converges in far fewer steps when the
student starts as a pruned copy of its teacher than from scratch:
- blocks: the student keeps the teacher's blocks at the given indices, in order (the residual
  stream lets a block be dropped and the others still read it);
- feed-forward width: each kept block keeps the hidden units that carry the most, by the product of
  a unit's input and output weight norms (structured magnitude pruning).

Everything else (input, time, speaker and prosody layers, final norm and output) is copied as it is,
so the decoder's `dim` and `kernel_size` must match.
"""

from __future__ import annotations

import torch

from tts.model.config import DecoderConfig

BLOCKS = "decoder.blocks."


def evenly_spaced_blocks(teacher_layers: int, student_layers: int) -> tuple[int, ...]:
    """`student_layers` block indices spread over the teacher's, first and last included (6 -> 3:
    0, 2, 5)."""
    if not 1 <= student_layers <= teacher_layers:
        raise ValueError(f"a student decoder of {student_layers} blocks cannot start from a teacher of {teacher_layers}")
    if student_layers == 1:
        return (teacher_layers - 1,)
    return tuple(round(i * (teacher_layers - 1) / (student_layers - 1)) for i in range(student_layers))


def shrink_decoder_state(
    state: dict[str, torch.Tensor], teacher: DecoderConfig, student: DecoderConfig, blocks: tuple[int, ...] = ()
) -> dict[str, torch.Tensor]:
    """A full acoustic model's state dict whose decoder is `teacher` -> the same with a `student` decoder.

    blocks: the teacher's block indices the student keeps, one per student layer (default: evenly
    spaced). The returned dict shares untouched tensors with `state`.
    """
    if (teacher.dim, teacher.kernel_size) != (student.dim, student.kernel_size):
        raise ValueError(f"a thinner decoder keeps its teacher's dim and kernel_size: teacher {teacher}, student {student}")
    if student.intermediate_dim > teacher.intermediate_dim:
        raise ValueError(f"the student's intermediate_dim {student.intermediate_dim} is wider than the teacher's {teacher.intermediate_dim}")
    blocks = tuple(blocks) or evenly_spaced_blocks(teacher.layers, student.layers)
    if len(blocks) != student.layers or any(not 0 <= b < teacher.layers for b in blocks):
        raise ValueError(f"distill.blocks must name {student.layers} of the teacher's blocks 0-{teacher.layers - 1}, got {list(blocks)}")
    shrunk = {key: value for key, value in state.items() if not key.startswith(BLOCKS)}
    for new, old in enumerate(blocks):
        prefix = f"{BLOCKS}{old}."
        block = {key[len(prefix) :]: value for key, value in state.items() if key.startswith(prefix)}
        for key, value in _narrow_feed_forward(block, student.intermediate_dim).items():
            shrunk[f"{BLOCKS}{new}.{key}"] = value
    return shrunk


def _narrow_feed_forward(block: dict[str, torch.Tensor], width: int) -> dict[str, torch.Tensor]:
    """One block's weights with its feed-forward layer (pointwise1: dim -> hidden, pointwise2:
    hidden -> dim) cut to the `width` hidden units of largest |w_in| * |w_out|, in their order."""
    hidden = block["pointwise1.weight"].shape[0]
    if width == hidden:
        return block
    importance = block["pointwise1.weight"].float().norm(dim=1) * block["pointwise2.weight"].float().norm(dim=0)
    keep = importance.topk(width).indices.sort().values
    return {
        **block,
        "pointwise1.weight": block["pointwise1.weight"][keep].clone(),
        "pointwise1.bias": block["pointwise1.bias"][keep].clone(),
        "pointwise2.weight": block["pointwise2.weight"][:, keep].clone(),
    }
