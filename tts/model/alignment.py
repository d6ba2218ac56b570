"""Monotonic alignment search (Glow-TTS) and length regulation between phonemes and mel frames.

MAS runs in numba (a librosa dependency, so always installed): a dynamic program over each
(phonemes × frames) grid that torch cannot express without a Python loop over frames.
"""

from __future__ import annotations

import numpy as np
import torch


def sequence_mask(lengths: torch.Tensor, max_length: int | None = None) -> torch.Tensor:
    """(B,) lengths -> (B, max_length) bool, True at real positions."""
    max_length = int(lengths.max()) if max_length is None else max_length
    return torch.arange(max_length, device=lengths.device)[None, :] < lengths[:, None]


def maximum_path(log_prob: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The monotonic alignment with the highest total log-probability.

    log_prob: (B, N, T) score of phoneme n for frame t. mask: (B, N, T), 1 inside each item's N_b × T_b
    grid. Returns a 0/1 path (B, N, T): every frame belongs to exactly one phoneme, phonemes advance by
    0 or 1 per frame, start at (0, 0) and end at (N_b - 1, T_b - 1). Needs T_b ≥ N_b.
    """
    device, dtype = log_prob.device, log_prob.dtype
    scores = log_prob.detach().float().cpu().numpy().copy()  # the kernel overwrites it
    mask_np = mask.detach().cpu().numpy().astype(bool)
    n_lengths = mask_np[:, :, 0].sum(axis=1).astype(np.int64)
    t_lengths = mask_np[:, 0, :].sum(axis=1).astype(np.int64)
    if np.any(t_lengths < n_lengths):
        bad = int(np.argmax(t_lengths < n_lengths))
        raise ValueError(f"alignment needs at least one frame per phoneme: item {bad} has {n_lengths[bad]} phonemes, {t_lengths[bad]} frames")
    path = np.zeros(scores.shape, dtype=np.float32)
    _maximum_path_batch()(path, scores, n_lengths, t_lengths)
    return torch.from_numpy(path).to(device=device, dtype=dtype)


_COMPILED = None


def _maximum_path_batch():
    """Compile the numba kernel on first use (not at import)."""
    global _COMPILED
    if _COMPILED is None:
        import numba

        @numba.njit(nogil=True, cache=False)
        def one(path, value, n_len, t_len):
            # value is overwritten with the best cumulative score ending at (n, t).
            neg_inf = -1e9
            for t in range(t_len):
                for n in range(max(0, n_len + t - t_len), min(n_len, t + 1)):
                    stay = value[n, t - 1] if (t > 0 and n <= t - 1) else neg_inf
                    if n == 0:
                        advance = 0.0 if t == 0 else neg_inf
                    else:
                        advance = value[n - 1, t - 1] if t > 0 else neg_inf
                    value[n, t] += max(stay, advance)
            n = n_len - 1
            for t in range(t_len - 1, -1, -1):
                path[n, t] = 1.0
                if n > 0 and (n == t or value[n, t - 1] < value[n - 1, t - 1]):
                    n -= 1

        @numba.njit(nogil=True, parallel=True, cache=False)
        def batch(paths, values, n_lengths, t_lengths):
            for b in numba.prange(paths.shape[0]):
                one(paths[b], values[b], n_lengths[b], t_lengths[b])

        _COMPILED = batch
    return _COMPILED


def gaussian_log_likelihood(mel: torch.Tensor, mu: torch.Tensor) -> torch.Tensor:
    """log N(mel_t; mu_n, I) for every (phoneme n, frame t): mel (B, C, T), mu (B, C, N) -> (B, N, T)."""
    channels = mel.shape[1]
    constant = -0.5 * channels * np.log(2 * np.pi)
    # -0.5·|y - μ|² expanded, so the (N, T) grid is one batched matmul instead of a (B, C, N, T) tensor.
    cross = torch.einsum("bcn,bct->bnt", mu, mel)
    return constant - 0.5 * (mel.pow(2).sum(1)[:, None, :] - 2 * cross + mu.pow(2).sum(1)[:, :, None])


def regulate_length(hidden: torch.Tensor, path: torch.Tensor) -> torch.Tensor:
    """Expand phoneme features (B, C, N) along an alignment (B, N, T) -> frame features (B, C, T)."""
    return torch.bmm(hidden, path)
