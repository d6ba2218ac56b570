"""Closeness to a speaker's recordings: pitch from SwiftF0, mel-cepstral distance after DTW, and the
comparison `tts eval --reference-dir` prints and draws."""

import math

import numpy as np
import pytest
import soundfile as sf

from tts.cli import main as cli
from tts.evaluation.scorers import SCORER_RATE
from tts.evaluation.speaker import mel_cepstral_distance, pitch, pitch_summary, speaker_closeness


def voiced(f0_start: float, f0_end: float | None = None, seconds: float = 1.0, seed: int = 0) -> np.ndarray:
    """A vowel-like tone at 16 kHz: harmonics falling 6 dB an octave under a formant-like tilt, its F0
    gliding from `f0_start` to `f0_end` on a log scale, with a little noise, and silence around it."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SCORER_RATE)) / SCORER_RATE
    f0 = f0_start * (f0_end / f0_start) ** (t / seconds) if f0_end else np.full_like(t, f0_start)
    phase = 2 * np.pi * np.cumsum(f0) / SCORER_RATE
    tone = sum(np.sin(k * phase) / k * (1.5 if 4 <= k <= 8 else 1.0) for k in range(1, 30) if k * f0.max() < SCORER_RATE / 2)
    tone = 0.3 * tone / np.abs(tone).max() + 0.002 * rng.standard_normal(len(t))
    silence = np.zeros(SCORER_RATE // 4)
    return np.concatenate([silence, tone, silence]).astype(np.float32)


@pytest.mark.parametrize("f0", [85.0, 140.0, 230.0])
def test_pitch_finds_the_fundamental_not_an_octave(f0):
    contour = pitch(voiced(f0), SCORER_RATE)
    assert abs(12 * math.log2(np.median(contour.voiced) / f0)) < 0.3  # within a third of a semitone
    assert 0.55 < len(contour.voiced) / len(contour.f0) < 0.75  # 1 s voiced of 1.5 s; the silence is not


def test_pitch_summary_measures_range_in_semitones():
    # A glide over one octave: its 10th to 90th percentile spans 80% of 12 semitones.
    summary = pitch_summary([pitch(voiced(110.0, 220.0), SCORER_RATE)])
    assert summary["f0_range_st"] == pytest.approx(9.6, abs=0.8)
    assert summary["f0_median_hz"] == pytest.approx(110 * 2**0.5, rel=0.04)
    assert pitch_summary([pitch(np.zeros(SCORER_RATE, dtype=np.float32), SCORER_RATE)])["f0_median_hz"] is None


def test_mel_cepstral_distance_ignores_timing_and_level_but_not_timbre():
    tone = voiced(120.0)
    slower = np.interp(np.arange(0, len(tone), 0.8), np.arange(len(tone)), tone).astype(np.float32)  # same tone, stretched
    assert mel_cepstral_distance(tone, tone) == pytest.approx(0.0, abs=1e-6)
    quieter = mel_cepstral_distance(0.25 * tone, tone)  # c0, the level, is left out
    other = mel_cepstral_distance(voiced(240.0, seed=1), tone)
    assert quieter < 0.5 and mel_cepstral_distance(slower, tone) < 0.4 * other


def test_speaker_closeness_compares_pitch_and_refuses_unpaired_lists():
    low, high = [voiced(100.0, seed=i) for i in range(2)], [voiced(150.0, seed=i) for i in range(2)]
    closeness = speaker_closeness(high, low)
    assert closeness["f0_median_ratio"] == pytest.approx(1.5, rel=0.03) and closeness["mcd_db"] > 0
    assert speaker_closeness(low, low)["mcd_db"] == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="same non-zero number"):
        speaker_closeness(low, high[:1])


def test_cli_eval_against_recordings_prints_closeness_and_draws_it(tiny_voice_dir, tmp_path, capsys):
    sentences = tmp_path / "s.csv"
    sentences.write_text("a|Hello there.\nb|A second sentence.\n")
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    for name in ("a", "b"):
        sf.write(recordings / f"{name}.wav", voiced(120.0, 150.0, seed=ord(name)), SCORER_RATE)
    plot, out = tmp_path / "speaker.png", tmp_path / "report.json"
    arguments = ["eval", "--voice", str(tiny_voice_dir), "--sentences", str(sentences), "--no-asr", "--no-mos", "--settings", "flow_map:1"]
    assert cli([*arguments, "--reference-dir", str(recordings), "--speaker-plot", str(plot), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "F0 median Hz | F0 range st | MCD dB |" in printed
    reference_row = next(line for line in printed.splitlines() if line.startswith("| reference |"))
    assert float(reference_row.split("|")[-4]) == pytest.approx(134, rel=0.06)  # the glide's median, sqrt(120 * 150)
    assert plot.stat().st_size > 10_000 and plot.read_bytes()[:4] == b"\x89PNG"
    assert cli([*arguments, "--speaker-plot", str(plot)]) == 2
    assert "give --reference-dir too" in capsys.readouterr().err
