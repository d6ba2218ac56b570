"""Reconstruction losses the `vocos` package does not provide.

vocos ships the mel L1, hinge adversarial and feature-matching losses (used as they are); its
multi-resolution STFT loss lives only in its training scripts, so it is written here.
"""

from __future__ import annotations

import torch
from torch import nn


class MultiResolutionSTFTLoss(nn.Module):
    """Mean over resolutions of spectral convergence + L1 of log magnitudes. Audio (B, N) -> scalar."""

    def __init__(self, fft_sizes: tuple[int, ...] = (512, 1024, 2048), hop_ratio: float = 0.25):
        super().__init__()
        self.fft_sizes = tuple(fft_sizes)
        self.hop_ratio = hop_ratio
        for n_fft in self.fft_sizes:
            self.register_buffer(f"window_{n_fft}", torch.hann_window(n_fft), persistent=False)

    def forward(self, prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        total = prediction.new_zeros(())
        for n_fft in self.fft_sizes:
            window = getattr(self, f"window_{n_fft}")
            hop = int(n_fft * self.hop_ratio)
            predicted = _magnitude(prediction, n_fft, hop, window)
            real = _magnitude(target, n_fft, hop, window)
            convergence = torch.linalg.norm(real - predicted) / torch.linalg.norm(real).clamp_min(1e-7)
            log_magnitude = (real.log() - predicted.log()).abs().mean()
            total = total + convergence + log_magnitude
        return total / len(self.fft_sizes)


def _magnitude(audio: torch.Tensor, n_fft: int, hop: int, window: torch.Tensor) -> torch.Tensor:
    spectrum = torch.stft(audio, n_fft, hop, window=window, return_complex=True)
    return spectrum.abs().clamp_min(1e-7)
