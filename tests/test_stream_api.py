"""`voice.stream` is the one public path from text to audio: options are checked once per request,
whichever entry point (API, CLI, batch, server) makes it, and a pushed stream equals a whole one."""

import numpy as np
import pytest

import tts
import tts.synthesizer as synthesizer_module
from tts.cli import main as cli

SSML = '<speak>One sentence here. <prosody rate="150%">Two sentences, faster.</prosody> Three.</speak>'
PIECES = ["Sure, the table ", "is booked. Any", "thing else? ", "Goodbye."]


def _pushed(stream) -> list:
    return [chunk for piece in PIECES for chunk in stream.push(piece)] + list(stream.flush())


@pytest.fixture
def checks(monkeypatch):
    """How many times a SynthesisOptions is checked."""
    counted = []
    check = synthesizer_module.SynthesisOptions.__post_init__

    def counting(self):
        counted.append(1)
        check(self)

    monkeypatch.setattr(synthesizer_module.SynthesisOptions, "__post_init__", counting)
    return counted


@pytest.mark.parametrize(
    "call",
    [
        lambda v: v.synthesize(SSML, speed=1.2),
        lambda v: v.synthesize_batch([SSML, "Another text. And more."], batch_size=1, temperature=0.3),
        lambda v: list(v.stream(SSML, steps=2)),
        lambda v: list(v.stream(PIECES, speed=0.9, sample_rate=16000)),
        lambda v: _pushed(v.open_stream(seed=3)),
    ],
    ids=["synthesize", "batch", "stream text", "stream pieces", "open_stream"],
)
def test_options_are_checked_once_per_request(tiny_voice, checks, call):
    call(tiny_voice)
    assert len(checks) == 1


def test_the_cli_checks_options_once(tiny_voice_dir, tmp_path, checks):
    tts.load(tiny_voice_dir)
    loading = len(checks)  # the voice's own defaults, checked when it loads
    checks.clear()
    assert cli(["synth", SSML, "-o", str(tmp_path / "a.wav"), "--voice", str(tiny_voice_dir), "--speed", "1.1", "--quiet"]) == 0
    assert len(checks) == loading + 1
    lines = tmp_path / "lines.txt"
    lines.write_text("First line. Second sentence.\nAnother line.\n")
    checks.clear()
    assert cli(["synth", "--file", str(lines), "--out-dir", str(tmp_path / "out"), "--voice", str(tiny_voice_dir), "--batch-size", "1", "--quiet"]) == 0
    assert len(checks) == loading + 1


def test_bad_options_fail_at_the_call_and_prechecked_options_are_not_mixed(tiny_voice):
    with pytest.raises(ValueError, match="speed"):
        tiny_voice.open_stream(speed=float("nan"))
    with pytest.raises(ValueError, match="steps"):
        tiny_voice.stream(PIECES, steps=0)
    checked = tiny_voice.options(speed=1.5)
    with pytest.raises(TypeError, match="not both"):
        tiny_voice.synthesize("Hi.", options=checked, seed=1)
    with pytest.raises(TypeError, match="SynthesisOptions"):
        tiny_voice.synthesize("Hi.", options={"speed": 1.5})
    assert np.array_equal(tiny_voice.synthesize("Hi there.", options=checked).samples, tiny_voice.synthesize("Hi there.", speed=1.5).samples)


def test_a_pushed_stream_equals_the_stream_of_its_pieces(tiny_voice):
    whole = list(tiny_voice.stream(PIECES, sample_rate=16000, seed=5, temperature=0.5))
    stream = tiny_voice.open_stream(sample_rate=16000, seed=5, temperature=0.5)
    pushed = _pushed(stream)
    assert [c.clause_index for c in pushed] == [c.clause_index for c in whole]
    assert np.array_equal(np.concatenate([c.samples for c in pushed]), np.concatenate([c.samples for c in whole]))
    assert [w for c in pushed for w in c.words] == [w for c in whole for w in c.words]
    assert stream.pending == "" and len({c.clause_index for c in pushed}) >= 3
