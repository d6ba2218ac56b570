"""The flow-map network u(z_t, r, t | mu, speaker): a ConvNeXt-1D stack with adaptive LayerNorm.

Every block is modulated (scale, shift, gate) by an embedding of t and t - r (`TimeConditioning`),
plus the speaker when there is one, as in DiT's adaLN-zero: gates start at zero, so each block begins
as the identity and training is stable from the first step.
"""

from __future__ import annotations

import torch
from torch import nn

from tts.flow.embedding import TimeConditioning
from tts.model.config import AcousticConfig
from tts.model.harmonics import HarmonicComb
from tts.model.prosody import zero_input_layer
from tts.model.prosody_units import FEATURES


class ModulatedConvNeXtBlock(nn.Module):
    def __init__(self, dim: int, intermediate_dim: int, kernel_size: int):
        super().__init__()
        self.depthwise = nn.Conv1d(dim, dim, kernel_size, padding=kernel_size // 2, groups=dim)
        self.norm = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.pointwise1 = nn.Linear(dim, intermediate_dim)
        self.pointwise2 = nn.Linear(intermediate_dim, dim)
        self.modulation = nn.Linear(dim, 3 * dim)
        nn.init.zeros_(self.modulation.weight)
        nn.init.zeros_(self.modulation.bias)

    def forward(self, x: torch.Tensor, condition: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """x (B, D, T), condition (B, D), mask (B, 1, T) -> (B, D, T)."""
        scale, shift, gate = self.modulation(condition)[:, None, :].chunk(3, dim=-1)
        h = self.depthwise(x * mask).transpose(1, 2)
        h = self.norm(h) * (1 + scale) + shift
        h = self.pointwise2(torch.nn.functional.gelu(self.pointwise1(h)))
        return (x + (gate * h).transpose(1, 2)) * mask


class FlowMapDecoder(nn.Module):
    """`decoder(z, r, t, mu=, mask=, speaker=, prosody=) -> u`: z, mu, u (B, n_mels, T); r, t (B,); mask
    (B, 1, T); prosody (B, 3, T) for a model with prosody conditioning, else None."""

    def __init__(self, config: AcousticConfig):
        super().__init__()
        dec = config.decoder
        n_mels = config.mel.n_mels
        self.input = nn.Conv1d(2 * n_mels, dec.dim, 1)
        # Prosody (tts.model.prosody_units) enters beside z and mu, starting at zero.
        self.prosody = zero_input_layer(nn.Conv1d(FEATURES, dec.dim, 1)) if config.prosody.enabled else None
        # and, optionally, the harmonic comb that pitch makes in the mel bands, also starting at zero.
        self.comb = HarmonicComb(config.mel) if config.prosody.enabled and config.prosody.harmonics else None
        self.harmonics = zero_input_layer(nn.Conv1d(self.comb.channels, dec.dim, 1)) if self.comb is not None else None
        self.time = TimeConditioning(dec.dim)
        self.speaker = nn.Linear(config.speaker_dim, dec.dim) if config.n_speakers > 1 else None
        self.blocks = nn.ModuleList(ModulatedConvNeXtBlock(dec.dim, dec.intermediate_dim, dec.kernel_size) for _ in range(dec.layers))
        self.final_norm = nn.LayerNorm(dec.dim, eps=1e-6)
        self.output = nn.Linear(dec.dim, n_mels)

    def forward(self, z, r, t, mu, mask, speaker=None, prosody=None) -> torch.Tensor:
        condition = torch.nn.functional.silu(self.time(r, t))
        if self.speaker is not None:
            condition = condition + self.speaker(speaker)
        x = self.input(torch.cat([z, mu], dim=1))
        if self.prosody is not None:
            if prosody is None:
                raise ValueError("this decoder is conditioned on prosody: pass prosody (B, 3, T)")
            x = x + self.prosody(prosody)
            if self.harmonics is not None:
                x = x + self.harmonics(self.comb(prosody))
        x = x * mask
        for block in self.blocks:
            x = block(x, condition, mask)
        return self.output(self.final_norm(x.transpose(1, 2))).transpose(1, 2) * mask
