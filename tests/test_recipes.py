"""Every recipe config parses into its training config (a typo fails here, not hours into a run)."""

from pathlib import Path

import pytest

from tts.training.run import load_acoustic_config
from vocoder.training.run import load_vocoder_config

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


def _recipe_id(path):
    return str(path.relative_to(RECIPES))


# A recipe's experiments (`<recipe>/experiments/`, configs its run.sh does not use) must parse too.
VOCODER = sorted([*RECIPES.glob("*/vocoder*.yaml"), *RECIPES.glob("*/experiments/vocoder*.yaml")])


@pytest.mark.parametrize("path", VOCODER, ids=_recipe_id)
def test_vocoder_recipe_parses(path):
    config = load_vocoder_config(path)
    assert config.model.mel.sample_rate == 24000


# Every other config is an acoustic one (config.yaml, fine-tunes, distillations, post-training).
ACOUSTIC = sorted(p for p in [*RECIPES.glob("*/*.yaml"), *RECIPES.glob("*/experiments/*.yaml")] if not p.name.startswith("vocoder"))


@pytest.mark.parametrize("path", ACOUSTIC, ids=_recipe_id)
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


def test_voice_agent_texts_are_seeded_speakable_and_never_held_out():
    import sys
    import warnings

    from text import TextFrontend

    sys.path.insert(0, str(RECIPES / "default-voice"))
    try:
        agent = _recipe_module("agent_texts")
    finally:
        sys.path.pop(0)
    texts = _recipe_module("texts")
    sentences = agent.agent_sentences(7, 600)
    assert sentences == agent.agent_sentences(7, 600) and len(set(sentences)) == 600
    assert any("?" in s for s in sentences) and any("$" in s for s in sentences) and any(":" in s for s in sentences)
    held_out = [line for line in (RECIPES / "default-voice" / "agent-test.txt").read_text().splitlines() if line.strip()]
    assert len(held_out) >= 100 and len(set(held_out)) == len(held_out)
    keys = {texts._key(s) for s in held_out}
    assert texts._key("Sure, I can help you with that!") in keys  # case and punctuation do not hide a match
    frontend = TextFrontend()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a dropped character or unknown symbol is a template bug
        for sentence in sentences[::6]:
            spoken = texts.spoken_text(frontend, sentence)
            assert spoken and not any(c.isdigit() or c in "$%" for c in spoken), (sentence, spoken)
