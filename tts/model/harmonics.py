"""Where a pitch puts its harmonics among the mel bands: the decoder's view of the F0 it is given.

A voiced frame's spectrum is a comb of harmonics at multiples of F0. Seen through a triangular mel
filter of centre c and half-width w, a flat comb gives a response periodic in c with period F0; its
Fourier series is

    (w / F0) * (1 + 2 * sum_n sinc(n w / F0)^2 * cos(2 pi n c / F0))

(the triangle's transform is a squared sinc). The first terms of that series, per band, are what this
module computes. As a function of the pitch they oscillate many times across one voice's range, which a
network given only the pitch number learns slowly (networks fit smooth functions of their inputs
first); given these features, the decoder can place the harmonics with a linear map. Each term is also
damped by how far the true frame F0 may stray from the phoneme's mean the decoder is given (a relative
spread JITTER), which blurs the comb most in the higher bands.

Parameter-free: the bands come from the mel settings, and nothing here is saved with a model.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from tts.model.prosody_units import PITCH_CENTER_ST, PITCH_SCALE_ST
from vocoder.mel_config import MelConfig

TERMS = 2
"""Terms of the series per band (n = 1, 2)."""
MAX_HZ = 3000.0
"""Bands centred above this are left out: the mel filters there are wider than any voice's F0."""
JITTER = 0.04
"""Relative spread of a frame's F0 around its phoneme's mean, for the damping of the comb."""


def mel_bands(mel: MelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """Centre frequencies and half-widths (Hz), each (n_mels,), of the HTK triangular filters from 0 Hz
    to Nyquist that the log-mel uses (vocoder.features: torchaudio's defaults)."""
    top = 2595.0 * math.log10(1.0 + (mel.sample_rate / 2) / 700.0)
    points = 700.0 * (10 ** (torch.linspace(0.0, top, mel.n_mels + 2, dtype=torch.float64) / 2595.0) - 1.0)
    centres = points[1:-1]
    half_widths = (points[2:] - points[:-2]) / 2
    return centres.float(), half_widths.float()


class HarmonicComb(nn.Module):
    """Prosody input (B, 3, T) (tts.model.prosody_units.features) -> (B, TERMS * bands, T): per band below
    MAX_HZ, v * sinc(n w / F0)^2 * exp(-(2 pi n c JITTER / F0)^2 / 2) * cos(2 pi n c / F0), n = 1..TERMS,
    where v is the voiced fraction (0 leaves the features at 0)."""

    def __init__(self, mel: MelConfig):
        super().__init__()
        centres, half_widths = mel_bands(mel)
        keep = centres <= MAX_HZ
        # Buffers, not weights: rebuilt from the mel settings, so a model's saved weights do not change.
        self.register_buffer("centres", centres[keep][None, :, None], persistent=False)
        self.register_buffer("half_widths", half_widths[keep][None, :, None], persistent=False)

    @property
    def channels(self) -> int:
        return TERMS * self.centres.shape[1]

    def forward(self, prosody: torch.Tensor) -> torch.Tensor:
        voiced = prosody[:, 1:2]
        # The input holds pitch times voicing; a phoneme with no voiced frame gets 156 Hz and weight 0.
        units = prosody[:, 0:1] / voiced.clamp_min(1e-3)
        f0 = (55.0 * torch.exp2((units * PITCH_SCALE_ST + PITCH_CENTER_ST) / 12.0)).clamp(40.0, 1000.0)
        terms = []
        for n in range(1, TERMS + 1):
            width = math.pi * n * self.half_widths / f0
            # width >= pi * 20 Hz / 1000 Hz: F0 is clamped to 1000 Hz and no band is narrower than 20 Hz.
            sinc = torch.sin(width) / width
            damping = torch.exp(-0.5 * (2 * math.pi * n * JITTER * self.centres / f0) ** 2)
            terms.append(voiced * sinc**2 * damping * torch.cos(2 * math.pi * n * self.centres / f0))
        return torch.cat(terms, dim=1)
