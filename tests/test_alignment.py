"""Monotonic alignment search against brute force, and the length-regulation helpers."""

import itertools
import math

import numpy as np
import pytest
import torch

from tts.engine.frames import expand_to_frames, round_durations
from tts.model.alignment import (
    gaussian_log_likelihood,
    maximum_path,
    regulate_length,
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


def test_length_regulation_by_path_and_by_durations_agree():
    """Training expands phonemes along an alignment path (torch); synthesis by durations (numpy)."""
    durations = np.array([[2, 1, 3], [1, 1, 0]])
    hidden = np.array([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 0.0]]], dtype=np.float32)
    expanded = expand_to_frames(hidden, durations)
    assert expanded.shape == (2, 1, 6) and expanded[0, 0].tolist() == [1, 1, 2, 3, 3, 3]
    assert expanded[1, 0].tolist() == [4, 5, 0, 0, 0, 0]
    ends = np.cumsum(durations, axis=1)
    frames = np.arange(6)[None, None, :]
    path = torch.from_numpy(((frames >= (ends - durations)[..., None]) & (frames < ends[..., None])).astype(np.float32))
    assert torch.equal(regulate_length(torch.from_numpy(hidden), path), torch.from_numpy(expanded))


def test_round_durations_keeps_totals_and_minimum_one():
    durations = np.array([[1.4, 1.4, 1.4, 1.4, 1.4, 0.1], [0.1, 3.6, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    mask = np.array([[1.0] * 6, [1.0, 1.0, 0, 0, 0, 0]], dtype=np.float32)
    rounded = round_durations(durations, mask)
    assert (rounded[mask.astype(bool)] >= 1).all() and (rounded[~mask.astype(bool)] == 0).all()
    assert rounded[0].tolist() == [1, 2, 1, 2, 1, 1]  # total 7 + the 1-frame minimum; per-phoneme ceil gives 11
    assert rounded[1].tolist()[:2] == [1, 4]
