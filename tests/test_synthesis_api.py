"""The Python API: load, synthesize, synthesize_batch, stream."""

import numpy as np
import pytest
import soundfile as sf

import tts
from tts.voices import VoiceNotFound

TEXT = "Hello there. This is a second sentence, with a clause. And a third!"


def test_synthesize_returns_audio(tiny_voice, tmp_path):
    audio = tiny_voice.synthesize("Hello there.")
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.sample_rate == 24000 and 0.2 < audio.duration < 5
    for suffix in ("wav", "flac"):
        path = audio.save(tmp_path / f"hello.{suffix}")
        samples, rate = sf.read(path)
        assert rate == 24000 and len(samples) == len(audio.samples)


def test_same_seed_same_audio_and_speed(tiny_voice):
    a = tiny_voice.synthesize(TEXT, seed=1)
    assert np.array_equal(a.samples, tiny_voice.synthesize(TEXT, seed=1).samples)
    assert not np.array_equal(a.samples, tiny_voice.synthesize(TEXT, seed=2).samples)
    fast = tiny_voice.synthesize(TEXT, seed=1, speed=2.0)
    assert 0.4 < fast.duration / a.duration < 0.65


def test_batch_matches_single(tiny_voice):
    texts = [TEXT, "Short.", "A medium length sentence for the batch."]
    batch = tiny_voice.synthesize_batch(texts, batch_size=2, steps=2)
    for text, audio in zip(texts, batch):
        single = tiny_voice.synthesize(text, steps=2)
        assert len(audio.samples) == len(single.samples)
        assert np.abs(audio.samples - single.samples).max() < 1e-4
    with pytest.raises(TypeError):
        tiny_voice.synthesize_batch("not a list")


def test_stream_of_a_text_equals_offline(tiny_voice):
    chunks = list(tiny_voice.stream(TEXT, chunk_frames=8))
    assert len(chunks) > 3
    assert {c.text for c in chunks} == {"Hello there.", "This is a second sentence, with a clause.", "And a third!"}
    assert all(c.sample_rate == 24000 for c in chunks) and chunks[-1].last_in_clause
    streamed = np.concatenate([c.samples for c in chunks])
    offline = tiny_voice.synthesize(TEXT).samples
    assert len(streamed) == len(offline) and np.abs(streamed - offline).max() < 1e-4


def test_stream_yields_before_the_rest_is_synthesized(tiny_voice, monkeypatch):
    calls = []
    original = tiny_voice._mels
    monkeypatch.setattr(tiny_voice, "_mels", lambda ids, opts: calls.append(len(ids)) or original(ids, opts))
    stream = tiny_voice.stream(TEXT)
    next(stream)
    assert calls == [1]  # only the first sentence's mel was computed
    list(stream)
    assert calls == [1, 1, 1]


def test_stream_of_pieces_speaks_clauses_as_they_complete(tiny_voice):
    pieces = iter(["Hel", "lo there, my", " friend. How", " are you", " today?"])
    chunks = list(tiny_voice.stream(pieces))
    texts = list(dict.fromkeys(c.text for c in chunks))
    assert texts == ["Hello there, my friend.", "How are you today?"]
    ends = [c for c in chunks if c.last_in_clause]
    assert len(ends) == 2 and all(abs(c.samples[-1]) < 1e-6 for c in ends)  # faded: no click at joins
    assert list(tiny_voice.stream(iter(["...", " !"]))) == []


def test_bad_input_is_a_clear_error(tiny_voice):
    with pytest.raises(ValueError, match="empty"):
        tiny_voice.synthesize("   ")
    with pytest.raises(ValueError, match="nothing to speak"):
        tiny_voice.synthesize("?!")
    with pytest.raises(ValueError, match="single-speaker"):
        tiny_voice.synthesize("Hi.", speaker=1)
    with pytest.raises(ValueError, match="unknown speaker"):
        tiny_voice.synthesize("Hi.", speaker="bob")


def test_load_variants(tiny_voice_dir):
    with pytest.raises(VoiceNotFound, match="not found"):
        tts.load("no-such-voice")
    with pytest.raises(ValueError, match="vocoder"):
        tts.load(tiny_voice_dir / "acoustic")
    voice = tts.load(tiny_voice_dir / "acoustic", vocoder=tiny_voice_dir / "vocoder", device="cpu", threads=2)
    assert voice.synthesize("Hi.").duration > 0
    fallback = tts.load(tiny_voice_dir / "acoustic", vocoder="griffin-lim", device="cpu")
    assert fallback.synthesize("Hi.").duration > 0
    with pytest.raises(ValueError, match="device"):
        tts.load(tiny_voice_dir, device="quantum")
