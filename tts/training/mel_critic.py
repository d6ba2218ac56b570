"""A learned critic of mel crops, for post-training the 1-step generator adversarially.

The flow-map losses regress the decoder onto an average, which blurs what varies between takes:
formant transitions, bursts, word-final consonants. A critic that sees (mel, prior mean) pairs
learns what real mels of a text look like, and its hinge and feature-matching losses push the
1-step output back towards detail while the flow-map losses stay the anchor.

The critic is a 2D convolutional patch discriminator over (mel bins, frames), conditioned by
stacking the prior mean as a second channel, so it judges a mel against the text it should say.
Its losses are the `vocos` package's hinge and feature-matching losses, as in vocoder training.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm


class MelCritic(nn.Module):
    """(mel, mu, mask), each (B, n_mels or 1, T) normalized -> (logits (B, 1, F', T), feature maps).

    Every layer halves the frequency axis and keeps every frame; time dilations 1, 2, 4, 8 give a
    receptive field of about 60 frames (0.65 s) at a small cost (the critic's step at the default
    voice's size is measured by benchmarks/acoustic_train_step.py).
    """

    def __init__(self, channels: tuple[int, ...] = (16, 32, 64, 64)):
        super().__init__()
        if not channels or any(c < 1 for c in channels):
            raise ValueError(f"critic channels must be positive widths, got {channels}")
        widths = (2, *channels)
        self.convs = nn.ModuleList(
            weight_norm(nn.Conv2d(widths[i], widths[i + 1], kernel_size=(3, 5), stride=(2, 1), dilation=(1, 2**i), padding=(1, 2 * 2**i)))
            for i in range(len(channels))
        )
        self.out = weight_norm(nn.Conv2d(channels[-1], 1, kernel_size=(3, 3), padding=(1, 1)))

    def forward(self, mel: torch.Tensor, mu: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        x = torch.stack([mel * mask, mu * mask], dim=1)  # (B, 2, n_mels, T)
        maps = []
        for conv in self.convs:
            x = nn.functional.leaky_relu(conv(x), 0.2)
            maps.append(x)
        return self.out(x), maps


def critic_loss(critic: MelCritic, real: torch.Tensor, fake: torch.Tensor, mu: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The critic's hinge loss on real and (detached) generated mels."""
    from vocos.loss import DiscriminatorLoss

    real_logits, _ = critic(real, mu, mask)
    fake_logits, _ = critic(fake.detach(), mu, mask)
    loss, _, _ = DiscriminatorLoss()([real_logits], [fake_logits])
    return loss


def generator_losses(critic: MelCritic, real: torch.Tensor, fake: torch.Tensor, mu: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(hinge adversarial loss, feature-matching L1) of generated mels against the critic."""
    from vocos.loss import FeatureMatchingLoss, GeneratorLoss

    with torch.no_grad():
        _, real_maps = critic(real, mu, mask)
    fake_logits, fake_maps = critic(fake, mu, mask)
    adversarial, _ = GeneratorLoss()([fake_logits])
    return adversarial, FeatureMatchingLoss()([real_maps], [fake_maps])
