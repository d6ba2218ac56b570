"""Fine-tuning a vocoder on an acoustic model's output: `tts acoustic-mels`, `data.mel_dir`, `--init-from`."""

import json
import shutil

import numpy as np
import pytest
import soundfile as sf
import torch

from model_files.typed_config import to_dict
from tts.audio import LogMelSpectrogram
from tts.cli import main as cli
from tts.engine.sharpening import sharpen_mel
from tts.training.acoustic_mels import write_acoustic_mels
from vocoder import VocosVocoder
from vocoder.features import MelConfig
from vocoder.training.config import VocoderDataConfig
from vocoder.training.data import VocoderDataModule
from vocoder.training.module import VocoderGAN
from vocoder.training.run import (
    export_vocoder,
    load_initial_weights,
    load_vocoder_config,
    train_vocoder,
)

TEXTS = ["A short sentence to speak.", "Another one, a little longer than the first.", "Numbers like 42 work too."]


def _voice_like(seconds, f0, seed):
    """A harmonic tone with a syllable-rate envelope and a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(24000 * seconds)) / 24000
    wave = sum(0.3 / k * np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6)) for k in range(1, 8))
    return (0.4 * wave * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)


@pytest.fixture
def corpus(tmp_path):
    """Three clips of different lengths (not whole hops) with transcripts, and a row with nothing to speak."""
    (tmp_path / "wavs").mkdir()
    rows = []
    for i, text in enumerate(TEXTS):
        sf.write(tmp_path / "wavs" / f"clip{i}.wav", _voice_like(1.2 + 0.3 * i + 0.0007, 120 + 20 * i, i), 24000)
        rows.append(f"clip{i}|{text}")
    sf.write(tmp_path / "wavs" / "mute.wav", _voice_like(1.0, 100, 9), 24000)
    rows.append("mute|...")
    (tmp_path / "metadata.csv").write_text("\n".join(rows) + "\n")
    return tmp_path


def test_acoustic_mels_are_timed_like_the_recordings(tiny_voice_dir, corpus):
    written, report = write_acoustic_mels(tiny_voice_dir / "acoustic", corpus / "metadata.csv", corpus / "mels", progress=False)
    assert written == 3
    assert report.counts["text has nothing to speak"] == 1  # reported, not a crash
    for i in range(3):
        samples, _ = sf.read(corpus / "wavs" / f"clip{i}.wav")
        mel = np.load(corpus / "mels" / f"clip{i}.npy")
        assert mel.dtype == np.float16
        assert mel.shape == (100, 1 + len(samples) // 256)  # one generated frame per recorded frame
        assert np.isfinite(mel).all()
    first = np.load(corpus / "mels" / "clip0.npy")

    # Resumable: existing mels are kept; the same settings give the same mels (seeded, deterministic).
    assert write_acoustic_mels(tiny_voice_dir / "acoustic", corpus / "metadata.csv", corpus / "mels", progress=False)[0] == 0
    (corpus / "mels" / "clip0.npy").unlink()
    assert write_acoustic_mels(tiny_voice_dir / "acoustic", corpus / "metadata.csv", corpus / "mels", progress=False)[0] == 1
    assert np.array_equal(np.load(corpus / "mels" / "clip0.npy"), first)

    # A folder holds one setting: other settings are refused instead of mixing mels.
    with pytest.raises(ValueError, match="other settings"):
        write_acoustic_mels(tiny_voice_dir / "acoustic", corpus / "metadata.csv", corpus / "mels", temperature=0.5, progress=False)


def test_acoustic_mels_are_sharpened_as_the_voice_speaks(tiny_voice_dir, corpus):
    """The mels default to the voice's own "sharpen", the mel its vocoder is given at synthesis."""
    acoustic = shutil.copytree(tiny_voice_dir / "acoustic", corpus / "acoustic")  # the fixture is shared
    plain = corpus / "plain"
    write_acoustic_mels(acoustic, corpus / "metadata.csv", plain, sharpen=1.0, progress=False)
    config = json.loads((acoustic / "config.json").read_text())
    config.setdefault("synthesis", {})["sharpen"] = 2.0
    (acoustic / "config.json").write_text(json.dumps(config))
    write_acoustic_mels(acoustic, corpus / "metadata.csv", corpus / "sharp", progress=False)
    assert json.loads((corpus / "sharp" / "settings.json").read_text())["sharpen"] == 2.0
    for i in range(3):
        expected = sharpen_mel(np.load(plain / f"clip{i}.npy").astype(np.float32), 2.0)
        assert np.allclose(np.load(corpus / "sharp" / f"clip{i}.npy"), expected, atol=0.02)
        assert not np.allclose(np.load(corpus / "sharp" / f"clip{i}.npy"), np.load(plain / f"clip{i}.npy"), atol=0.02)
    with pytest.raises(ValueError, match="sharpen"):
        write_acoustic_mels(acoustic, corpus / "metadata.csv", corpus / "bad", sharpen=-1.0, progress=False)


