import pytest
import torch

from tts.flow import sample, step_schedule


class Recorder(torch.nn.Module):
    """A constant-velocity 'network' that records the (r, t) it is called with."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, z, r, t):
        self.calls.append((r[0].item(), t[0].item()))
        return torch.ones_like(z)


@pytest.mark.parametrize("steps", [1, 2, 4])
def test_flow_map_uses_exactly_k_network_evaluations(steps):
    net = Recorder()
    out = sample(net, torch.zeros(3, 2), steps)
    assert len(net.calls) == steps
    assert net.calls[0] == (pytest.approx(1 - 1 / steps), 1.0)
    assert torch.allclose(out, -torch.ones(3, 2))  # z_0 = ε - 1·u for constant u = 1


def test_euler_evaluates_the_instantaneous_velocity():
    net = Recorder()
    sample(net, torch.zeros(1, 2), 8, "euler")
    assert len(net.calls) == 8 and all(r == t for r, t in net.calls)


def test_custom_schedule_is_followed():
    net = Recorder()
    sample(net, torch.zeros(1, 2), [1.0, 0.4, 0.0])
    assert net.calls == [(pytest.approx(0.4), 1.0), (0.0, pytest.approx(0.4))]


@pytest.mark.parametrize("bad", [0, [1.0, 0.5], [0.9, 0.0], [1.0, 0.5, 0.6, 0.0]])
def test_bad_schedules_are_refused(bad):
    with pytest.raises(ValueError):
        step_schedule(bad)
