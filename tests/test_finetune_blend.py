"""A fine-tuned acoustic export blended back toward its base (tts.finetune_blend): the weights land where
asked, the voice still loads and speaks, and what cannot be blended is refused."""

import dataclasses
import json
import shutil

import numpy as np
import pytest
import torch

import tts
from tts.cli import main as cli
from tts.finetune_blend import blend_toward_base
from tts.model import AcousticModel
from tts.model.config import DecoderConfig


def _tuned_copy(tiny_voice_dir, tmp_path):
    """A copy of the tiny voice whose acoustic weights all moved by seeded noise (a stand-in fine-tune)."""
    voice = tmp_path / "tuned"
    shutil.copytree(tiny_voice_dir, voice)
    model = AcousticModel.load(voice / "acoustic")
    torch.manual_seed(1)
    with torch.no_grad():
        for weight in model.parameters():
            weight.add_(0.05 * torch.randn_like(weight))
    model.save(voice / "acoustic")
    return voice


def test_each_weight_moves_that_share_of_the_way_and_the_voice_speaks(tiny_voice_dir, tmp_path):
    voice = _tuned_copy(tiny_voice_dir, tmp_path)
    base = AcousticModel.load(tiny_voice_dir / "acoustic").state_dict()
    tuned = AcousticModel.load(voice / "acoustic").state_dict()

    blend_toward_base(voice / "acoustic", tiny_voice_dir / "acoustic", 0.25, torch.float32)

    blended = AcousticModel.load(voice / "acoustic").state_dict()
    moved = [name for name in base if not torch.equal(base[name], tuned[name])]
    assert len(moved) > 10
    for name in moved:
        torch.testing.assert_close(blended[name], base[name] + 0.25 * (tuned[name] - base[name]))
    record = json.loads((voice / "acoustic" / "config.json").read_text())["training"]["base_blend"]
    assert record == {"base": str(tiny_voice_dir / "acoustic"), "strength": 0.25}
    samples = np.asarray(tts.load(voice, device="cpu").synthesize("Half way home.").samples)
    assert samples.size > 0 and np.all(np.isfinite(samples))


def test_float16_export_by_default(tiny_voice_dir, tmp_path):
    voice = _tuned_copy(tiny_voice_dir, tmp_path)
    base = AcousticModel.load(tiny_voice_dir / "acoustic").state_dict()
    tuned = AcousticModel.load(voice / "acoustic").state_dict()
    blend_toward_base(voice / "acoustic", tiny_voice_dir / "acoustic", 0.5)
    from safetensors.torch import load_file

    stored = load_file(voice / "acoustic" / "model.safetensors")
    for name, weight in stored.items():
        assert weight.dtype == torch.float16, name
        expected = (base[name] + 0.5 * (tuned[name] - base[name])).half()
        torch.testing.assert_close(weight, expected, rtol=0, atol=0)


def test_the_help_names_the_default_strength(capsys):
    from tts.finetune import FINETUNE_STRENGTH

    with pytest.raises(SystemExit):
        cli(["finetune", "--help"])
    assert f"default {FINETUNE_STRENGTH:g}" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("strength", [0, -0.5, 1.5])
def test_a_strength_outside_the_line_is_refused(tiny_voice_dir, tmp_path, strength):
    voice = _tuned_copy(tiny_voice_dir, tmp_path)
    before = (voice / "acoustic" / "model.safetensors").read_bytes()
    with pytest.raises(ValueError, match=r"strength must be in \(0, 1\]"):
        blend_toward_base(voice / "acoustic", tiny_voice_dir / "acoustic", strength)
    assert (voice / "acoustic" / "model.safetensors").read_bytes() == before


def test_another_architecture_is_refused(tiny_voice_dir, tmp_path):
    voice = _tuned_copy(tiny_voice_dir, tmp_path)
    model = AcousticModel.load(voice / "acoustic")
    wider = AcousticModel(dataclasses.replace(model.config, decoder=DecoderConfig(dim=48, intermediate_dim=64, layers=2)))
    wider.extra = model.extra
    wider.save(tmp_path / "other")
    with pytest.raises(ValueError, match="different architectures"):
        blend_toward_base(voice / "acoustic", tmp_path / "other", 0.5)


def test_the_command_refuses_a_bad_strength_before_any_work(tmp_path, capsys):
    recordings = tmp_path / "empty"
    recordings.mkdir()
    assert cli(["finetune", str(recordings), str(tmp_path / "out"), "--strength", "0"]) == 2
    assert "strength must be in (0, 1]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
