"""A voice file can neither deny service nor quietly produce garbage: each malformed voice is one
ValueError naming its file, on both engines, before any synthesis."""

import json
import shutil

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

import tts
from tts.cli import main as cli


@pytest.fixture(scope="module")
def graph_voice(tiny_voice_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("voice-files") / "voice"
    shutil.copytree(tiny_voice_dir, directory)
    assert cli(["export-graphs", str(directory)]) == 0
    return directory


@pytest.fixture
def voice(graph_voice, tmp_path):
    directory = tmp_path / "voice"
    shutil.copytree(graph_voice, directory)
    return directory


def _edit_config(path, edit):
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))


def _edit_weights(path, edit):
    weights = load_file(str(path))
    edit(weights)
    save_file(weights, str(path))


BACKENDS = ["onnx", "torch"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "synthesis, message",
    [({"steps": 1e9}, "steps must be"), ({"speed": 1e-9}, "speed must be"), ({"temperature": float("nan")}, "temperature must be")],
)
def test_synthesis_defaults_out_of_range_are_refused(voice, backend, synthesis, message):
    _edit_config(voice / "acoustic" / "config.json", lambda data: data.update(synthesis=synthesis))
    with pytest.raises(ValueError, match=message) as error:
        tts.load(voice, backend=backend)
    assert str(voice / "acoustic" / "config.json") in str(error.value)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda data: data["model"]["decoder"].update(layers=0), "layers must be >= 1"),
        (lambda data: data["model"].update(mel_std=float("nan")), "must be finite"),
        (lambda data: data["model"]["encoder"].update(dropout=1.5), "dropout must be in"),
        (lambda data: data["model"].update(n_vocab=3), "n_vocab 3 does not match"),
        (lambda data: data.update(version=99), "newer flowmap-tts"),
        (lambda data: data.update(extras={"x": 1}), r"unknown key\(s\) \['extras'\]"),
        (lambda data: data["frontend"].update(symbols="abc"), "frontend.symbols: expected a list"),
    ],
)
def test_bad_architecture_values_name_the_file(voice, backend, edit, message):
    _edit_config(voice / "acoustic" / "config.json", edit)
    with pytest.raises(ValueError, match=message) as error:
        tts.load(voice, backend=backend)
    assert str(voice / "acoustic" / "config.json") in str(error.value)


def _first(weights):
    return next(name for name in sorted(weights) if name.startswith("decoder."))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda w: w.update({k: np.round(v).astype(np.int32) for k, v in w.items()}), "is int32; an export's weights are floating point"),
        (lambda w: w[_first(w)].__setitem__(..., np.nan), "holds NaN or infinite values"),
        (lambda w: w.pop(_first(w)), "fit"),
        (lambda w: w.update({_first(w): np.zeros((3, 3), dtype=np.float16)}), "fit"),
    ],
)
def test_bad_weights_name_the_file(voice, backend, edit, message):
    _edit_weights(voice / "acoustic" / "model.safetensors", edit)
    with pytest.raises(ValueError, match=message) as error:
        tts.load(voice, backend=backend)
    assert str(voice / "acoustic") in str(error.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_truncated_weights_name_the_file(voice, backend):
    path = voice / "vocoder" / "model.safetensors"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="not a readable safetensors file") as error:
        tts.load(voice, backend=backend)
    assert str(path) in str(error.value)


def test_the_cli_reports_a_bad_voice_in_one_line(voice, tmp_path, capsys):
    _edit_config(voice / "acoustic" / "config.json", lambda data: data.update(synthesis={"steps": 1e9}))
    assert cli(["synth", "Hi.", "--voice", str(voice), "-o", str(tmp_path / "x.wav")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "config.json" in error and not (tmp_path / "x.wav").exists()


def test_the_typed_config_round_trips_and_stores_each_value_once(voice):
    from tts.model.voice_config import VERSION, VoiceConfig

    config = VoiceConfig.read(voice / "acoustic")
    assert config.version == VERSION and config.model.n_vocab == len(config.frontend.symbols)
    data = config.to_data()
    assert "n_vocab" not in data["model"]  # the symbol table's length is the vocabulary
    assert VoiceConfig.from_data(data) == config
    legacy = {**data, "model": {**data["model"], "n_vocab": len(config.frontend.symbols)}}
    legacy.pop("version")
    assert VoiceConfig.from_data(legacy) == config  # older files (n_vocab stored, no version) still load
    # Older files' unread frontend keys (the phonemizer's name, a sentence length limit) load and are
    # dropped; new files do not write them; any other unknown frontend key is still refused.
    older = {**legacy, "frontend": {**data["frontend"], "phonemizer": "espeak-ng", "max_chars": 400}}
    assert VoiceConfig.from_data(older) == config
    assert not {"phonemizer", "max_chars"} & set(data["frontend"])
    with pytest.raises(ValueError, match="frontend"):
        VoiceConfig.from_data({**data, "frontend": {**data["frontend"], "max_words": 40}})
