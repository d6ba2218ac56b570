"""`tts eval`'s pieces with stand-in scorers (the real Whisper and DNSMOS are an optional extra)."""

import pytest

from tts.cli import main as cli
from tts.evaluation import run
from tts.evaluation.scorers import _require, error_rates


def test_error_rates_use_whisper_normalization():
    rates = error_rates(["It costs $4.50, Mr. Smith!", "Hello there."], ["it costs four dollars fifty mister smith", "hello there"])
    assert rates["wer"] < 40 and rates["scored"] == 2
    perfect = error_rates(["The cat sat."], ["the cat sat"])
    assert perfect["wer"] == 0 and perfect["cer"] == 0
    assert error_rates(["the cat sat down"], ["the cat down"])["wer"] == pytest.approx(25.0)


def test_evaluate_voice_table_and_references(tiny_voice, tmp_path):
    sentences = [("a", "Hello there."), ("b", "A second test sentence.")]
    heard = []

    def transcriber(samples):
        heard.append(len(samples))
        return "hello there" if len(heard) % 2 else "a second test"

    quality = lambda samples: {"ovrl": 3.0, "sig": 3.5, "bak": 4.0, "p808": 3.2}  # noqa: E731
    results = run.evaluate_voice(tiny_voice, sentences, transcriber, quality, settings=[("flow_map", 1), ("euler", 4)])
    assert [r.label for r in results] == ["flow map 1", "Euler 4"]
    assert all(r.wer == pytest.approx(100 / 6) and r.dnsmos_ovrl == 3.0 and r.rtf > 0 for r in results)
    for utterance_id, text in sentences:
        tiny_voice.synthesize(text).save(tmp_path / f"{utterance_id}.wav")
    reference = run.evaluate_references(tmp_path, sentences, None, quality)
    table = run.format_table(results, reference)
    assert "| reference |" in table and "| flow map 1 |" in table and "| Euler 4 |" in table
    with pytest.raises(FileNotFoundError, match="reference recording missing"):
        run.evaluate_references(tmp_path / "none", sentences)


def test_evaluate_voice_times_every_setting_before_any_scorer_runs(tiny_voice, monkeypatch):
    events = []
    synthesize = tiny_voice.synthesize
    monkeypatch.setattr(tiny_voice, "synthesize", lambda text, **options: events.append("synthesize") or synthesize(text, **options))
    transcriber = lambda samples: events.append("transcribe") or "hello"  # noqa: E731
    run.evaluate_voice(tiny_voice, [("a", "Hello.")], transcriber, None, settings=[("flow_map", 1), ("flow_map", 2)])
    assert events == ["synthesize", "synthesize", "transcribe", "transcribe"]


def test_read_sentences(tmp_path):
    path = tmp_path / "test.csv"
    path.write_text("x1|First.\n\nx2|Second|second normalized.\n")
    assert run.read_sentences(path) == [("x1", "First."), ("x2", "second normalized.")]
    assert run.read_sentences(path, limit=1) == [("x1", "First.")]
    path.write_text("no separator\n")
    with pytest.raises(ValueError, match="id\\|text"):
        run.read_sentences(path)


def test_missing_extra_says_what_to_install():
    with pytest.raises(ImportError, match=r"flowmap-tts\[eval\]"):
        _require("no_such_scorer_module")


def test_cli_eval_without_scorers(tiny_voice_dir, tmp_path, capsys):
    sentences = tmp_path / "s.csv"
    sentences.write_text("a|Hello there.\n")
    assert cli(["eval", "--voice", str(tiny_voice_dir), "--sentences", str(sentences)]) == 2
    assert "--asr-model" in capsys.readouterr().err
    out = tmp_path / "report.json"
    assert cli(["eval", "--voice", str(tiny_voice_dir), "--sentences", str(sentences), "--no-asr", "--no-mos", "--settings", "flow_map:1", "--out", str(out)]) == 0
    assert "| flow map 1 |" in capsys.readouterr().out and out.is_file()


def test_first_audio_sentences_prefer_ten_to_twenty_words():
    short, agent = ("a", "Hi."), ("b", " ".join(["word"] * 12))
    assert run.first_audio_sentences([short, agent, short, agent]) == [agent[1], agent[1]]
    assert run.first_audio_sentences([agent] * 30, limit=5) == [agent[1]] * 5
    assert run.first_audio_sentences([short]) == [short[1]]


def test_time_to_first_audio_starts_each_measurement_with_cold_phonemes(tiny_voice, monkeypatch):
    phonemize = tiny_voice.frontend.phonemizer._phonemize
    calls = []
    monkeypatch.setattr(tiny_voice.frontend.phonemizer, "_phonemize", lambda s: calls.append(s) or phonemize(s))
    result = run.time_to_first_audio(tiny_voice, ["One sentence here.", "And another one."], repeats=2)
    assert result["measurements"] == 4 and 0 < result["median_ms"] <= result["p90_ms"]
    assert calls[1:] == [["One sentence here."], ["And another one."]] * 2  # espeak ran for every measurement


def test_quality_vs_steps_plot(tmp_path):
    from tts.evaluation.plot import plot_quality_vs_steps

    results = [
        run.SettingResult("flow_map", 1, wer=9.0, dnsmos_ovrl=3.0),
        run.SettingResult("flow_map", 2, wer=8.0, dnsmos_ovrl=3.1),
        run.SettingResult("euler", 4, wer=20.0, dnsmos_ovrl=2.5),
        run.SettingResult("euler", 32, wer=8.5, dnsmos_ovrl=3.1),
    ]
    path = plot_quality_vs_steps(results, {"wer": 7.0, "dnsmos_ovrl": 3.3}, tmp_path / "plots" / "steps.png", title="t")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="nothing to plot"):
        plot_quality_vs_steps([run.SettingResult("flow_map", 1)], None, tmp_path / "empty.png")