def test_crops_pair_audio_with_the_mel_frames_it_makes(corpus):
    """With the recordings' own mels as `mel_dir`, each random crop's mel must be the crop's own mel
    (gain included): audio and frames line up."""
    features = LogMelSpectrogram()
    (corpus / "own").mkdir()
    for i in range(3):
        samples, _ = sf.read(corpus / "wavs" / f"clip{i}.wav", dtype="float32")
        np.save(corpus / "own" / f"clip{i}.npy", features(torch.from_numpy(samples)).numpy())
    config = VocoderDataConfig(metadata=str(corpus / "metadata.csv"), mel_dir="own", segment_samples=8300, validation_items=1)
    data = VocoderDataModule(config, MelConfig())
    data.setup()
    assert data.report.counts["no acoustic mel"] == 1  # the "mute" row has no mel file
    assert data.train_set.segment_samples == 8192  # rounded down to whole hops
    for index in range(len(data.train_set)):
        for _ in range(3):
            audio, mel = data.train_set[index]
            assert audio.shape == (8192,) and mel.shape == (100, 33)
            own = features(audio)
            # Edge frames differ: the crop's mel reflects at its borders, the utterance's saw real audio.
            assert (own[:, 2:-2] - mel[:, 2:-2]).abs().max() < 1e-3
    audio, mel = data.validation_set[0]
    assert audio.shape == (47872,) and mel.shape == (100, 188)


def test_mel_dir_errors(corpus):
    with pytest.raises(ValueError, match="needs data.metadata"):
        VocoderDataModule(VocoderDataConfig(audio_dir=str(corpus / "wavs"), mel_dir="mels"), MelConfig()).setup()
    with pytest.raises(FileNotFoundError, match="tts acoustic-mels"):
        VocoderDataModule(VocoderDataConfig(metadata=str(corpus / "metadata.csv"), mel_dir="nowhere"), MelConfig()).setup()
    (corpus / "short").mkdir()
    for i in range(3):
        np.save(corpus / "short" / f"clip{i}.npy", np.zeros((100, 7), dtype=np.float16))
    data = VocoderDataModule(VocoderDataConfig(metadata=str(corpus / "metadata.csv"), mel_dir="short", validation_items=1), MelConfig())
    data.setup()
    with pytest.raises(ValueError, match="needs .* frames"):
        data.train_set[0]


TINY = """\
model: {{dim: 32, intermediate_dim: 96, num_layers: 2}}
data: {{metadata: {root}/metadata.csv, mel_dir: mels, segment_samples: 8192, validation_items: 1, batch_size: 2}}
discriminators: {{periods: [2, 3], period_channels: [4, 8, 16, 32, 32], resolutions: [512], resolution_channels: 4}}
optim: {{learning_rate: 0.001, warmup_steps: 1}}
trainer: {{out_dir: {root}/{run}, max_steps: {steps}, checkpoint_every: 2, validate_every: 1000, log_every: 1,
          accelerator: cpu, devices: 1}}
"""


