"""A thinner network started from a trained one, the rest of its weights kept: a flow-map decoder with
fewer ConvNeXt blocks and narrower feed-forward layers, or a text encoder with narrower feed-forward
layers.

Distilling a thinner decoder (`distill:` in a training config) starts the student as a pruned copy of
its teacher (training.pruning): the teacher's blocks at the given indices, each feed-forward layer
cut to its strongest hidden units.

Everything else (input, time, speaker and prosody layers, final norm and output) is copied as it is,
so the decoder's `dim` and `kernel_size` must match. An encoder student may have fewer prenet layers
and narrower feed-forward layers (together about 5/6 of its arithmetic), kept the same ways.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from training.pruning import evenly_spaced_blocks, shrink_blocks
from tts.model.config import DecoderConfig, EncoderConfig

BLOCKS = "decoder.blocks."
ENCODER_FEED_FORWARD = "encoder.feed_forward."
ENCODER_PRENET = "encoder.prenet."


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
    return shrink_blocks(state, BLOCKS, blocks, student.intermediate_dim, "pointwise1", "pointwise2")


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
    return shrink_blocks(shrunk, ENCODER_FEED_FORWARD, tuple(range(teacher.layers)), student.filter_channels, "conv1", "conv2")
