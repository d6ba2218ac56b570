"""Exact checks of the flow-map objectives on Gaussian data, whose flow has a closed form."""

import pytest
import torch
from flow_toy import GaussianFlow, train_toy
from torch import nn

from tts.flow import FlowMapObjective, ObjectiveConfig, TimeSampler, interpolate, sample

MEAN, STD = torch.tensor([1.0, -2.0], dtype=torch.float64), 0.5


@pytest.fixture
def flow():
    return GaussianFlow(MEAN, STD)


@pytest.fixture
def data(flow):
    return flow.sample_data(4096, torch.Generator().manual_seed(0))


def _objective(method, boundary_fraction=0.0):
    sampler = TimeSampler(distribution="uniform", boundary_fraction=boundary_fraction)
    return FlowMapObjective(ObjectiveConfig(method=method, time=sampler))


def test_closed_form_flow_is_a_consistent_flow_map(flow):
    noise = torch.randn(64, 2, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    one_step = sample(flow, noise, 1)
    assert torch.allclose(one_step, sample(flow, noise, [1.0, 0.7, 0.2, 0.0]), atol=1e-10)
    assert torch.allclose(one_step, sample(flow, noise, 4000, "euler"), atol=2e-3)


def test_interval_splitting_loss_vanishes_for_the_exact_average_velocity(flow, data):
    out = _objective("splitmeanflow")(flow, data, generator=torch.Generator().manual_seed(2))
    assert out.loss.item() < 1e-12


@pytest.mark.parametrize("method", ["splitmeanflow", "meanflow"])
def test_distillation_losses_vanish_when_student_and_teacher_are_exact(flow, data, method):
    out = _objective(method, boundary_fraction=0.5)(flow, data, teacher=flow, generator=torch.Generator().manual_seed(3))
    assert out.loss.item() < 1e-12
    assert set(out.terms) == {"loss", "boundary", "consistency"}


def test_a_wrong_average_velocity_is_penalized(flow, data):
    class Biased(nn.Module):
        def forward(self, z, r, t):
            return flow(z, r, t) + 0.1 * (t - r)[:, None]  # right at r = t, wrong across intervals

    out = _objective("splitmeanflow")(Biased(), data, generator=torch.Generator().manual_seed(4))
    assert out.loss.item() > 1e-5


def test_boundary_samples_follow_the_configured_fraction():
    r, t, boundary = TimeSampler(boundary_fraction=0.25)(64, generator=torch.Generator().manual_seed(0))
    assert boundary.sum().item() == 16
    assert torch.equal(r[boundary], t[boundary])
    assert bool((r[~boundary] < t[~boundary]).all()) and bool(((0 <= r) & (t <= 1)).all())


def test_interpolation_endpoints():
    x, noise = torch.zeros(3, 2), torch.ones(3, 2)
    assert torch.equal(interpolate(x, noise, torch.zeros(3)), x)
    assert torch.equal(interpolate(x, noise, torch.ones(3)), noise)


@pytest.mark.parametrize(
    "kwargs",
    [{"method": "nope"}, {"time": {"boundary_fraction": 1.5}}, {"time": {"distribution": "beta"}}, {"adaptive_weight_power": -1.0}],
    ids=["method", "fraction", "distribution", "power"],
)
def test_bad_configs_are_refused(kwargs):
    with pytest.raises(ValueError):
        ObjectiveConfig(**kwargs)


def test_a_trained_network_approaches_the_closed_form_average_velocity():
    flow = GaussianFlow(MEAN.float(), STD)
    generator = torch.Generator().manual_seed(5)
    t = torch.rand(2048, generator=generator)
    r = t * torch.rand(2048, generator=generator)
    z = interpolate(flow.sample_data(2048, generator), torch.randn(2048, 2, generator=generator), t)

    def error(net):
        with torch.no_grad():
            return (net(z, r, t) - flow(z, r, t)).pow(2).mean().item() / flow(z, r, t).pow(2).mean().item()

    config = ObjectiveConfig(time=TimeSampler(boundary_fraction=0.5))
    untrained = train_toy(config, steps=0, data=lambda n, g: flow.sample_data(n, g))
    trained = train_toy(config, steps=600, data=lambda n, g: flow.sample_data(n, g))
    assert error(trained) < 0.05 < error(untrained)  # measured: 0.019 and 0.95
