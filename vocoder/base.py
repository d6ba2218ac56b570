"""The one interface every vocoder backend implements."""

from __future__ import annotations

import torch
from torch import nn

from vocoder.mel_config import MelConfig, MelRates


class Vocoder(MelRates, nn.Module):
    """Log-mel (B, n_mels, T) -> waveform (B, T * hop_length), at `sample_rate`.

    Subclasses implement `forward`, which may return (T - 1) * hop samples (centred frames, as
    Vocos's ISTFT head does); `decode` adds input checks, inference mode, and pads the end to T * hop
    so that every frame stands for exactly `hop_length` samples and chunks line up.
    """

    def __init__(self, mel: MelConfig):
        super().__init__()
        self.mel_config = mel

    @property
    def context_frames(self) -> tuple[int, int]:
        """(left, right) mel frames that one output frame depends on; streaming decode needs them."""
        raise NotImplementedError(f"{type(self).__name__} does not define its context, so it cannot stream")

    def stream(self, mel_pieces, chunk_frames: int = 16):
        """Audio chunks for an iterable of mel pieces; concatenated they equal `decode` (see vocoder.streaming)."""
        from vocoder.streaming import stream_decode

        return stream_decode(self, mel_pieces, chunk_frames)

    @torch.inference_mode()
    def decode(self, mel: torch.Tensor) -> torch.Tensor:
        """(B, n_mels, T) or (n_mels, T) log-mel -> (B, T * hop) or (T * hop,) float32 audio."""
        unbatched = mel.dim() == 2
        if unbatched:
            mel = mel[None]
        if mel.dim() != 3 or mel.shape[1] != self.mel_config.n_mels:
            raise ValueError(f"expected log-mel of shape (B, {self.mel_config.n_mels}, T), got {tuple(mel.shape)}")
        if mel.shape[-1] == 0:
            raise ValueError("cannot decode an empty mel (T = 0)")
        audio = self(mel.float())
        expected = mel.shape[-1] * self.hop_length
        if not expected - self.hop_length <= audio.shape[-1] <= expected:
            raise RuntimeError(f"{type(self).__name__} returned {audio.shape[-1]} samples for {mel.shape[-1]} frames")
        audio = torch.nn.functional.pad(audio, (0, expected - audio.shape[-1]))
        return audio[0] if unbatched else audio
