"""Griffin-Lim: a vocoder that needs no weights. Low quality (phasey, metallic); a fallback and a test aid.

The log-mel is exponentiated, mapped back to a linear spectrogram by least squares through the same
HTK mel filterbank the features use (torchaudio's InverseMelScale), and its phase is estimated with
torchaudio's fast Griffin-Lim. Deterministic: the phase starts at zero.
"""

from __future__ import annotations

import torch

from vocoder.base import Vocoder
from vocoder.mel_config import MelConfig


class GriffinLimVocoder(Vocoder):
    def __init__(self, mel: MelConfig | None = None, n_iter: int = 32, momentum: float = 0.99):
        super().__init__(mel or MelConfig())
        if not self.mel_config.center:
            # torchaudio's griffinlim inverts centred frames only; other framing would misalign audio.
            raise ValueError("GriffinLimVocoder needs MelConfig(center=True)")
        import torchaudio

        config = self.mel_config
        self.inverse_mel = torchaudio.transforms.InverseMelScale(
            n_stft=config.n_fft // 2 + 1, n_mels=config.n_mels, sample_rate=config.sample_rate, driver="gelsd"
        )
        self.register_buffer("window", torch.hann_window(config.n_fft), persistent=False)
        self.n_iter = n_iter
        self.momentum = momentum

    @property
    def context_frames(self) -> tuple[int, int]:
        # Griffin-Lim's phase estimate is global, so no finite context makes chunks exact; 16 frames
        # each side keeps chunk seams inaudible in practice. Streaming it is approximate.
        return 16, 16

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        import torchaudio.functional as F

        config = self.mel_config
        magnitude = self.inverse_mel(mel.exp()).clamp_min(0.0)
        return F.griffinlim(
            magnitude,
            self.window,
            n_fft=config.n_fft,
            hop_length=config.hop_length,
            win_length=config.n_fft,
            power=1.0,
            n_iter=self.n_iter,
            momentum=self.momentum,
            length=None,  # centred frames: T frames give (T - 1) * hop samples; decode() pads
            rand_init=False,
        )
