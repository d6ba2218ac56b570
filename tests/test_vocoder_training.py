"""Vocoder training: a GAN step runs, reconstruction improves, runs resume, exports load identically."""

import numpy as np
import pytest
import soundfile as sf
import torch

from model_files.typed_config import to_dict
from tts.audio import LogMelSpectrogram
from tts.cli import main as cli
from vocoder import VocosVocoder, load_vocoder
from vocoder.training.config import DiscriminatorConfig, VocoderTrainConfig
from vocoder.training.run import export_vocoder, load_vocoder_config, train_vocoder

TINY = """\
model: {{dim: 32, intermediate_dim: 96, num_layers: 2}}
data: {{metadata: {root}/metadata.csv, segment_samples: 8192, validation_items: 1, batch_size: 2,
       validation_segment_samples: 12000}}
discriminators: {{periods: [2, 3], period_channels: [4, 8, 16, 32, 32], resolutions: [512], resolution_channels: 4}}
loss: {{gan_start_step: 2}}
optim: {{learning_rate: 0.002, warmup_steps: 1}}
trainer: {{out_dir: {root}/run, max_steps: 4, checkpoint_every: 2, validate_every: 1000, log_every: 1,
          accelerator: cpu, devices: 1}}
"""


def _voice_like(seconds, f0, seed):
    """A harmonic tone with a syllable-rate envelope: enough structure for a vocoder to learn."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(24000 * seconds)) / 24000
    wave = sum(0.3 / k * np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) for k in range(1, 8))
    return (0.4 * wave * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


@pytest.fixture
def dataset(tmp_path):
    (tmp_path / "wavs").mkdir()
    rows = []
    for i in range(5):
        sf.write(tmp_path / "wavs" / f"clip{i}.wav", _voice_like(0.8, 110 + 15 * i, i), 24000)
        rows.append(f"clip{i}|a clip")
    rows += ["gone|no audio for this row", "clip0|"]
    (tmp_path / "metadata.csv").write_text("\n".join(rows) + "\n")
    config_path = tmp_path / "vocoder.yaml"
    config_path.write_text(TINY.format(root=tmp_path))
    return tmp_path, config_path


def _mel_l1(vocoder, audio):
    features = LogMelSpectrogram()
    mel = features(audio)
    return (features(vocoder.decode(mel)[..., : audio.shape[-1]]) - mel).abs().mean().item()


def test_train_resume_export(dataset, capsys):
    root, config_path = dataset
    config = load_vocoder_config(config_path)
    export = train_vocoder(config, progress=False)
    assert "missing audio file" in capsys.readouterr().out  # skipped rows are reported, not dropped silently
    checkpoint = torch.load(root / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert int(checkpoint["state_dict"]["generator_step"]) == 4

    with pytest.raises(FileExistsError, match="--resume"):
        train_vocoder(config, progress=False)
    resumed = load_vocoder_config(config_path, {"trainer": {"max_steps": 6}})
    train_vocoder(resumed, resume=True, progress=False)
    checkpoint = torch.load(root / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert int(checkpoint["state_dict"]["generator_step"]) == 6  # continued from step 4, not from 0

    loaded = VocosVocoder.load(export)
    again = export_vocoder(root / "run" / "checkpoints" / "last.ckpt", root / "again")
    mel = LogMelSpectrogram()(torch.from_numpy(_voice_like(0.5, 150, 9)))[None]
    assert torch.equal(load_vocoder(again).decode(mel), VocosVocoder.load(again).decode(mel))
    assert loaded.decode(mel).shape == (1, mel.shape[-1] * 256)


def test_export_then_load_is_identical(tmp_path):
    torch.manual_seed(3)
    vocoder = VocosVocoder(VocoderTrainConfig().model.__class__(dim=16, intermediate_dim=32, num_layers=1)).eval()
    mel = torch.randn(2, 100, 30)
    loaded = VocosVocoder.load(vocoder.save(tmp_path / "export"))
    assert torch.equal(vocoder.decode(mel), loaded.decode(mel))
    assert loaded.config == vocoder.config


def test_gan_training_reduces_reconstruction_loss(tmp_path):
    """A few dozen GAN steps (discriminators from step 0) on one short clip lower the mel L1."""
    import lightning as L

    from vocoder.training.module import VocoderGAN

    torch.manual_seed(0)
    clip = torch.from_numpy(_voice_like(0.5, 140, 0))
    config = load_vocoder_config_for_overfit(tmp_path)
    module = VocoderGAN(to_dict(config))
    before = _mel_l1(module.generator.eval(), clip[None])
    trainer = L.Trainer(
        max_epochs=-1, accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0,
    )
    batches = torch.utils.data.DataLoader(clip[None, :8192].repeat(2, 1), batch_size=2)
    trainer.fit(module.train(), batches)
    assert int(module.generator_step) == config.trainer.max_steps
    after = _mel_l1(module.generator.eval(), clip[None])
    assert after < 0.75 * before  # measured: 9.0 -> 5.5, (before, after)


def test_discriminator_warmup_holds_the_generator_still(tmp_path):
    """Fresh discriminators beside a trained generator (an export has none): for the warm-up steps only
    they learn; the generator moves after them."""
    import lightning as L

    from model_files.typed_config import from_dict
    from vocoder.training.module import VocoderGAN

    def fit(max_steps, start):
        config = to_dict(load_vocoder_config_for_overfit(tmp_path))
        config["loss"] = {**config["loss"], "discriminator_warmup_steps": 3}
        config["trainer"] = {**config["trainer"], "max_steps": max_steps}
        module = VocoderGAN(to_dict(from_dict(VocoderTrainConfig, config)))
        module.generator.load_state_dict(start.state_dict())
        trainer = L.Trainer(
            max_epochs=-1, accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
            enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0,
        )
        torch.manual_seed(0)
        discriminators = {k: v.clone() for k, v in module.discriminators.state_dict().items()}
        trainer.fit(module.train(), torch.utils.data.DataLoader(clip[None, :8192].repeat(2, 1), batch_size=2))
        moved = any(not torch.equal(v, module.discriminators.state_dict()[k]) for k, v in discriminators.items())
        return module, moved

    clip = torch.from_numpy(_voice_like(0.5, 140, 0))
    torch.manual_seed(1)
    trained = VocoderGAN(to_dict(load_vocoder_config_for_overfit(tmp_path))).generator
    warmed, discriminators_moved = fit(3, trained)
    assert int(warmed.generator_step) == 3 and discriminators_moved
    for name, value in trained.state_dict().items():
        assert torch.equal(value, warmed.generator.state_dict()[name]), name
    after, _ = fit(5, trained)
    assert any(not torch.equal(v, after.generator.state_dict()[k]) for k, v in trained.state_dict().items())


def test_adversarial_terms_and_gradients_are_vocos_own(tmp_path):
    """The cheaper adversarial pass (for the generator: real audio without a graph, the discriminator
    frozen) gives the losses and the gradients of vocos's `discriminator(real, fake)`."""
    from vocoder.training.module import VocoderGAN

    torch.manual_seed(0)
    module = VocoderGAN(to_dict(load_vocoder_config_for_overfit(tmp_path)))
    audio = torch.from_numpy(_voice_like(0.5, 140, 0))[None, :8192].repeat(2, 1) * torch.tensor([[1.0], [0.5]])
    mel = module.features(audio)

    def reference(discriminator_step):
        weights, terms = module.config.loss, {}
        fake = module.generator(mel)[..., : audio.shape[-1]]
        for name, discriminator in module.discriminators.items():
            scale = weights.resolution_discriminator if name == "resolution" else 1.0
            real_out, fake_out, real_maps, fake_maps = discriminator(audio, fake.detach() if discriminator_step else fake)
            if discriminator_step:
                terms[name] = scale * module.discriminator_loss(real_out, fake_out)[0].squeeze() / len(real_out)
            else:
                adversarial = module.generator_loss(fake_out)[0].squeeze() / len(fake_out)
                features = module.feature_loss(real_maps, fake_maps).squeeze() / len(real_maps)
                terms[name] = scale * (weights.adversarial * adversarial + weights.feature_matching * features)
        return terms

    def gradients(loss, parameters):
        grads = torch.autograd.grad(loss, list(parameters), allow_unused=True)
        return [torch.zeros_like(p) if g is None else g for p, g in zip(parameters, grads)]

    for discriminator_step, trained in ((True, list(module.discriminators.parameters())), (False, list(module.generator.parameters()))):
        expected = reference(discriminator_step)
        fake = module.generator(mel)[..., : audio.shape[-1]]
        terms = module._adversarial(audio, fake, discriminator_step)
        for name in expected:
            ours = sum(v for k, v in terms.items() if k.endswith(f"_{name}"))
            assert torch.allclose(ours, expected[name], rtol=1e-5, atol=1e-6), (discriminator_step, name)
        for ours, theirs in zip(gradients(sum(terms.values()), trained), gradients(sum(expected.values()), trained)):
            assert torch.allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    assert all(p.requires_grad for p in module.discriminators.parameters())  # unfrozen after the generator's pass


