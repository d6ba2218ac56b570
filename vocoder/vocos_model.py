"""Our own Vocos-style vocoder: `vocos.models.VocosBackbone` + `vocos.heads.ISTFTHead`, sizes from a config.

An exported vocoder is a directory with `config.json` (a `VocosConfig`) and `model.safetensors`;
`VocosVocoder.load(dir)` needs neither Lightning nor pickles. Training lives in `vocoder.training`.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from model_files.export import (
    load_weights_into,
    read_export,
    read_model_config,
    save_export,
)
from model_files.onnx_export import GraphSpec
from model_files.typed_config import to_dict
from vocoder.base import Vocoder
from vocoder.mel_config import MelConfig
from vocoder.vocos_config import KIND, VocosConfig, convnext_istft_context

__all__ = ["KIND", "Spectrum", "VocosConfig", "VocosVocoder", "coefficients", "convnext_head_context"]



class VocosVocoder(Vocoder):
    """Log-mel (B, n_mels, T) -> audio (B, (T - 1) * hop) from `forward`; `decode` pads to T * hop."""

    def __init__(self, config: VocosConfig | None = None):
        from vocos.heads import ISTFTHead
        from vocos.models import VocosBackbone

        config = config or VocosConfig()
        super().__init__(config.mel)
        self.config = config
        self.backbone = VocosBackbone(
            input_channels=config.mel.n_mels,
            dim=config.dim,
            intermediate_dim=config.intermediate_dim,
            num_layers=config.num_layers,
        )
        # 'center' matches the centred mel frames: frame f sits at sample f * hop.
        padding = "center" if config.mel.center else "same"
        self.head = ISTFTHead(dim=config.dim, n_fft=config.mel.n_fft, hop_length=config.mel.hop_length, padding=padding)
        # The same modules again, as the network up to the inverse STFT (what runs as an ONNX graph).
        # Not registered, so the state dict keeps vocos's names.
        object.__setattr__(self, "spectrum", Spectrum(self.backbone, self.head.out))

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        real, imaginary = coefficients(self.spectrum(mel))
        return self.head.istft(torch.complex(real.float(), imaginary.float()))  # no complex bfloat16

    @property
    def context_frames(self) -> tuple[int, int]:
        return convnext_head_context(self.backbone, self.mel_config)

    def graph_specs(self) -> list[GraphSpec]:
        """The network that runs as an ONNX graph on CPUs (see model_files.onnx_export): everything before the
        inverse STFT, which stays in torch (ONNX has no inverse STFT)."""
        mel = torch.zeros(2, self.mel_config.n_mels, 11)
        return [GraphSpec("spectrum", self.spectrum, {"mel": mel}, {"mel": {0: "batch", 2: "frames"}})]

    def save(self, directory: str | Path, dtype: torch.dtype = torch.float32) -> Path:
        """Write `config.json` and `model.safetensors` (weights stored as `dtype`) into `directory`."""
        return save_export(directory, KIND, to_dict(self.config), self, dtype)

    @classmethod
    def load(cls, directory: str | Path, device: str | torch.device = "cpu") -> "VocosVocoder":
        """Load an exported vocoder directory (config.json + model.safetensors)."""
        data, state = read_export(directory, KIND)
        model = cls(read_model_config(directory, KIND, VocosConfig, data))
        load_weights_into(model, state, directory)
        return model.to(device).eval()


class Spectrum(nn.Module):
    """Log-mel (B, n_mels, T) -> the ISTFT head's projection (B, T, n_fft + 2): log-magnitudes, then phases.

    `vocos.heads.ISTFTHead.forward` up to its nonlinearities, written out because the head computes all
    in one call. What follows (`coefficients`, then the inverse STFT) runs in torch here and in numpy on
    the CPU runtime (vocoder.istft.waveform_from_head), where it is faster than inside the graph.
    """

    def __init__(self, backbone: nn.Module, projection: nn.Linear):
        super().__init__()
        self.backbone = backbone
        self.out = projection

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return self.out(self.backbone(mel))


def coefficients(projection: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A `Spectrum` projection (B, T, n_fft + 2) -> STFT coefficients (real, imaginary), each
    (B, n_fft // 2 + 1, T): magnitude exp(m) clipped at 100, phase p, coefficients |S| (cos p, sin p)."""
    log_magnitude, phase = projection.transpose(1, 2).chunk(2, dim=1)
    magnitude = torch.exp(log_magnitude).clip(max=1e2)
    return magnitude * torch.cos(phase), magnitude * torch.sin(phase)


def convnext_head_context(backbone, mel: MelConfig) -> tuple[int, int]:
    """(left, right) context frames of a `VocosBackbone` module + ISTFT head (see `convnext_istft_context`)."""
    kernels = [backbone.embed.kernel_size[0]] + [block.dwconv.kernel_size[0] for block in backbone.convnext]
    return convnext_istft_context(kernels, mel)
