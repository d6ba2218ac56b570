"""Feature packs (train where the audio is not) and fine-tuning from an exported model."""

import builtins

import numpy as np
import pytest
import torch
from test_acoustic_training import make_dataset

from tts.cli import main as cli
from tts.data.feature_pack import FeaturePack, _planar_residual, _undo_planar_residual
from tts.data.features import FeatureCache
from tts.model import AcousticModel
from tts.training.data import AcousticDataModule
from tts.training.run import load_acoustic_config, train_acoustic


def _packed(tmp_path, parts):
    config_path = make_dataset(tmp_path)
    assert cli(["pack-features", str(config_path), str(tmp_path / "set.pack"), "--parts", str(parts)]) == 0
    return config_path, sorted(tmp_path.glob("set*.pack"))


def test_planar_residual_round_trips():
    levels = np.random.default_rng(0).integers(0, 256, (100, 37)).astype(np.int16)
    residual = (_planar_residual(levels) % 256).astype(np.uint8)
    assert np.array_equal(_undo_planar_residual(residual), levels)


def test_packs_hold_the_cache_to_within_half_a_step(tmp_path):
    config_path, paths = _packed(tmp_path, parts=3)
    assert [p.name for p in paths] == ["set.1-of-3.pack", "set.2-of-3.pack", "set.3-of-3.pack"]
    config = load_acoustic_config(config_path)
    from text import TextFrontend

    reference = AcousticDataModule(config.data, config.model.mel, TextFrontend(), tmp_path / "run" / "features", progress=False)
    reference.prepare()
    pack = FeaturePack(list(reversed(paths)))  # any order of parts gives the packing order back
    assert [item.id for item in pack.items] == [item.id for item in reference.items]
    mel_range = max(float(FeatureCache.load(i)[0].max()) for i in reference.items) - min(float(FeatureCache.load(i)[0].min()) for i in reference.items)
    for original, packed in zip(reference.items, pack.items):
        mel, ids = FeatureCache.load(original)
        packed_mel, packed_ids = pack.load(packed)
        assert torch.equal(ids, packed_ids) and packed.frames == original.frames
        # float16 cache values round to the grid: within half a step plus float16's own rounding
        assert (packed_mel - mel).abs().max() <= mel_range / 255 / 2 + 1e-2
    assert pack.statistics(pack.items) == pytest.approx(reference.cache.statistics(reference.items))
    assert pack.frontend_config == TextFrontend().config()
    with pytest.raises(ValueError, match="twice"):
        FeaturePack([paths[0], paths[0]])


def test_training_from_packs_needs_no_audio_and_no_espeak(tmp_path, monkeypatch):
    config_path, paths = _packed(tmp_path, parts=2)
    for wav in (tmp_path / "wavs").glob("*.wav"):
        wav.unlink()
    real_import = builtins.__import__

    def no_frontend(name, *args, **kwargs):
        # The frontend and espeak-ng stay unused (the vocoder layer below the model is a dependency).
        if name == "text" or name.startswith(("text.", "phonemizer", "espeakng_loader")):
            raise ImportError(f"{name} is not installed on this machine")
        return real_import(name, *args, **kwargs)

    overrides = {"data": {"feature_packs": [str(p) for p in paths]}, "trainer": {"out_dir": str(tmp_path / "gpu"), "validation_samples": 0, "validate_every": 2}}
    config = load_acoustic_config(config_path, overrides)
    monkeypatch.setattr(builtins, "__import__", no_frontend)
    export = train_acoustic(config, progress=False)
    monkeypatch.undo()
    model = AcousticModel.load(export)
    from text import TextFrontend

    frontend = TextFrontend().config()  # what the voice keeps of it: symbols, language, espeak-ng version
    assert model.extra["frontend"] == {key: frontend[key] for key in ("symbols", "language", "espeak_version")}
    assert model.config.n_vocab == len(TextFrontend().symbols)
    assert not (tmp_path / "gpu" / "samples").exists()
    assert "val/mel_l1_1step" in (tmp_path / "gpu" / "logs" / "version_0" / "metrics.csv").read_text()


def test_packs_from_other_mel_settings_are_refused(tmp_path):
    config_path, paths = _packed(tmp_path, parts=1)
    config = load_acoustic_config(config_path, {"data": {"feature_packs": [str(paths[0])]}, "model": {"mel": {"n_mels": 80}}})
    with pytest.raises(ValueError, match="mel settings"):
        train_acoustic(config, progress=False)


def test_init_from_starts_at_the_exported_weights(tmp_path):
    config_path = make_dataset(tmp_path)
    first = AcousticModel.load(train_acoustic(load_acoustic_config(config_path, {"trainer": {"max_steps": 2}}), progress=False))
    overrides = {"trainer": {"out_dir": str(tmp_path / "finetune"), "max_steps": 1}, "optim": {"learning_rate": 1e-12, "warmup_steps": 0}}
    tuned = AcousticModel.load(train_acoustic(load_acoustic_config(config_path, overrides), progress=False, init_from=tmp_path / "run" / "export"))
    assert tuned.config == first.config
    assert tuned.extra["training"]["steps"] == 2 + 1 and "steps_before" not in tuned.extra  # counted through
    for name, value in first.state_dict().items():
        torch.testing.assert_close(tuned.state_dict()[name], value, rtol=1e-4, atol=1e-6)
    other = load_acoustic_config(config_path, {"trainer": {"out_dir": str(tmp_path / "other")}, "model": {"decoder": {"layers": 3}}})
    with pytest.raises(ValueError, match="decoder"):
        train_acoustic(other, progress=False, init_from=tmp_path / "run" / "export")
