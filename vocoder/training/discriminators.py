"""The `vocos` package's discriminators with configurable widths, so a GAN step fits a 2-core CPU.

The multi-period discriminator's channel widths are fixed inside `vocos.discriminators.DiscriminatorP`
(41M parameters for five periods); `period_discriminator` builds one and swaps in convolutions of the
requested widths, keeping the package's forward pass. The multi-resolution discriminator takes its
width as an argument already.
"""

from __future__ import annotations

from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from vocoder.training.config import DiscriminatorConfig


def period_discriminator(period: int, channels: tuple[int, ...], kernel_size: int = 5, stride: int = 3):
    from vocos.discriminators import DiscriminatorP

    if len(channels) != 5:
        raise ValueError(f"period_channels needs 5 widths (one per conv), got {channels}")
    discriminator = DiscriminatorP(period=period, kernel_size=kernel_size, stride=stride)
    widths = (1, *channels)
    convs = []
    for index in range(5):
        # The last conv keeps the time resolution, as in HiFi-GAN.
        layer_stride = (stride, 1) if index < 4 else (1, 1)
        convs.append(
            weight_norm(nn.Conv2d(widths[index], widths[index + 1], (kernel_size, 1), layer_stride, padding=(kernel_size // 2, 0)))
        )
    discriminator.convs = nn.ModuleList(convs)
    discriminator.conv_post = weight_norm(nn.Conv2d(channels[-1], 1, (3, 1), 1, padding=(1, 0)))
    return discriminator


def build_discriminators(config: DiscriminatorConfig) -> nn.ModuleDict:
    """{'period': MultiPeriodDiscriminator, 'resolution': MultiResolutionDiscriminator}, each only if enabled."""
    from vocos.discriminators import (
        MultiPeriodDiscriminator,
        MultiResolutionDiscriminator,
    )

    discriminators = nn.ModuleDict()
    if config.periods:
        period = MultiPeriodDiscriminator(periods=())
        period.discriminators = nn.ModuleList(period_discriminator(p, config.period_channels) for p in config.periods)
        discriminators["period"] = period
    if config.resolutions:
        resolution = MultiResolutionDiscriminator(fft_sizes=())
        resolution.discriminators = nn.ModuleList(
            _resolution_discriminator(size, config.resolution_channels) for size in config.resolutions
        )
        discriminators["resolution"] = resolution
    return discriminators


def _resolution_discriminator(window_length: int, channels: int):
    from vocos.discriminators import DiscriminatorR

    return DiscriminatorR(window_length=window_length, channels=channels)


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
