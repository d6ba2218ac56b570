"""The acoustic training pipeline on tiny generated data: cache, skips, train, resume, export, CLI."""

import numpy as np
import pytest
import soundfile as sf
import torch

from text import TextFrontend
from training.metadata import SkipReport, read_metadata
from tts.cli import main as cli
from tts.data.batching import LengthBucketSampler
from tts.data.features import FeatureCache
from tts.engine.torch_engine import TorchAcoustic
from tts.model import AcousticModel
from tts.training.module import check_distributed
from tts.training.run import export_acoustic, load_acoustic_config, train_acoustic

TEXTS = ["hello world", "the cat sat down", "a quick test", "good morning", "see you soon", "one two three", "blue sky", "open the door"]

TINY = """\
model:
  encoder: {{channels: 32, filter_channels: 64, heads: 2, layers: 1, prenet_layers: 1}}
  duration: {{filter_channels: 32}}
  decoder: {{dim: 32, intermediate_dim: 64, layers: 2}}
  segment_frames: 64
data: {{metadata: {root}/metadata.csv, format: {format}, validation_items: 2, batch_size: 3, max_seconds: 3.0}}
flow: {flow}
optim: {{learning_rate: 0.003, warmup_steps: 2}}
trainer: {{out_dir: {root}/run, max_steps: 4, checkpoint_every: 2, validate_every: 4, accelerator: cpu, devices: 1,
          log_every: 1, validation_samples: 1}}
"""


def _speech_like(seconds, f0):
    t = np.arange(int(24000 * seconds)) / 24000
    wave = sum(0.3 / k * np.sin(2 * np.pi * f0 * k * t) for k in range(1, 6))
    return (0.4 * wave * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


def make_dataset(root, multispeaker=False, flow="{}"):
    (root / "wavs").mkdir(parents=True)
    rows = []
    for i, text in enumerate(TEXTS):
        sf.write(root / "wavs" / f"u{i}.wav", _speech_like(0.6 + 0.04 * len(text), 100 + 10 * i), 24000)
        rows.append(f"u{i}|spk{i % 2}|{text}" if multispeaker else f"u{i}|{text}")
    sf.write(root / "wavs" / "short.wav", _speech_like(0.1, 100), 24000)
    sf.write(root / "wavs" / "long.wav", _speech_like(3.5, 100), 24000)
    (root / "wavs" / "broken.wav").write_bytes(b"RIFF not really")
    extra = ["missing|{s}no audio", "u0|{s}", "u1|{s}said twice", "short|{s}too short", "long|{s}far too long", "broken|{s}broken file"]
    rows += [row.format(s="spk0|" if multispeaker else "") for row in extra]
    (root / "metadata.csv").write_text("\n".join(rows) + "\n")
    config = root / "config.yaml"
    config.write_text(TINY.format(root=root, format="multispeaker" if multispeaker else "ljspeech", flow=flow))
    return config


def test_train_reports_skips_and_export_loads(tmp_path, capsys):
    # Validating at step 2 loads the sample vocoder before the step-4 checkpoint is written.
    config = load_acoustic_config(make_dataset(tmp_path), {"trainer": {"validate_every": 2}})
    export = train_acoustic(config, progress=False)
    report = capsys.readouterr().out
    for reason in ["missing audio file", "empty text", "duplicate id", "shorter than 0.5 s", "longer than 3.0 s", "unreadable audio"]:
        assert reason in report
    checkpoint = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert checkpoint["global_step"] == 4
    assert not [k for k in checkpoint["state_dict"] if "vocoder" in k]  # the sample vocoder is not part of the model
    loaded = AcousticModel.load(export)
    assert loaded.extra["frontend"]["espeak_version"] == TextFrontend().espeak_version
    assert loaded.config.n_vocab == len(TextFrontend().symbols)
    # The export holds the EMA weights, exactly.
    ema = {k[len("ema.module.") :]: v for k, v in checkpoint["state_dict"].items() if k.startswith("ema.module.")}
    reference = AcousticModel(loaded.config)
    reference.load_state_dict(ema)
    ids = [TextFrontend()("hello there")[0].ids]
    assert np.array_equal(TorchAcoustic(reference).synthesize(ids, steps=2, seed=0)[0], TorchAcoustic(loaded).synthesize(ids, steps=2, seed=0)[0])
    assert sorted(p.name for p in (tmp_path / "run" / "samples").glob("*.wav"))  # validation audio was written
    metrics = (tmp_path / "run" / "logs" / "version_0" / "metrics.csv").read_text()
    assert "val/mel_l1_1step" in metrics and "train/boundary" in metrics


def test_killed_run_resumes_from_its_checkpoint(tmp_path, monkeypatch):
    from tts.training.module import AcousticLightning

    config = load_acoustic_config(make_dataset(tmp_path), {"trainer": {"max_steps": 8}})
    original = AcousticLightning.training_step

    def dies_at_step_five(self, batch, batch_idx):
        if self.global_step == 5:
            raise RuntimeError("killed")
        return original(self, batch, batch_idx)

    monkeypatch.setattr(AcousticLightning, "training_step", dies_at_step_five)
    with pytest.raises(RuntimeError, match="killed"):
        train_acoustic(config, progress=False)
    checkpoint = tmp_path / "run" / "checkpoints" / "last.ckpt"
    saved = torch.load(checkpoint, weights_only=True)
    assert saved["global_step"] == 4
    saved["state_dict"]["_vocoder.head.out.weight"] = torch.zeros(2)  # as older runs saved the sample vocoder
    torch.save(saved, checkpoint)
    monkeypatch.setattr(AcousticLightning, "training_step", original)
    with pytest.raises(FileExistsError, match="--resume"):
        train_acoustic(config, progress=False)

    steps_seen = []

    def recording(self, batch, i):
        steps_seen.append((self.global_step, self.current_epoch, self.trainer.train_dataloader.batch_sampler.epoch))
        return original(self, batch, i)

    monkeypatch.setattr(AcousticLightning, "training_step", recording)
    train_acoustic(config, resume=True, progress=False)
    # Continued from the checkpoint, not from 0, two batches an epoch; and the batch sampler is told each
    # epoch (Lightning tells only a loader's samplers), so each epoch is batched afresh.
    assert steps_seen == [(4, 2, 2), (5, 2, 2), (6, 3, 3), (7, 3, 3)]
    assert torch.load(checkpoint, weights_only=True)["global_step"] == 8


def test_two_stage_distillation_fills_the_teacher(tmp_path):
    flow = "{schedule: two_stage, distill_start_step: 2, objective: {method: splitmeanflow}}"
    config = load_acoustic_config(make_dataset(tmp_path, flow=flow))
    train_acoustic(config, progress=False)
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)["state_dict"]
    assert bool(state["teacher_ready"])
    assert any(k.startswith("teacher.") for k in state)


