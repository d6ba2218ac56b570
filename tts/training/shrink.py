"""A thinner network started from a trained one, the rest of its weights kept: a flow-map decoder with
fewer ConvNeXt blocks and narrower feed-forward layers, or a text encoder with narrower feed-forward
layers.

Distilling a thinner decoder (`distill:` in a training config) converges in far fewer steps when the
student starts as a pruned copy of its teacher than from scratch:
- blocks: the student keeps the teacher's blocks at the given indices, in order (the residual
  stream lets a block be dropped and the others still read it);
- feed-forward width: each kept block keeps the hidden units that carry the most, by the product of
  a unit's input and output weight norms (structured magnitude pruning).

Everything else (input, time, speaker and prosody layers, final norm and output) is copied as it is,
so the decoder's `dim` and `kernel_size` must match. An encoder student may have fewer prenet layers
and narrower feed-forward layers (together about 5/6 of its arithmetic), kept the same ways.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from tts.model.config import DecoderConfig, EncoderConfig

BLOCKS = "decoder.blocks."
ENCODER_FEED_FORWARD = "encoder.feed_forward."
ENCODER_PRENET = "encoder.prenet."


def evenly_spaced_blocks(teacher_layers: int, student_layers: int) -> tuple[int, ...]:
    """`student_layers` block indices spread over the teacher's, first and last included (6 -> 3:
    0, 2, 5)."""
    if not 1 <= student_layers <= teacher_layers:
        raise ValueError(f"a student of {student_layers} layers cannot start from a teacher of {teacher_layers}")
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


def _narrow_feed_forward(block: dict[str, torch.Tensor], width: int, inner: str = "pointwise1", outer: str = "pointwise2") -> dict[str, torch.Tensor]:
    """One block's weights with its feed-forward layer (`inner`: dim -> hidden, `outer`: hidden ->
    dim; linear (out, in) or convolution (out, in, k) weights) cut to the `width` hidden units of
    largest |w_in| * |w_out|, in their order."""
    w_in, w_out = block[f"{inner}.weight"], block[f"{outer}.weight"]
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


def shrink_encoder_state(state: dict[str, torch.Tensor], teacher: EncoderConfig, student: EncoderConfig) -> dict[str, torch.Tensor]:
    """A full acoustic model's state dict whose encoder is `teacher` -> the same with a `student`
    encoder that may have fewer prenet layers (evenly spaced ones kept: each adds to a residual
    stream) and narrower feed-forward layers (conv1: channels -> filter, conv2: filter -> channels,
    both of kernel k), which keep the `student.filter_channels` units of largest |w_in| * |w_out|.
    The returned dict shares untouched tensors with `state`."""
    if replace(student, filter_channels=teacher.filter_channels, prenet_layers=teacher.prenet_layers, dropout=teacher.dropout) != teacher:
        raise ValueError(f"a thinner encoder differs from its teacher in filter_channels and prenet_layers alone: teacher {teacher}, student {student}")
    if student.filter_channels > teacher.filter_channels or student.prenet_layers > teacher.prenet_layers:
        raise ValueError(f"the student's encoder is wider or deeper than the teacher's: teacher {teacher}, student {student}")
    shrunk = {key: value for key, value in state.items() if not key.startswith(ENCODER_PRENET)}
    kept = evenly_spaced_blocks(teacher.prenet_layers, student.prenet_layers) if student.prenet_layers else ()
    for new, old in enumerate(kept):
        prefix = f"{ENCODER_PRENET}{old}."
        shrunk.update({f"{ENCODER_PRENET}{new}.{key[len(prefix) :]}": value for key, value in state.items() if key.startswith(prefix)})
    for layer in range(teacher.layers):
        prefix = f"{ENCODER_FEED_FORWARD}{layer}."
        block = {key[len(prefix) :]: value for key, value in state.items() if key.startswith(prefix)}
        for key, value in _narrow_feed_forward(block, student.filter_channels, "conv1", "conv2").items():
            shrunk[prefix + key] = value
    return shrunk
