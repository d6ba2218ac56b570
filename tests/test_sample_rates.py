"""Output sample rates through the Python API: whole, streamed and batched audio, seamless."""

import numpy as np
import pytest

from tts.audio.resampling import SAMPLE_RATES, resample

TEXT = "Hello there. This is a second sentence, with a clause."


@pytest.mark.parametrize("rate", SAMPLE_RATES)
def test_each_rate_streams_what_it_synthesizes_without_seams(tiny_voice, rate):
    whole = tiny_voice.synthesize(TEXT, sample_rate=rate)
    assert whole.sample_rate == rate
    native = tiny_voice.synthesize(TEXT)
    assert abs(len(whole.samples) - len(native.samples) * rate / 24000) <= 1
    assert np.array_equal(whole.samples, np.clip(resample(native.samples, 24000, rate), -1, 1))
    chunks = list(tiny_voice.stream(TEXT, chunk_frames=8, sample_rate=rate))
    assert {chunk.sample_rate for chunk in chunks} == {rate}
    streamed = np.concatenate([chunk.samples for chunk in chunks])
    native_stream = np.concatenate([chunk.samples for chunk in tiny_voice.stream(TEXT, chunk_frames=8)])
    # One resampler across the chunks: exactly the whole native stream resampled, with no seams.
    assert np.array_equal(streamed, np.clip(resample(native_stream, 24000, rate), -1, 1))
    batch = tiny_voice.synthesize_batch(["Short.", TEXT], sample_rate=rate)
    assert np.array_equal(batch[1].samples, whole.samples)


def test_text_pieces_stream_at_another_rate(tiny_voice):
    chunks = list(tiny_voice.stream(iter(["Hello ", "there, my friend. ", "How are you?"]), sample_rate=16000))
    assert chunks and {chunk.sample_rate for chunk in chunks} == {16000}


@pytest.mark.parametrize("rate", [11025, 96000, 16000.0, "16000", True])
def test_other_rates_are_refused(tiny_voice, rate):
    with pytest.raises(ValueError, match="sample_rate must be one of"):
        tiny_voice.synthesize("Hi.", sample_rate=rate)
