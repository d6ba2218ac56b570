"""Every recipe config parses into its training config (a typo fails here, not hours into a run)."""

from pathlib import Path

import pytest

from vocoder.training.run import load_vocoder_config

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


@pytest.mark.parametrize("path", sorted(RECIPES.glob("*/vocoder*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_vocoder_recipe_parses(path):
    config = load_vocoder_config(path)
    assert config.model.mel.sample_rate == 24000
