"""Monotonic alignment search against brute force, and the length-regulation helpers."""

import itertools
import math

import pytest
import torch

from tts.model.alignment import (
    durations_to_path,
    gaussian_log_likelihood,
    maximum_path,
    regulate_length,
    round_durations,
    sequence_mask,
)


def _brute_force(log_prob, n, t):
    """Best monotonic path by enumerating every split of t frames into n non-empty runs."""
    best, bounds = -math.inf, None
    for cuts in itertools.combinations(range(1, t), n - 1):
        edges = (0, *cuts, t)
        score = sum(float(log_prob[i, edges[i] : edges[i + 1]].sum()) for i in range(n))
        if score > best:
            best, bounds = score, edges
    path = torch.zeros(n, t)
    for i in range(n):
        path[i, bounds[i] : bounds[i + 1]] = 1
    return path


@pytest.mark.parametrize("seed", range(6))
def test_mas_matches_brute_force(seed):
    generator = torch.Generator().manual_seed(seed)
    batch = 4
    n = torch.randint(1, 6, (batch,), generator=generator)
    t = n + torch.randint(0, 5, (batch,), generator=generator)
    log_prob = torch.randn(batch, 7, 12, generator=generator)
    mask = (sequence_mask(n, 7)[:, :, None] & sequence_mask(t, 12)[:, None, :]).float()
    original = log_prob.clone()
    path = maximum_path(log_prob, mask)
    assert torch.equal(log_prob, original)  # the input is not overwritten
    for b in range(batch):
        assert torch.equal(path[b, : n[b], : t[b]], _brute_force(log_prob[b], int(n[b]), int(t[b])))
        assert path[b].sum() == t[b]  # every frame belongs to exactly one phoneme, padding to none


def test_mas_refuses_fewer_frames_than_phonemes():
    mask = (sequence_mask(torch.tensor([5]), 5)[:, :, None] & sequence_mask(torch.tensor([3]), 5)[:, None, :]).float()
    with pytest.raises(ValueError, match="at least one frame per phoneme"):
        maximum_path(torch.zeros(1, 5, 5), mask)


def test_gaussian_log_likelihood_matches_direct_formula():
    generator = torch.Generator().manual_seed(0)
    mel, mu = torch.randn(2, 6, 9, generator=generator), torch.randn(2, 6, 4, generator=generator)
    direct = torch.distributions.Normal(mu[:, :, :, None], 1.0).log_prob(mel[:, :, None, :]).sum(1)
    assert torch.allclose(gaussian_log_likelihood(mel, mu), direct, atol=1e-4)


def test_durations_to_path_and_regulation():
    durations = torch.tensor([[2, 1, 3], [1, 1, 0]])
    path = durations_to_path(durations)
    assert path.shape == (2, 3, 6)
    assert torch.equal(path.sum(1)[0], torch.ones(6)) and path[1].sum() == 2
    hidden = torch.tensor([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 0.0]]])
    assert regulate_length(hidden, path)[0, 0].tolist() == [1, 1, 2, 3, 3, 3]


def test_round_durations_keeps_totals_and_minimum_one():
    durations = torch.tensor([[1.4, 1.4, 1.4, 1.4, 1.4, 0.1], [0.1, 3.6, 0.0, 0.0, 0.0, 0.0]])
    mask = torch.tensor([[1.0] * 6, [1.0, 1.0, 0, 0, 0, 0]])
    rounded = round_durations(durations, mask)
    assert (rounded[mask.bool()] >= 1).all() and (rounded[~mask.bool()] == 0).all()
    assert rounded[0].tolist() == [1, 2, 1, 2, 1, 1]  # total 7 + the 1-frame minimum; per-phoneme ceil gives 11
    assert rounded[1].tolist()[:2] == [1, 4]
