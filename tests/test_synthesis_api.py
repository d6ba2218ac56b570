"""The Python API: load, synthesize, synthesize_batch, stream."""

import numpy as np
import pytest
import soundfile as sf
import torch

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


def test_each_streamed_sentence_starts_with_a_short_chunk(tiny_voice):
    from tts.synthesis.streaming import FIRST_CHUNK_FRAMES

    chunks = list(tiny_voice.stream(TEXT, chunk_frames=2 * FIRST_CHUNK_FRAMES))
    hop = 256
    by_sentence = {}
    for chunk in chunks:
        by_sentence.setdefault(chunk.text, []).append(len(chunk.samples) // hop)
    assert len(by_sentence) == 3
    for text, sizes in by_sentence.items():
        # The first chunk plays after half the work of a full one; the rest are full but the last.
        assert sizes[0] <= FIRST_CHUNK_FRAMES and all(size == 2 * FIRST_CHUNK_FRAMES for size in sizes[1:-1])
        assert [c.last_in_clause for c in chunks if c.text == text] == [False] * (len(sizes) - 1) + [True]
    streamed = np.concatenate([c.samples for c in chunks])
    offline = tiny_voice.synthesize(TEXT).samples
    assert len(streamed) == len(offline) and np.abs(streamed - offline).max() < 1e-4


def test_overshooting_vocoder_output_is_clipped_to_full_scale(tiny_voice, monkeypatch):
    vocoder = tiny_voice.vocoder.model  # the torch engine's module
    forward = vocoder.forward
    monkeypatch.setattr(vocoder, "forward", lambda mel: 100 * forward(mel))  # far past full scale
    offline = tiny_voice.synthesize(TEXT).samples
    batch = tiny_voice.synthesize_batch([TEXT])[0].samples
    streamed = np.concatenate([c.samples for c in tiny_voice.stream(TEXT, chunk_frames=8)])
    for samples in (offline, batch, streamed):
        assert np.abs(samples).max() == 1.0
    assert np.abs(streamed - offline).max() < 1e-4 and np.abs(batch - offline).max() < 1e-4


def test_stream_yields_before_the_rest_is_synthesized(tiny_voice, monkeypatch):
    prepared, windows = [], []
    prepare, generate = tiny_voice.acoustic.prepare, tiny_voice.acoustic.generate
    monkeypatch.setattr(tiny_voice.acoustic, "prepare", lambda ids, *a, **k: prepared.append(len(ids)) or prepare(ids, *a, **k))
    monkeypatch.setattr(tiny_voice.acoustic, "generate", lambda inputs, steps, sampler, start, end: windows.append((start, end)) or generate(inputs, steps, sampler, start, end))
    long_first = "This first sentence is long enough to need several windows of frames. And a second one."
    stream = tiny_voice.stream(long_first, chunk_frames=8)
    next(stream)
    # Only the first sentence was encoded, and only a first window of its frames decoded.
    assert prepared == [1] and len(windows) == 1
    assert windows[0] == (0, 8 + tiny_voice.vocoder.context_frames[1])
    list(stream)
    assert prepared == [1, 1]
    starts = [start for start, _ in windows]
    assert starts.count(0) == 2 and len(windows) > 4  # both sentences, each in several windows
    assert all(b[0] == a[1] for a, b in zip(windows, windows[1:]) if b[0] != 0)  # contiguous, no gaps


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
    for speak in (tiny_voice.synthesize, lambda text, **o: next(tiny_voice.stream(text, **o))):
        with pytest.raises(ValueError, match="sampler"):
            speak("Hi.", sampler="heun")


def _voice_with_synthesis_defaults(tiny_voice_dir, tmp_path, synthesis):
    """A copy of the tiny voice whose acoustic config.json carries `synthesis` defaults."""
    import json
    import shutil

    voice_dir = tmp_path / "voice"
    shutil.copytree(tiny_voice_dir, voice_dir)
    config_path = voice_dir / "acoustic" / "config.json"
    config = json.loads(config_path.read_text())
    config["synthesis"] = synthesis
    config_path.write_text(json.dumps(config))
    return voice_dir


def test_a_voice_brings_its_own_default_temperature(tiny_voice_dir, tiny_voice, tmp_path):
    voice = tts.load(_voice_with_synthesis_defaults(tiny_voice_dir, tmp_path, {"temperature": 0.0}), device="cpu")
    assert voice.defaults.temperature == 0.0 and tiny_voice.defaults.temperature == 0.667
    default = voice.synthesize(TEXT).samples
    assert np.array_equal(default, tiny_voice.synthesize(TEXT, temperature=0.0).samples)
    assert np.array_equal(default, voice.synthesize(TEXT, seed=5).samples)  # no noise: the seed does not matter
    assert not np.array_equal(default, tiny_voice.synthesize(TEXT).samples)
    # A call's own option wins, and streaming speaks what synthesis speaks.
    assert np.array_equal(voice.synthesize(TEXT, temperature=0.667).samples, tiny_voice.synthesize(TEXT).samples)
    streamed = np.concatenate([c.samples for c in voice.stream(TEXT, chunk_frames=8)])
    assert np.abs(streamed - default).max() < 1e-4
    with pytest.raises(TypeError, match="unknown synthesis options"):
        voice.synthesize(TEXT, temprature=0.5)


def _detail(mel: np.ndarray) -> np.ndarray:
    """Each frame's log-mel minus its 5-band moving average (edge bands repeated), band by band."""
    padded = np.pad(mel.astype(np.float64), ((2, 2), (0, 0)), mode="edge")
    average = np.stack([padded[band : band + 5].mean(axis=0) for band in range(mel.shape[0])])
    return mel - average


def test_sharpening_scales_spectral_detail_and_streams_exactly(tiny_voice_dir, tiny_voice, tmp_path):
    voice = tts.load(_voice_with_synthesis_defaults(tiny_voice_dir, tmp_path, {"sharpen": 2.0}), device="cpu")
    assert voice.defaults.sharpen == 2.0 and tiny_voice.defaults.sharpen == 1.0
    (sharp,), (plain,) = voice.mels("Hello there."), tiny_voice.mels("Hello there.")
    assert sharp.shape == plain.shape and sharp.dtype == plain.dtype
    average = plain - _detail(plain)
    assert np.allclose(sharp - average, 2.0 * _detail(plain), atol=1e-4)  # twice the detail around the same average
    assert np.array_equal(voice.mels("Hello there.", sharpen=1.0)[0], plain)
    # The vocoder hears the sharpened mel, whole, batched and streamed alike.
    default = voice.synthesize(TEXT).samples
    assert np.array_equal(default, tiny_voice.synthesize(TEXT, sharpen=2.0).samples)
    assert not np.array_equal(default, tiny_voice.synthesize(TEXT).samples)
    assert np.abs(voice.synthesize_batch([TEXT, "Hi."])[0].samples - default).max() < 1e-4
    streamed = np.concatenate([c.samples for c in voice.stream(TEXT, chunk_frames=8)])
    assert np.abs(streamed - default).max() < 1e-4
    for bad in (-0.5, 4.5, float("nan")):
        with pytest.raises(ValueError, match="sharpen must be from 0 to 4"):
            voice.synthesize("Hi.", sharpen=bad)


def test_sharpening_keeps_a_flat_spectrum_flat():
    from tts.engine.sharpening import sharpen_mel

    flat = np.tile(np.linspace(-5, 1, 40, dtype=np.float32), (3, 80, 1))  # (B, n_mels, T): equal in every band
    assert np.allclose(sharpen_mel(flat, 3.0), flat, atol=1e-5)
    peaked = flat.copy()
    peaked[:, 40] += 1.0
    assert np.isclose((sharpen_mel(peaked, 3.0) - flat)[0, 40, 0], 1.0 + 2.0 * 0.8, atol=1e-5)
    with pytest.raises(ValueError, match="odd"):
        sharpen_mel(flat, 2.0, bands=4)


@pytest.mark.parametrize(
    "synthesis, message",
    [
        ({"temperature": -0.1}, "out of range"),
        ({"steps": 1.5}, "out of range"),
        ({"temperature": "low"}, "must be a number"),
        ({"sharpen": 4.5}, "out of range"),
        ({"seed": 3}, "unknown"),
        ([0.5], "expected a mapping"),
    ],
)
def test_bad_voice_defaults_fail_at_load(tiny_voice_dir, tmp_path, synthesis, message):
    with pytest.raises(ValueError, match=message):
        tts.load(_voice_with_synthesis_defaults(tiny_voice_dir, tmp_path, synthesis), device="cpu")


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


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_each_precision_streams_what_it_synthesizes(tiny_voice_dir, dtype):
    voice = tts.load(tiny_voice_dir, device="cpu", dtype=dtype)
    assert voice.dtype == dtype and voice.runtime == "torch"
    assert all(p.dtype == torch.float32 for p in voice.acoustic.model.parameters())  # weights stay float32
    offline = voice.synthesize(TEXT).samples
    streamed = np.concatenate([c.samples for c in voice.stream(TEXT, chunk_frames=8)])
    assert np.isfinite(offline).all() and np.abs(offline).max() > 0
    assert len(streamed) == len(offline) and np.abs(streamed - offline).max() < 1e-4


def test_default_precision_is_float32_on_cpu(tiny_voice_dir):
    assert tts.load(tiny_voice_dir, device="cpu").dtype == "float32"
    assert tts.load(tiny_voice_dir, device="cpu", dtype=torch.bfloat16).dtype == "bfloat16"  # torch dtypes are accepted too
    with pytest.raises(ValueError, match="dtype"):
        tts.load(None, device="cpu", dtype="int8")


def test_an_utterance_is_checked_at_once_and_speaks_like_its_text(tiny_voice):
    utterance = tiny_voice.utterance(TEXT)
    assert [part.segment.text for part in utterance.parts] == ["Hello there.", "This is a second sentence, with a clause.", "And a third!"]
    assert np.array_equal(tiny_voice.synthesize(utterance).samples, tiny_voice.synthesize(TEXT).samples)
    streamed = np.concatenate([c.samples for c in tiny_voice.stream(utterance, chunk_frames=8)])
    assert np.abs(streamed - tiny_voice.synthesize(TEXT).samples).max() < 1e-4
    for bad in ("   ", "<speak><break time='1s'/></speak>", "<speak>unclosed"):
        with pytest.raises(ValueError):
            tiny_voice.utterance(bad)
        with pytest.raises(ValueError):
            tiny_voice.stream(bad)  # at the call, before any chunk is asked for


def test_ssml_streams_as_it_synthesizes_pauses_included(tiny_voice):
    markup = '<speak>Well... <break time="200ms"/><prosody rate="slow">Slowly now.</prosody> Done.</speak>'
    utterance = tiny_voice.utterance(markup)
    kinds = [type(part).__name__ for part in utterance.parts]
    assert kinds == ["Sentence", "Pause", "Pause", "Sentence", "Sentence"]  # the ellipsis pause, then the break
    whole = tiny_voice.synthesize(markup)
    chunks = list(tiny_voice.stream(markup, chunk_frames=8))
    streamed = np.concatenate([c.samples for c in chunks])
    assert len(streamed) == len(whole.samples) and np.abs(streamed - whole.samples).max() < 1e-4
    assert [w.text for c in chunks for w in c.words] == [w.text for w in whole.words]
    slow_part = sum(len(c.samples) for c in chunks if c.text == "Slowly now.") / whole.sample_rate
    assert slow_part > 1.1 * tiny_voice.synthesize("Slowly now.").duration  # <prosody rate="slow"> is 0.8


def test_an_utterance_of_another_voice_is_split_again(tiny_voice):
    import dataclasses

    other = dataclasses.replace(tiny_voice.utterance(TEXT), frontend=object())
    assert tiny_voice.utterance(other).frontend is tiny_voice.frontend
    assert np.array_equal(tiny_voice.synthesize(other).samples, tiny_voice.synthesize(TEXT).samples)