def test_a_fine_tune_holds_its_frozen_parts_still(tmp_path):
    make_dataset(tmp_path)
    first = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", {"trainer": {"max_steps": 2}}), progress=False)
    frozen = {"optim": {"frozen": ["encoder", "duration_predictor"]}, "trainer": {"max_steps": 2, "out_dir": str(tmp_path / "tuned")}}
    tuned = train_acoustic(load_acoustic_config(tmp_path / "config.yaml", frozen), progress=False, init_from=first)
    before, after = AcousticModel.load(first).state_dict(), AcousticModel.load(tuned).state_dict()
    held = [k for k in before if k.startswith(("encoder.", "duration_predictor."))]
    # Held still up to the EMA's float rounding (decay * w + (1 - decay) * w); the decoder learned.
    assert held and all(torch.allclose(before[k], after[k], rtol=1e-5, atol=1e-7) for k in held)
    assert max(float((before[k] - after[k]).abs().max()) for k in before if k.startswith("decoder.")) > 1e-4

    unknown = {"optim": {"frozen": ["vocoder"]}, "trainer": {"max_steps": 1, "out_dir": str(tmp_path / "bad")}}
    with pytest.raises(ValueError, match="no part named vocoder"):
        train_acoustic(load_acoustic_config(tmp_path / "config.yaml", unknown), progress=False, init_from=first)


def test_lr_scales_give_a_grown_layer_its_own_learning_rate(tmp_path):
    from model_files.typed_config import to_dict
    from tts.training.module import AcousticLightning

    settings = {"model": {"n_vocab": 40, "prosody": {"enabled": True}}, "optim": {"learning_rate": 1e-4, "lr_scales": {"decoder.prosody": 30, "decoder": 2}}}
    config = load_acoustic_config(make_dataset(tmp_path), settings)
    module = AcousticLightning(to_dict(config), {})
    groups = module.configure_optimizers()["optimizer"].param_groups
    names = {id(p): n for n, p in module.model.named_parameters()}
    by_lr = {round(g["initial_lr"], 9): sorted(names[id(p)] for p in g["params"]) for g in groups}
    # The longest prefix wins: the prosody input at 30x, the rest of the decoder at 2x, all else at 1x.
    assert by_lr[3e-3] == ["decoder.prosody.bias", "decoder.prosody.weight"]
    assert by_lr[2e-4] and all(n.startswith("decoder.") for n in by_lr[2e-4])
    assert by_lr[1e-4] and not any(n.startswith("decoder.") for n in by_lr[1e-4])
    assert sum(len(v) for v in by_lr.values()) == len(names)

    unknown = load_acoustic_config(tmp_path / "config.yaml", {"model": {"n_vocab": 40}, "optim": {"lr_scales": {"decoder.pitch": 10}}})
    with pytest.raises(ValueError, match="no parameter under decoder.pitch"):
        AcousticLightning(to_dict(unknown), {}).configure_optimizers()
    with pytest.raises(ValueError, match="must be positive"):
        load_acoustic_config(tmp_path / "config.yaml", {"optim": {"lr_scales": {"decoder": 0}}})


