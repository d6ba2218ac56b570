"""The CPU runtime's inverse STFT (vocoder.istft) computes what Vocos's ISTFT head computes in torch."""

import numpy as np
import pytest
import torch

from vocoder.istft import hann_window, istft, waveform_from_head
from vocoder.vocos_model import coefficients

N_FFT, HOP = 64, 16


def test_istft_is_torch_istft_with_centred_frames():
    rng = np.random.default_rng(0)
    real, imaginary = (rng.standard_normal((2, N_FFT // 2 + 1, 9)).astype(np.float32) for _ in range(2))
    window = torch.hann_window(N_FFT)
    expected = torch.istft(torch.complex(torch.from_numpy(real), torch.from_numpy(imaginary)), N_FFT, HOP, N_FFT, window, center=True)
    audio = istft(real, imaginary, N_FFT, HOP)
    assert audio.dtype == np.float32 and audio.shape == (2, 8 * HOP)
    assert np.allclose(audio, expected.numpy(), atol=1e-5)


@pytest.mark.parametrize("hop", [HOP, 24])  # 24 does not divide 64: the general overlap-add
def test_waveform_from_the_head_projection_is_the_heads_coefficients_inverted(hop):
    rng = np.random.default_rng(1)
    projection = rng.standard_normal((2, 12, N_FFT + 2)).astype(np.float32)
    projection[0, 3, 5] = 9.0  # exp(9) > 100: clipped as the head clips it
    real, imaginary = (part.numpy() for part in coefficients(torch.from_numpy(projection)))
    window = hann_window(N_FFT).astype(np.float32)
    expected = istft(real, imaginary, N_FFT, hop, window)
    audio = waveform_from_head(projection, N_FFT, hop, window)
    assert audio.dtype == np.float32 and audio.shape == expected.shape == (2, 11 * hop)
    assert np.allclose(audio, expected, atol=1e-5)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(B, T, 66\)"):
        waveform_from_head(np.zeros((1, 5, 65), np.float32), N_FFT, HOP)
    with pytest.raises(ValueError, match="window of 64"):
        waveform_from_head(np.zeros((1, 5, 66), np.float32), N_FFT, HOP, np.ones(32))
    with pytest.raises(ValueError, match=r"\(B, 33, T\)"):
        istft(np.zeros((1, 30, 5), np.float32), np.zeros((1, 30, 5), np.float32), N_FFT, HOP)
