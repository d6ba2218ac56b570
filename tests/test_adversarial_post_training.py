"""Adversarial post-training of the 1-step generator: the mel critic learns, and a run with it trains,
resumes and exports like any other."""

import torch

from tests.test_acoustic_training import make_dataset
from tts.model import AcousticModel
from tts.training.config import AdversarialConfig
from tts.training.mel_critic import MelCritic, critic_loss, generator_losses
from tts.training.run import load_acoustic_config, train_acoustic


def test_the_critic_learns_to_tell_real_mels_from_blurred_ones():
    torch.manual_seed(0)
    real = torch.randn(4, 20, 48)
    blurred = torch.nn.functional.avg_pool1d(real, 5, 1, 2)  # what regression to the mean does to detail
    mu, mask = torch.zeros_like(real), torch.ones(4, 1, 48)
    critic = MelCritic((8, 16, 16, 16))
    optimizer = torch.optim.AdamW(critic.parameters(), lr=2e-3)
    before = critic_loss(critic, real, blurred, mu, mask).item()
    for _ in range(60):
        optimizer.zero_grad()
        critic_loss(critic, real, blurred, mu, mask).backward()
        optimizer.step()
    after = critic_loss(critic, real, blurred, mu, mask).item()
    assert before > 1.5 and after < 0.5 * before
    # The generator's losses: the critic scores the blurred mel as fake, and its features differ from the real one's.
    adversarial, features = generator_losses(critic, real, blurred, mu, mask)
    assert adversarial.item() > generator_losses(critic, real, real, mu, mask)[0].item()
    assert features.item() > 0 and generator_losses(critic, real, real, mu, mask)[1].item() == 0


def test_bad_adversarial_settings_are_refused():
    for bad in ({"weight": -1}, {"temperatures": (1.0, 0.5)}, {"learning_rate": 0}):
        try:
            AdversarialConfig(**bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_a_run_with_the_critic_trains_resumes_and_exports(tmp_path):
    config_path = make_dataset(tmp_path)
    overrides = {"adversarial": {"weight": 1.0, "start_step": 1, "channels": [8, 8, 8, 8]}, "trainer": {"validation_samples": 0}}
    export = train_acoustic(load_acoustic_config(config_path, overrides), progress=False)
    checkpoint = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert checkpoint["global_step"] == 4 and "critic_optimizer" in checkpoint
    assert any(key.startswith("critic.") for key in checkpoint["state_dict"])
    metrics = (tmp_path / "run" / "logs" / "version_0" / "metrics.csv").read_text()
    assert "train/critic" in metrics and "train/adversarial" in metrics and "train/feature_matching" in metrics
    # The export is the model alone: it loads as any acoustic model, without the critic.
    loaded = AcousticModel.load(export)
    assert not any("critic" in name for name, _ in loaded.named_parameters())
    critic_before = {k: v.clone() for k, v in checkpoint["state_dict"].items() if k.startswith("critic.")}
    resumed = load_acoustic_config(config_path, {**overrides, "trainer": {"validation_samples": 0, "max_steps": 6}})
    train_acoustic(resumed, resume=True, progress=False)
    after = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert after["global_step"] == 6
    assert any(not torch.equal(after["state_dict"][k], v) for k, v in critic_before.items())  # the critic kept learning


def test_a_run_resumed_with_the_critic_turned_on_or_off_continues(tmp_path):
    config_path = make_dataset(tmp_path)
    plain = {"trainer": {"validation_samples": 0}}
    train_acoustic(load_acoustic_config(config_path, plain), progress=False)
    with_critic = {"adversarial": {"weight": 1.0, "channels": [8, 8, 8, 8]}, "trainer": {"validation_samples": 0, "max_steps": 6}}
    train_acoustic(load_acoustic_config(config_path, with_critic), resume=True, progress=False)
    checkpoint = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert checkpoint["global_step"] == 6 and any(k.startswith("critic.") for k in checkpoint["state_dict"])
    train_acoustic(load_acoustic_config(config_path, {"trainer": {"validation_samples": 0, "max_steps": 8}}), resume=True, progress=False)
    checkpoint = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)
    assert checkpoint["global_step"] == 8 and not any(k.startswith("critic.") for k in checkpoint["state_dict"])


def test_a_zero_gradient_clip_still_trains_the_critic(tmp_path):
    # 0 means "no clipping" to Lightning; it must not zero the critic's gradients either.
    config_path = make_dataset(tmp_path)
    overrides = {"adversarial": {"weight": 1.0, "channels": [8, 8, 8, 8]}, "optim": {"gradient_clip": 0.0}, "trainer": {"validation_samples": 0}}
    train_acoustic(load_acoustic_config(config_path, overrides), progress=False)
    state = torch.load(tmp_path / "run" / "checkpoints" / "last.ckpt", weights_only=True)["critic_optimizer"]["state"]
    # Adam's first moments hold the gradients the critic was updated with: not all zero.
    assert state and any(bool(entry["exp_avg"].abs().sum() > 0) for entry in state.values())