def test_fine_tune_from_a_checkpoint_on_acoustic_mels(tiny_voice_dir, corpus, capsys):
    """Base run on the audio's mels, then a fresh run from its checkpoint on the acoustic model's mels."""
    write_acoustic_mels(tiny_voice_dir / "acoustic", corpus / "metadata.csv", corpus / "mels", progress=False)
    (corpus / "base.yaml").write_text(TINY.format(root=corpus, run="base", steps=2).replace(" mel_dir: mels,", ""))
    train_vocoder(load_vocoder_config(corpus / "base.yaml"), progress=False)
    base = torch.load(corpus / "base" / "checkpoints" / "last.ckpt", weights_only=True)["state_dict"]

    fresh = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml")))
    assert load_initial_weights(fresh, corpus / "base" / "checkpoints" / "last.ckpt") == ["generator", "discriminators"]
    for name, value in fresh.state_dict().items():
        if name.startswith(("generator.", "discriminators.")):
            assert torch.equal(value, base[name]), name
    assert int(fresh.generator_step) == 0  # a fresh run: counters and schedule start over

    generator_only = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml")))
    assert load_initial_weights(generator_only, corpus / "base" / "export") == ["generator"]
    # An export that keeps its run's discriminators gives them to a fine-tune as a checkpoint does.
    export_vocoder(corpus / "base" / "checkpoints" / "last.ckpt", corpus / "kept", discriminators=True)
    assert (corpus / "kept" / "discriminators.safetensors").is_file()
    kept = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml")))
    assert load_initial_weights(kept, corpus / "kept") == ["generator", "discriminators"]
    for name, value in kept.state_dict().items():
        if name.startswith("discriminators."):
            assert torch.equal(value, base[name]), name  # float32 export: exact
    VocosVocoder.load(corpus / "kept")  # inference reads the generator alone
    with pytest.raises(ValueError, match="do not fit"):
        other_critics = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml", {"discriminators": {"resolution_channels": 8}})))
        load_initial_weights(other_critics, corpus / "kept")
    export_vocoder(corpus / "base" / "checkpoints" / "last.ckpt", corpus / "kept")  # re-exported without them
    assert not (corpus / "kept" / "discriminators.safetensors").exists()
    with pytest.raises(ValueError, match="not a training checkpoint of this project"):
        torch.save({"weights": 1}, corpus / "bad.pt")
        load_initial_weights(generator_only, corpus / "bad.pt")

    # A thinner student starts pruned from the checkpoint: the teacher's last block, its 48 strongest
    # feed-forward units, everything else and the discriminators as they were.
    thin = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml", {"model": {"intermediate_dim": 48, "num_layers": 1}})))
    assert load_initial_weights(thin, corpus / "base" / "checkpoints" / "last.ckpt") == ["generator (pruned from 32x96x2)", "discriminators"]
    student = thin.state_dict()
    w_in, w_out = base["generator.backbone.convnext.1.pwconv1.weight"], base["generator.backbone.convnext.1.pwconv2.weight"]
    keep = (w_in.norm(dim=1) * w_out.norm(dim=0)).topk(48).indices.sort().values
    assert torch.equal(student["generator.backbone.convnext.0.pwconv1.weight"], w_in[keep])
    assert torch.equal(student["generator.backbone.convnext.0.pwconv2.weight"], w_out[:, keep])
    assert torch.equal(student["generator.backbone.convnext.0.dwconv.weight"], base["generator.backbone.convnext.1.dwconv.weight"])
    assert torch.equal(student["generator.head.out.weight"], base["generator.head.out.weight"])
    assert all(torch.equal(v, base[k]) for k, v in student.items() if k.startswith("discriminators."))
    from_export = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml", {"model": {"intermediate_dim": 48, "num_layers": 1}})))
    assert load_initial_weights(from_export, corpus / "base" / "export") == ["generator (pruned from 32x96x2)"]
    assert torch.equal(from_export.state_dict()["generator.backbone.convnext.0.pwconv1.weight"], w_in[keep])
    wide = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml", {"model": {"intermediate_dim": 128}})))
    with pytest.raises(ValueError, match="does not fit the config.*wider or deeper"):
        load_initial_weights(wide, corpus / "base" / "checkpoints" / "last.ckpt")
    other_dim = VocoderGAN(to_dict(load_vocoder_config(corpus / "base.yaml", {"model": {"dim": 16}})))
    with pytest.raises(ValueError, match="only intermediate_dim and num_layers may differ"):
        load_initial_weights(other_dim, corpus / "base" / "checkpoints" / "last.ckpt")

    (corpus / "finetune.yaml").write_text(TINY.format(root=corpus, run="finetune", steps=2))
    capsys.readouterr()
    assert cli(["train-vocoder", str(corpus / "finetune.yaml"), "--init-from", str(corpus / "base" / "checkpoints" / "last.ckpt")]) == 0
    out = capsys.readouterr().out
    assert "acoustic-model mels" in out and "initial weights: generator, discriminators" in out
    tuned = torch.load(corpus / "finetune" / "checkpoints" / "last.ckpt", weights_only=True)["state_dict"]
    assert int(tuned["generator_step"]) == 2
    assert not torch.equal(tuned["generator.head.out.weight"], base["generator.head.out.weight"])  # it trained
    exported = VocosVocoder.load(corpus / "finetune" / "export")  # the export holds the trained generator
    assert torch.equal(exported.head.out.weight, tuned["generator.head.out.weight"].float())


def test_cli_acoustic_mels(tiny_voice_dir, corpus, capsys):
    args = ["acoustic-mels", str(tiny_voice_dir / "acoustic"), str(corpus / "metadata.csv"), str(corpus / "m"), "--steps", "2"]
    assert cli(args) == 0
    assert "wrote 3 mels" in capsys.readouterr().out
    assert cli(args[:-1] + ["1"]) == 2  # same folder, other settings: a clear error, not mixed mels
