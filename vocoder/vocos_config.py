"""`VocosConfig` and the context arithmetic of a Vocos generator: plain data, no torch.

Both engines read these: the torch module (`vocoder.vocos_model`) and the CPU runtime
(`vocoder.onnx_vocos`), so the architecture's numbers live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vocoder.mel_config import MelConfig

KIND = "vocos"
"""The `kind` an exported Vocos vocoder's config.json carries."""

KERNEL_SIZE = 7
"""`vocos.models.VocosBackbone`'s embedding and depthwise convolutions are all kernel 7."""


@dataclass(frozen=True)
class VocosConfig:
    """Generator architecture. The pretrained `vocos-mel-24khz` is dim 512, intermediate 1536, 8 layers."""

    dim: int = 384
    """Channels of the ConvNeXt stack."""
    intermediate_dim: int = 1152
    """Hidden width of each ConvNeXt block's pointwise MLP."""
    num_layers: int = 8
    """ConvNeXt blocks. Each adds 3 frames of context on both sides (kernel 7)."""
    mel: MelConfig = field(default_factory=MelConfig)
    """The features it vocodes; the ISTFT head uses the same n_fft and hop."""

    def __post_init__(self) -> None:
        if min(self.dim, self.intermediate_dim, self.num_layers) <= 0:
            raise ValueError(f"VocosConfig sizes must be positive, got {self}")

    @property
    def context_frames(self) -> tuple[int, int]:
        """(left, right) mel frames one output frame depends on (see `convnext_istft_context`)."""
        return convnext_istft_context([KERNEL_SIZE] * (self.num_layers + 1), self.mel)


def convnext_istft_context(kernel_sizes: list[int], mel: MelConfig) -> tuple[int, int]:
    """Frames of (left, right) context a ConvNeXt stack + ISTFT head needs for exact chunked decoding.

    Each convolution of kernel k reaches k // 2 frames each way (the embedding conv and every block's
    depthwise conv, whose `kernel_sizes` are given); LayerNorms and pointwise layers are per frame. The
    ISTFT then overlap-adds each frame over n_fft samples: with centred frames (frame f centred on sample
    f * hop), the samples of frame a reach back to frames f > a - n_fft / (2 hop) and forward to
    f * hop <= (a + 1) * hop - 1 + n_fft / 2.
    """
    reach = sum(k // 2 for k in kernel_sizes)
    half = mel.n_fft // 2
    if mel.center:
        head_left = -(-half // mel.hop_length) - 1
        head_right = (half - 1) // mel.hop_length + 1
    else:  # 'same' padding shifts frames by (n_fft - hop) / 2; one frame more each way covers it
        head_left = head_right = -(-mel.n_fft // mel.hop_length)
    return reach + head_left, reach + head_right