def test_discriminators_may_learn_at_their_own_rate(tmp_path):
    from model_files.typed_config import from_dict
    from vocoder.training.module import VocoderGAN

    config = to_dict(load_vocoder_config_for_overfit(tmp_path))
    peaks = []
    for rate in (None, 0.01):
        config["optim"] = {**config["optim"], "discriminator_learning_rate": rate, "warmup_steps": 0}
        generator, discriminator = VocoderGAN(to_dict(from_dict(VocoderTrainConfig, config))).configure_optimizers()[0]
        peaks.append((generator.param_groups[0]["lr"], discriminator.param_groups[0]["lr"]))
    assert peaks == [(0.003, 0.003), (0.003, 0.01)]
    config["optim"]["discriminator_learning_rate"] = "fast"
    with pytest.raises(ValueError, match="discriminator_learning_rate"):
        from_dict(VocoderTrainConfig, config)


def load_vocoder_config_for_overfit(tmp_path):
    from model_files.typed_config import from_dict

    return from_dict(
        VocoderTrainConfig,
        {
            "model": {"dim": 32, "intermediate_dim": 96, "num_layers": 2},
            "discriminators": to_dict(DiscriminatorConfig(periods=(2,), period_channels=(4, 8, 16, 16, 16), resolutions=(512,), resolution_channels=4)),
            "optim": {"learning_rate": 0.003, "warmup_steps": 1},
            "trainer": {"out_dir": str(tmp_path / "run"), "max_steps": 40},
        },
    )


def test_config_typo_is_an_error(dataset):
    root, config_path = dataset
    config_path.write_text(config_path.read_text().replace("max_steps", "max_step"))
    with pytest.raises(ValueError, match="max_step"):
        load_vocoder_config(config_path)
    assert cli(["train-vocoder", str(config_path)]) == 2


def test_cli_trains_and_exports(dataset, tmp_path):
    root, config_path = dataset
    assert cli(["train-vocoder", str(config_path), "--max-steps", "1", "--out-dir", str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / "export" / "model.safetensors").is_file()
    assert cli(["export-vocoder", str(tmp_path / "cli" / "checkpoints" / "last.ckpt"), str(tmp_path / "out")]) == 0
    exported, trained = load_vocoder(tmp_path / "out"), VocosVocoder.load(tmp_path / "cli" / "export")
    mel = torch.randn(1, 100, 12, generator=torch.Generator().manual_seed(0))
    assert torch.equal(exported.decode(mel), trained.decode(mel))  # both exports hold the same generator
    # Both exports carry the graph the CPU runtime runs.
    assert (tmp_path / "out" / "spectrum.onnx").is_file() and (tmp_path / "cli" / "export" / "spectrum.onnx").is_file()
