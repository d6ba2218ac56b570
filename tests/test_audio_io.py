import numpy as np
import pytest
import soundfile as sf

from tts.audio import (
    AudioFileError,
    load_audio,
    loudness_normalize,
    peak_normalize,
    rms_dbfs,
    save_audio,
)


def _tone(rate=24000, seconds=0.5, freq=440.0):
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("suffix", ["wav", "flac"])
def test_save_then_load_roundtrip(tmp_path, suffix):
    tone = _tone()
    path = save_audio(tmp_path / f"tone.{suffix}", tone, 24000)
    samples, rate = load_audio(path)
    assert rate == 24000 and samples.dtype == np.float32
    assert np.max(np.abs(samples - tone)) < 1e-3  # 16-bit quantization


def test_load_downmixes_and_resamples(tmp_path):
    stereo = np.stack([_tone(rate=22050), _tone(rate=22050)], axis=1)
    sf.write(tmp_path / "stereo.wav", stereo, 22050)
    samples, rate = load_audio(tmp_path / "stereo.wav", sample_rate=24000)
    assert rate == 24000 and samples.ndim == 1
    assert abs(len(samples) - 12000) <= 1
    # the resampled tone keeps its pitch: the spectrum peaks at 440 Hz
    spectrum = np.abs(np.fft.rfft(samples))
    assert abs(np.argmax(spectrum) * 24000 / len(samples) - 440) < 5


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AudioFileError, match="nope.wav: no such audio file"):
        load_audio(tmp_path / "nope.wav")


def test_empty_file_is_named(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(AudioFileError, match="empty.wav: file is empty"):
        load_audio(tmp_path / "empty.wav")


def test_not_audio_is_named(tmp_path):
    (tmp_path / "notes.wav").write_text("these are not samples")
    with pytest.raises(AudioFileError, match="notes.wav: not a readable audio file"):
        load_audio(tmp_path / "notes.wav")


def test_truncated_file_is_named(tmp_path):
    path = save_audio(tmp_path / "cut.flac", _tone(), 24000)
    path.write_bytes(path.read_bytes()[:60])
    with pytest.raises(AudioFileError, match="cut.flac"):
        load_audio(path)


def test_header_without_samples_is_named(tmp_path):
    sf.write(tmp_path / "zero.wav", np.zeros(0, dtype=np.float32), 24000)
    with pytest.raises(AudioFileError, match="zero.wav: contains no audio samples"):
        load_audio(tmp_path / "zero.wav")


def test_save_rejects_unknown_format_and_missing_directory(tmp_path):
    with pytest.raises(ValueError, match="unsupported audio format"):
        save_audio(tmp_path / "x.mp3", _tone(), 24000)
    with pytest.raises(AudioFileError, match="does not exist"):
        save_audio(tmp_path / "missing" / "x.wav", _tone(), 24000)


def test_peak_normalize():
    out = peak_normalize(_tone() * 0.1, peak=0.9)
    assert np.max(np.abs(out)) == pytest.approx(0.9, rel=1e-5)
    assert np.all(peak_normalize(np.zeros(10)) == 0)


def test_loudness_normalize_hits_target_and_respects_peak_limit():
    out = loudness_normalize(_tone() * 0.01, target_dbfs=-23.0)
    assert rms_dbfs(out) == pytest.approx(-23.0, abs=0.01)
    loud = loudness_normalize(_tone(), target_dbfs=0.0, peak_limit=0.8)
    assert np.max(np.abs(loud)) <= 0.8 + 1e-6
    assert rms_dbfs(np.zeros(5)) == float("-inf")
