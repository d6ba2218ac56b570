"""Proof on a 2-D ring of 8 Gaussians: a SplitMeanFlow flow map generates in one step what flow
matching needs many Euler steps for. Same MLP, same budget (1,500 Adam steps, batch 512) for:
(a) flow matching, (b) SplitMeanFlow from scratch, (c) SplitMeanFlow distilled from (a).

Bounds come from measured runs (numbers in comments; `benchmarks/flow_toy_steps.py` prints them) with
margin, so the test is stable yet fails if the method breaks: 1-step Euler of (a) stays near 1.0.
"""

import pytest
import torch
from flow_toy import energy_distance, ring_of_gaussians, train_toy

from tts.flow import ObjectiveConfig, TimeSampler, make_noise, sample

STEPS, LR, BATCH = 1500, 2e-3, 512
FLOW_MAP = ObjectiveConfig(method="splitmeanflow", time=TimeSampler(boundary_fraction=0.75))


@pytest.fixture(scope="module")
def reference():
    return ring_of_gaussians(2000, torch.Generator().manual_seed(123))


@pytest.fixture(scope="module")
def noise():
    return make_noise((2000, 2), seed=7)


@pytest.fixture(scope="module")
def flow_matching():
    return train_toy(ObjectiveConfig(method="flow_matching"), STEPS, lr=LR, batch_size=BATCH)


@pytest.fixture(scope="module")
def from_scratch():
    return train_toy(FLOW_MAP, STEPS, lr=LR, batch_size=BATCH)


@pytest.fixture(scope="module")
def distilled(flow_matching):
    return train_toy(FLOW_MAP, STEPS, lr=LR, batch_size=BATCH, init=flow_matching, teacher=flow_matching)


@pytest.fixture(scope="module")
def euler_distances(flow_matching, noise, reference):
    return {k: energy_distance(sample(flow_matching, noise, k, "euler"), reference) for k in (1, 32)}


def test_flow_matching_needs_many_euler_steps(euler_distances):
    assert euler_distances[1] > 0.5  # measured 0.99: one Euler step lands near the mean
    assert euler_distances[32] < 0.02  # measured 0.0057


@pytest.mark.parametrize("model", ["from_scratch", "distilled"])
def test_one_step_flow_map_matches_many_step_flow_matching(model, request, noise, reference, euler_distances):
    net = request.getfixturevalue(model)
    one = energy_distance(sample(net, noise, 1), reference)  # measured 0.026 / 0.028
    two = energy_distance(sample(net, noise, 2), reference)  # measured 0.016 / 0.011
    assert one < euler_distances[1] / 10
    assert one < 8 * euler_distances[32]
    assert two < 4 * euler_distances[32]


def test_sampling_is_seeded_and_deterministic(from_scratch):
    a = sample(from_scratch, make_noise((16, 2), seed=3), 2)
    b = sample(from_scratch, make_noise((16, 2), seed=3), 2)
    c = sample(from_scratch, make_noise((16, 2), seed=4), 2)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_temperature_scales_the_noise():
    assert torch.allclose(make_noise((8, 2), seed=1, temperature=0.5), 0.5 * make_noise((8, 2), seed=1))
