"""Padding never touches the loss: values at masked positions change neither loss nor gradients."""

import pytest
import torch
from torch import nn

from tts.flow import (
    FlowMapObjective,
    ObjectiveConfig,
    TimeConditioning,
    TimeSampler,
    make_noise,
    sample,
)


class TinySequenceNet(nn.Module):
    """u(z, r, t | mask) for z (B, C, T): a 1-D conv stack that zeroes padding at its input."""

    def __init__(self, channels: int = 4, hidden: int = 16):
        super().__init__()
        self.time = TimeConditioning(hidden, frequency_dim=16)
        self.inp = nn.Conv1d(channels, hidden, 3, padding=1)
        self.out = nn.Conv1d(hidden, channels, 3, padding=1)

    def forward(self, z, r, t, mask):
        h = torch.tanh(self.inp(z * mask) + self.time(r, t)[:, :, None])
        return self.out(h * mask)


def _batch():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(4, 4, 12, generator=generator)
    lengths = torch.tensor([12, 9, 5, 1])
    mask = (torch.arange(12)[None] < lengths[:, None]).float()[:, None]  # (B, 1, T)
    return x, mask


@pytest.mark.parametrize("method", ["splitmeanflow", "meanflow", "flow_matching"])
def test_padding_changes_neither_loss_nor_gradients(method):
    torch.manual_seed(0)
    net = TinySequenceNet()
    objective = FlowMapObjective(ObjectiveConfig(method=method, time=TimeSampler(boundary_fraction=0.5)))
    x, mask = _batch()
    garbage = x + 100.0 * (1 - mask) * torch.randn_like(x)

    results = []
    for data in (x, garbage):
        net.zero_grad()
        loss = objective(net, data, mask=mask, generator=torch.Generator().manual_seed(1)).loss
        loss.backward()
        results.append((loss.detach(), [p.grad.clone() for p in net.parameters()]))
    (loss_a, grads_a), (loss_b, grads_b) = results
    assert torch.equal(loss_a, loss_b)
    assert all(torch.equal(a, b) for a, b in zip(grads_a, grads_b))


def test_masked_mean_counts_only_real_positions():
    """A sequence's loss is its mean over real frames, however much padding it carries."""
    from tts.flow.objectives import _masked_mean_square

    delta = torch.randn(1, 4, 5, generator=torch.Generator().manual_seed(2))
    padded = torch.cat([delta, torch.full((1, 4, 7), 9.0)], dim=2)
    mask = torch.cat([torch.ones(1, 1, 5), torch.zeros(1, 1, 7)], dim=2)
    assert torch.allclose(_masked_mean_square(padded, mask), delta.pow(2).mean().reshape(1))


def test_sampling_keeps_padding_at_zero():
    torch.manual_seed(0)
    net = TinySequenceNet()
    _, mask = _batch()
    out = sample(net, make_noise((4, 4, 12), seed=0), 2, mask=mask)
    assert torch.all(out * (1 - mask) == 0)
    assert out.abs().sum() > 0
