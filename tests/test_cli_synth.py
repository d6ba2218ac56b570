"""`tts synth`: single files, stdin, raw PCM, resumable batch runs, and one-line errors."""

import io
import sys

import numpy as np
import soundfile as sf

from tts.cli import main as cli


def test_synth_to_file_and_from_stdin(tiny_voice_dir, tmp_path, monkeypatch, capsys):
    out = tmp_path / "hello.wav"
    assert cli(["synth", "Hello there.", "--voice", str(tiny_voice_dir), "-o", str(out), "--device", "cpu"]) == 0
    samples, rate = sf.read(out)
    assert rate == 24000 and len(samples) > 2400
    monkeypatch.setattr(sys, "stdin", io.StringIO("From standard input."))
    assert cli(["synth", "--voice", str(tiny_voice_dir), "-o", str(tmp_path / "stdin.flac"), "--steps", "2", "--speed", "1.5"]) == 0
    assert sf.info(tmp_path / "stdin.flac").format == "FLAC"


def test_unset_options_are_the_voices_and_given_ones_win(tiny_voice_dir, tmp_path):
    import json
    import shutil

    voice = tmp_path / "voice"
    shutil.copytree(tiny_voice_dir, voice)
    config = json.loads((voice / "acoustic" / "config.json").read_text())
    (voice / "acoustic" / "config.json").write_text(json.dumps({**config, "synthesis": {"temperature": 0.0, "sharpen": 2.0}}))
    runs = {"default": [], "zero": ["--temperature", "0", "--sharpen", "2"], "warm": ["--temperature", "0.667"], "flat": ["--sharpen", "1"]}
    for name, options in runs.items():
        assert cli(["synth", "Hello there.", "--voice", str(voice), "-o", str(tmp_path / f"{name}.wav"), *options]) == 0
    default, zero, warm, flat = (sf.read(tmp_path / f"{name}.wav")[0] for name in runs)
    assert np.array_equal(default, zero) and not np.array_equal(default, warm) and not np.array_equal(default, flat)


def test_raw_pcm_on_stdout(tiny_voice_dir, capfdbinary):
    assert cli(["synth", "Raw output.", "--voice", str(tiny_voice_dir), "--raw", "--seed", "3"]) == 0
    pcm = np.frombuffer(capfdbinary.readouterr().out, dtype="<i2")
    assert len(pcm) > 2400 and pcm.dtype == np.int16


def test_batch_file_is_resumable(tiny_voice_dir, tmp_path, capsys):
    lines = tmp_path / "lines.txt"
    lines.write_text("intro|Hello one.\n\nA line without an id.\nthird|And a third line.\n")
    out_dir = tmp_path / "wavs"
    args = ["synth", "--voice", str(tiny_voice_dir), "--file", str(lines), "--out-dir", str(out_dir), "--batch-size", "2", "-q"]
    assert cli(args) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["3.wav", "intro.wav", "third.wav"]
    assert "3 utterance(s)" in capsys.readouterr().err
    (out_dir / "third.wav").unlink()
    assert cli(args) == 0
    summary = capsys.readouterr().err
    assert "1 utterance(s)" in summary and "2 already existed" in summary
    assert cli(args + ["--overwrite"]) == 0
    assert "3 utterance(s)" in capsys.readouterr().err


def test_errors_are_one_line(tiny_voice_dir, tmp_path, capsys):
    voice = ["--voice", str(tiny_voice_dir)]
    cases = [
        ["synth", "Hi.", "--voice", str(tmp_path / "missing"), "-o", str(tmp_path / "a.wav")],
        ["synth", *voice, "--file", str(tmp_path / "missing.txt"), "--out-dir", str(tmp_path)],
        ["synth", "   ", *voice, "-o", str(tmp_path / "a.wav")],
        ["synth", "Hi.", *voice, "-o", str(tmp_path / "no" / "such" / "dir" / "a.wav")],
        ["synth", "Hi.", *voice],
    ]
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00bad")
    cases.append(["synth", *voice, "--file", str(tmp_path / "binary.txt"), "--out-dir", str(tmp_path / "o")])
    for argv in cases:
        assert cli(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("tts: error:") and "\n" not in err and "Traceback" not in err, err


def test_list_voices(capsys):
    assert cli(["synth", "--list-voices"]) == 0
    assert capsys.readouterr().out.strip()


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "options, message",
    [
        (["--temperature", "nan"], "temperature must be from 0 to 2"),
        (["--sharpen", "-1"], "sharpen must be from 0 to 4"),
        (["--speed", "nan"], "speed must be from 0.25 to 4"),
        (["--speed", "inf"], "speed must be from 0.25 to 4"),
        (["--steps", "0"], "steps must be from 1 to 32"),
        (["--seed", "-3"], "seed must be from 0"),
    ],
)
def test_bad_options_are_refused_before_synthesis(tiny_voice_dir, tmp_path, capsys, options, message):
    out = tmp_path / "x.wav"
    assert cli(["synth", "Hello.", "--voice", str(tiny_voice_dir), "-o", str(out), *options]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1 and not out.exists()


def test_bad_outputs_and_inputs_fail_before_the_voice_loads(tiny_voice_dir, tmp_path, monkeypatch, capsys):
    import tts

    monkeypatch.setattr(tts, "load", lambda *a, **k: pytest.fail("loaded the voice before checking the input"))
    assert cli(["synth", "Hello.", "-o", str(tmp_path / "missing" / "x.wav")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert cli(["synth", "Hello.", "-o", str(tmp_path / "x.mp4")]) == 2
    assert "unsupported audio format" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bytes(range(256)) * 40)))
    assert cli(["synth", "-o", str(tmp_path / "x.wav")]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli(["synth", "--file", "x.txt", "--out-dir", str(tmp_path), "--batch-size", "0"])


def test_batch_reports_and_skips_lines_with_nothing_to_speak(tiny_voice_dir, tmp_path, capsys):
    lines = tmp_path / "lines.txt"
    lines.write_text("a|Hello there.\nb|...\nc|Good morning.\n")
    out = tmp_path / "out"
    for run in range(2):
        assert cli(["synth", "--voice", str(tiny_voice_dir), "--file", str(lines), "--out-dir", str(out), "--quiet"]) == 1
        summary = capsys.readouterr().err
        assert "1 failed" in summary and ("2 utterance(s)" if run == 0 else "2 already existed") in summary
    assert sorted(p.name for p in out.iterdir()) == ["a.wav", "c.wav"]


def test_audio_files_are_written_atomically(tmp_path, monkeypatch):
    import soundfile

    from vocoder.audio_io import save_audio

    def killed(path, *args, **kwargs):
        with open(path, "wb") as partial:
            partial.write(b"RIFF....")  # half a header, then the process dies
        raise KeyboardInterrupt

    monkeypatch.setattr(soundfile, "write", killed)
    with pytest.raises(KeyboardInterrupt):
        save_audio(tmp_path / "x.wav", np.zeros(2400, dtype=np.float32), 24000)
    assert list(tmp_path.iterdir()) == []  # neither a truncated x.wav nor the partial file is left


def test_sample_rate_option(tiny_voice_dir, tmp_path, capsys):
    out = tmp_path / "tel.wav"
    assert cli(["synth", "Hello there.", "--voice", str(tiny_voice_dir), "-o", str(out), "--sample-rate", "16000"]) == 0
    assert sf.info(out).samplerate == 16000
    assert cli(["synth", "Hello there.", "--voice", str(tiny_voice_dir), "-o", str(out), "--sample-rate", "11025"]) == 2
    assert "sample_rate must be one of" in capsys.readouterr().err
