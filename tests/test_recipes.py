"""Every recipe config parses into its training config (a typo fails here, not hours into a run)."""

from pathlib import Path

import pytest

from tts.training.acoustic_run import load_acoustic_config
from vocoder.training.run import load_vocoder_config

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


@pytest.mark.parametrize("path", sorted(RECIPES.glob("*/vocoder*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vocoder_recipe_parses(path):
    config = load_vocoder_config(path)
    assert config.model.mel.sample_rate == 24000


ACOUSTIC = sorted([*RECIPES.glob("*/config.yaml"), *RECIPES.glob("*/gpu-*.yaml")])


@pytest.mark.parametrize("path", ACOUSTIC, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_acoustic_recipe_parses(path):
    config = load_acoustic_config(path)
    assert config.model.mel.hop_length == 256 and config.trainer.max_steps > 0


def test_every_recipe_has_an_acoustic_and_a_vocoder_config():
    for recipe in ["ljspeech", "vctk", "custom"]:
        assert (RECIPES / recipe / "config.yaml").is_file()
        assert list((RECIPES / recipe).glob("vocoder*.yaml"))


def _recipe_module(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, RECIPES / "default-voice" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_default_voice_texts_filter_and_generate():
    import random

    texts = _recipe_module("texts")
    assert texts._speakable("Kites rise against the wind, not with it.")
    for bad in ["Too short here.", "NOTE: all caps HEADERS ARE OUT.", "lowercase start is not a sentence here.", "Tabs\tand <tags> are not prose at all."]:
        assert not texts._speakable(bad), bad
    first = texts.generated_sentences(random.Random(5), 40)
    assert first == texts.generated_sentences(random.Random(5), 40)  # seeded
    assert any("$" in s for s in first) and any(s.endswith("?") for s in first) and any(c.isdigit() for s in first for c in s)