def test_multispeaker_dataset_trains_a_speaker_embedding(tmp_path):
    config = load_acoustic_config(make_dataset(tmp_path, multispeaker=True), {"trainer": {"max_steps": 1}})
    model = AcousticModel.load(train_acoustic(config, progress=False))
    assert model.config.n_speakers == 2 and model.extra["speakers"] == ["spk0", "spk1"]


def test_feature_cache_rebuilds_on_changes(tmp_path):
    make_dataset(tmp_path)
    utterances, _ = read_metadata(tmp_path)
    frontend = TextFrontend()
    cache = FeatureCache(tmp_path / "cache", __import__("vocoder.features", fromlist=["MelConfig"]).MelConfig(), frontend, 0.5, 3.0)
    items = cache.build(utterances, SkipReport(), progress=False)
    first = {item.id: item.path.stat().st_mtime_ns for item in items}
    assert len(items) == len(TEXTS)
    again = cache.build(utterances, SkipReport(), progress=False)
    assert {item.id: item.path.stat().st_mtime_ns for item in again} == first  # nothing recomputed
    sf.write(tmp_path / "wavs" / "u3.wav", _speech_like(1.5, 200), 24000)
    changed = {item.id: item for item in cache.build(utterances, SkipReport(), progress=False)}
    assert changed["u3"].frames > next(i for i in items if i.id == "u3").frames  # the new recording
    mel, ids = FeatureCache.load(changed["u3"])
    assert mel.shape == (100, changed["u3"].frames) and ids[0] == frontend.symbols.id("^")
    stricter = FeatureCache(tmp_path / "cache", cache.mel, frontend, 0.5, 1.0)
    report = SkipReport()
    assert len(stricter.build(utterances, report, progress=False)) < len(items)
    assert report.counts["longer than 1.0 s"] > 0


def test_length_bucket_sampler():
    lengths = [int(x) for x in np.random.default_rng(0).integers(10, 500, 103)]
    sampler = LengthBucketSampler(lengths, batch_size=8, pool_batches=4, seed=1)
    batches = list(sampler)
    assert sorted(i for b in batches for i in b) == list(range(103)) and len(batches) == len(sampler)
    assert batches == list(LengthBucketSampler(lengths, batch_size=8, pool_batches=4, seed=1))
    sampler.set_epoch(1)
    assert list(sampler) != batches
    # A resumed epoch skips what it already trained on, once.
    epoch_one = list(sampler)
    sampler.skip_next(5)
    assert list(sampler) == epoch_one[5:] and list(sampler) == epoch_one and len(sampler) == len(epoch_one)
    spread = np.mean([max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches])
    assert spread < 150  # random batches of 8 from 10..500 spread by about 380
    shards = [list(LengthBucketSampler(lengths, 8, 4, seed=1, num_replicas=2, rank=r)) for r in (0, 1)]
    assert len(shards[0]) == len(shards[1])
    assert not {i for b in shards[0] for i in b} & {i for b in shards[1] for i in b}


def test_jvp_objective_is_refused_under_ddp():
    check_distributed("meanflow", 1)
    check_distributed("splitmeanflow", 8)
    with pytest.raises(ValueError, match="splitmeanflow"):
        check_distributed("meanflow", 2)


def test_cli_train_and_export(tmp_path):
    config = make_dataset(tmp_path)
    assert cli(["train", str(config), "--max-steps", "1"]) == 0
    checkpoint = str(tmp_path / "run" / "checkpoints" / "last.ckpt")
    assert cli(["export", checkpoint, str(tmp_path / "half"), "--fp16", "--temperature", "0"]) == 0
    half = AcousticModel.load(tmp_path / "half")
    assert half.config.n_vocab > 0 and half.extra["synthesis"] == {"temperature": 0.0}
    # Every export gets the ONNX graphs the CPU runtime needs, so it speaks without torch.
    assert all((tmp_path / "half" / f"{name}.onnx").is_file() for name in ("encoder", "duration", "decoder"))
    assert all((tmp_path / "run" / "export" / f"{name}.onnx").is_file() for name in ("encoder", "duration", "decoder"))
    assert cli(["export", checkpoint, str(tmp_path / "bad"), "--temperature", "-1"]) == 2
    assert not (tmp_path / "bad").exists()
    assert cli(["train", str(tmp_path / "nope.yaml")]) == 2
    assert export_acoustic  # the function behind `tts export`


def test_missing_sample_vocoder_fails_before_training(tmp_path):
    config = load_acoustic_config(make_dataset(tmp_path), {"trainer": {"vocoder": str(tmp_path / "no-vocoder")}})
    with pytest.raises(ValueError, match="unknown vocoder"):
        train_acoustic(config, progress=False)
    assert not (tmp_path / "run" / "checkpoints").exists()
