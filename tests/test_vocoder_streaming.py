"""Chunked decoding equals the offline decode, for every chunk size and arrival pattern."""

import pytest
import torch

from tts.audio import MelConfig
from vocoder import (
    GriffinLimVocoder,
    StreamingDecoder,
    VocosConfig,
    VocosVocoder,
    stream_decode,
)


def _vocoder(center=True, layers=2):
    torch.manual_seed(0)
    vocoder = VocosVocoder(VocosConfig(dim=32, intermediate_dim=64, num_layers=layers, mel=MelConfig(center=center)))
    # Full-strength residual branches, so that a missing context frame would show in the output.
    for block in vocoder.backbone.convnext:
        block.gamma.data.fill_(1.0)
    return vocoder.eval()


def _mel(batch=2, frames=53, seed=1):
    return torch.randn(batch, 100, frames, generator=torch.Generator().manual_seed(seed))


def test_tiny_vocos_shapes():
    vocoder = _vocoder()
    assert vocoder.decode(_mel(3, 20)).shape == (3, 20 * 256)
    assert vocoder.decode(_mel(1, 7)[0]).shape == (7 * 256,)
    assert vocoder.sample_rate == 24000 and vocoder.hop_length == 256


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("chunk_frames", [1, 3, 16, 1000])
def test_streaming_equals_offline(center, chunk_frames):
    vocoder = _vocoder(center)
    mel = _mel()
    offline = vocoder.decode(mel)
    streamed = torch.cat(list(vocoder.stream([mel], chunk_frames)), dim=-1)
    assert streamed.shape == offline.shape
    assert (streamed - offline).abs().max() <= 1e-4


def test_uneven_pieces_and_empty_pieces():
    vocoder = _vocoder()
    mel = _mel(frames=61)
    cuts = [0, 1, 1, 9, 10, 33, 34, 61]  # pieces of 1, 0, 8, 1, 23, 1, 27 frames
    pieces = [mel[..., a:b] for a, b in zip(cuts, cuts[1:])]
    chunks = list(stream_decode(vocoder, pieces, chunk_frames=5))
    assert all(chunk.shape[-1] <= 5 * 256 for chunk in chunks)
    assert (torch.cat(chunks, -1) - vocoder.decode(mel)).abs().max() <= 1e-4


def test_unbatched_stream_and_shorter_than_context():
    vocoder = _vocoder()
    mel = _mel(1, 4)[0]  # fewer frames than the right context
    streamed = torch.cat(list(vocoder.stream([mel[:, :2], mel[:, 2:]], 2)), -1)
    assert streamed.shape == (4 * 256,)
    assert (streamed - vocoder.decode(mel)).abs().max() <= 1e-4


def test_audio_is_held_back_until_right_context_arrives():
    vocoder = _vocoder()
    left, right = vocoder.context_frames
    assert (left, right) == (3 + 2 * 3 + 1, 3 + 2 * 3 + 2)  # embed conv + 2 blocks + ISTFT overlap
    decoder = StreamingDecoder(vocoder, chunk_frames=4)
    assert list(decoder.push(_mel(1, right + 3))) == []  # 3 frames with full right context < one chunk
    assert len(list(decoder.push(_mel(1, 1, seed=2)))) == 1
    assert decoder.latency_ms == pytest.approx(1000 * right * 256 / 24000)


def test_lazy_chunks_survive_partial_consumption():
    vocoder = _vocoder()
    mel = _mel(frames=40)
    decoder = StreamingDecoder(vocoder, chunk_frames=4)
    first = next(decoder.push(mel[..., :30]))  # take one chunk, leave the rest for later calls
    rest = list(decoder.push(mel[..., 30:])) + list(decoder.finish())
    assert (torch.cat([first, *rest], -1) - vocoder.decode(mel)).abs().max() <= 1e-4


def test_stream_rejects_misuse():
    vocoder = _vocoder()
    with pytest.raises(ValueError, match="chunk_frames"):
        StreamingDecoder(vocoder, 0)
    decoder = StreamingDecoder(vocoder)
    with pytest.raises(ValueError, match="shape"):
        decoder.push(torch.zeros(1, 80, 3))
    list(decoder.push(_mel(1, 3)))
    with pytest.raises(ValueError, match="batch size"):
        decoder.push(_mel(2, 3))
    list(decoder.finish())
    with pytest.raises(RuntimeError, match="finish"):
        decoder.push(_mel(1, 3))


def test_griffin_lim_streams_approximately():
    vocoder = GriffinLimVocoder(n_iter=4)
    t = torch.arange(24000) / 24000
    from tts.audio import LogMelSpectrogram

    mel = LogMelSpectrogram()(0.5 * torch.sin(2 * torch.pi * 220 * t))
    streamed = torch.cat(list(vocoder.stream([mel], 32)), -1)
    assert streamed.shape == (mel.shape[-1] * 256,)
    assert torch.isfinite(streamed).all()


def test_a_smaller_first_chunk_comes_sooner_and_the_audio_is_the_same():
    vocoder = _vocoder()
    mel = _mel(frames=40)
    right = vocoder.context_frames[1]
    decoder = StreamingDecoder(vocoder, chunk_frames=8, first_chunk_frames=3)
    # The first chunk is ready once its 3 frames and their right context have arrived; 8-frame chunks follow.
    first = list(decoder.push(mel[..., : 3 + right]))
    assert [chunk.shape[-1] // 256 for chunk in first] == [3]
    rest = list(decoder.push(mel[..., 3 + right :])) + list(decoder.finish())
    assert [chunk.shape[-1] // 256 for chunk in rest] == [8, 8, 8, 8, 5]
    assert (torch.cat(first + rest, -1) - vocoder.decode(mel)).abs().max() <= 1e-4
    with pytest.raises(ValueError, match="first_chunk_frames"):
        StreamingDecoder(vocoder, chunk_frames=8, first_chunk_frames=0)
