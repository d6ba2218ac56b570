"""A thinner vocoder started from a trained one: fewer ConvNeXt blocks and narrower feed-forward layers.

A `--init-from` source wider or deeper than the config's generator is pruned into it (training.pruning):
evenly spaced blocks, each keeping the feed-forward units of largest |w_in| * |w_out|. The input
convolution, norms and the ISTFT head are copied as they are, so `dim` and the mel must match. The
discriminators carry over unchanged, so the student meets trained critics from its first step.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from training.pruning import evenly_spaced_blocks, shrink_blocks
from vocoder.vocos_config import VocosConfig

BLOCKS = "backbone.convnext."


def shrink_vocoder_state(state: dict[str, torch.Tensor], teacher: VocosConfig, student: VocosConfig) -> dict[str, torch.Tensor]:
    """A generator's state dict of config `teacher` -> the same for the thinner `student` config."""
    if replace(student, intermediate_dim=teacher.intermediate_dim, num_layers=teacher.num_layers) != teacher:
        raise ValueError(f"only intermediate_dim and num_layers may differ, and be smaller: {teacher} against {student}")
    if student.intermediate_dim > teacher.intermediate_dim or student.num_layers > teacher.num_layers:
        raise ValueError(f"the config's generator is wider or deeper than this one: {teacher} against {student}")
    blocks = evenly_spaced_blocks(teacher.num_layers, student.num_layers)
    return shrink_blocks(state, BLOCKS, blocks, student.intermediate_dim, "pwconv1", "pwconv2")
