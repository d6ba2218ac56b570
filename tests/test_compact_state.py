"""Compact resumable state: a run killed at step N, its whole folder deleted, resumes from the committed
state (float16 weights, bfloat16 moments) to step 2N as it would from its own checkpoint, and a run
resumed from its own checkpoint ends where the unbroken run does."""

import shutil

import pytest
import soundfile as sf
import torch

from tests.test_acoustic_training import make_dataset
from tests.test_vocoder_training import TINY, _voice_like
from training.compact_state import restore_compact_state, save_compact_state
from tts.cli import main as cli


@pytest.fixture(autouse=True)
def _threads():
    """One thread per run (tiny networks train faster so on 2 busy cores), restored afterwards."""
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _killed_at(cls, counter, step, monkeypatch):
    """Make `cls.training_step` raise once `counter(module)` reaches `step` (after that step's checkpoint)."""
    original = cls.training_step

    def dies(self, batch, batch_idx):
        if counter(self) == step:
            raise RuntimeError("session over")
        return original(self, batch, batch_idx)

    monkeypatch.setattr(cls, "training_step", dies)
    return lambda: monkeypatch.setattr(cls, "training_step", original)


def _resume_three_ways(tmp_path, train, counter, cls, monkeypatch, N):
    """Run to N and die; resume to 2N from the full checkpoint (the reference) and, with the run's folder
    deleted, from its compact state; and run 2N steps straight. Returns the checkpoints at N, and at 2N
    of each of the three runs."""
    run = tmp_path / "run"
    restore_step = _killed_at(cls, counter, N, monkeypatch)
    with pytest.raises(RuntimeError, match="session over"):
        train(run)
    restore_step()
    at_n = tmp_path / "at-n.ckpt"
    shutil.copy(run / "checkpoints" / "last.ckpt", at_n)
    (tmp_path / "full" / "checkpoints").mkdir(parents=True)
    shutil.copy(at_n, tmp_path / "full" / "checkpoints" / "last.ckpt")
    size = save_compact_state(at_n, tmp_path / "state")
    assert size < 0.7 * at_n.stat().st_size  # fp16 weights and bf16 moments: about half the checkpoint
    shutil.rmtree(run)  # everything outside git is lost
    restore_compact_state(tmp_path / "state", run / "checkpoints" / "last.ckpt")
    train(run, resume=True)
    train(tmp_path / "full", resume=True)
    train(tmp_path / "straight")
    load = lambda name: torch.load(tmp_path / name / "checkpoints" / "last.ckpt", weights_only=True)  # noqa: E731
    return torch.load(at_n, weights_only=True), load("run"), load("full"), load("straight")


def _check_resumed(at_n, compact, full, straight, step_key, N):
    for checkpoint in (compact, full, straight):
        assert int(step_key(checkpoint)) == 2 * N
        assert checkpoint["global_step"] == straight["global_step"]
        # The schedule is the 2N-step run's, at its last step.
        assert [s["_last_lr"] for s in checkpoint["lr_schedulers"]] == [s["_last_lr"] for s in straight["lr_schedulers"]]
        assert [g["lr"] for o in checkpoint["optimizer_states"] for g in o["param_groups"]] == [
            g["lr"] for o in straight["optimizer_states"] for g in o["param_groups"]
        ]
    # Resumed from its full checkpoint, the run is the unbroken one: the same batches, crops, noise and
    # flow times (ExactResume). Measured: the vocoder to the bit; the acoustic model 0.0002x the float16
    # rounding, float noise only (the first training in a process rounds a few sums differently, by
    # memory alignment: run alone in two processes, the two agree to the bit). A resume that redraws
    # the data order or the noise lands 1-5x the rounding away.
    trained = [k for k, v in full["state_dict"].items() if v.is_floating_point() and not torch.equal(v, at_n["state_dict"][k])]

    def mean_gap(a, b):
        return sum((a[k].double() - b[k].double()).abs().sum().item() for k in trained) / sum(a[k].numel() for k in trained)

    rounded = {k: at_n["state_dict"][k].half().float() for k in trained}
    rounding = mean_gap(at_n["state_dict"], rounded)  # what float16 did to the weights at step N
    # N more steps carry the rounding on, grown where Adam's normalised step turns with a gradient's sign
    # (measured: 5.1x the rounding for the vocoder, 1.1x for the acoustic model; bfloat16 moments alone
    # add 0.14x, float16 ones 190x). The weights moved from step N to 2N by 130x and 250x the rounding.
    tolerance = 10 * rounding
    assert mean_gap(full["state_dict"], straight["state_dict"]) <= 0.01 * rounding
    # From the compact state, the float16 rounding at step N is carried on.
    gap = mean_gap(compact["state_dict"], full["state_dict"])
    assert gap <= tolerance, (gap, rounding)
    assert mean_gap(full["state_dict"], at_n["state_dict"]) > 10 * tolerance


def test_vocoder_gan_resumes_from_compact_state(tmp_path, monkeypatch):
    from vocoder.training.module import VocoderGAN
    from vocoder.training.run import load_vocoder_config, train_vocoder

    N = 2  # 3 training clips in batches of 2: one batch an epoch, so the run dies at an epoch's end
    (tmp_path / "wavs").mkdir()
    for i in range(4):
        sf.write(tmp_path / "wavs" / f"clip{i}.wav", _voice_like(0.8, 110 + 15 * i, i), 24000)
    (tmp_path / "metadata.csv").write_text("".join(f"clip{i}|a clip\n" for i in range(4)))
    (tmp_path / "vocoder.yaml").write_text(TINY.format(root=tmp_path))

    def train(out_dir, resume=False):
        # The discriminators train from step 1, so their weights and moments are in the state at step N.
        overrides = {
            "trainer": {"out_dir": str(out_dir), "max_steps": 2 * N, "checkpoint_every": N, "threads": 1},
            "loss": {"gan_start_step": 1},
            "data": {"segment_samples": 4096},
            "discriminators": {"periods": [2], "period_channels": [4, 8, 8, 8, 8], "resolutions": [256]},
        }
        train_vocoder(load_vocoder_config(tmp_path / "vocoder.yaml", overrides), resume=resume, progress=False)

    checkpoints = _resume_three_ways(tmp_path, train, lambda m: int(m.generator_step), VocoderGAN, monkeypatch, N)
    assert len(checkpoints[0]["optimizer_states"]) == 2  # generator and discriminators
    _check_resumed(*checkpoints, step_key=lambda c: c["state_dict"]["generator_step"], N=N)


@pytest.mark.parametrize("workers", [0, 1], ids=["in-process", "worker-process"])
def test_acoustic_model_with_critic_and_ema_resumes_from_compact_state(tmp_path, monkeypatch, workers):
    from tts.training.module import AcousticLightning
    from tts.training.run import load_acoustic_config, train_acoustic

    N = 3  # 6 training utterances in batches of 3: the run dies in the middle of its second epoch
    config_path = make_dataset(tmp_path)

    def train(out_dir, resume=False):
        overrides = {
            "adversarial": {"weight": 1.0, "start_step": 1, "channels": [8, 8, 8, 8]},
            "trainer": {"out_dir": str(out_dir), "max_steps": 2 * N, "checkpoint_every": N, "validate_every": 1000, "validation_samples": 0, "threads": 1},
            # A loader with workers starts fetching before any callback runs: the sampler is placed when made.
            "data": {"num_workers": workers},
        }
        train_acoustic(load_acoustic_config(config_path, overrides), resume=resume, progress=False)

    checkpoints = _resume_three_ways(tmp_path, train, lambda m: m.global_step, AcousticLightning, monkeypatch, N)
    at_n, compact, full, _ = checkpoints
    assert any(k.startswith("ema.module.") for k in at_n["state_dict"]) and any(k.startswith("critic.") for k in at_n["state_dict"])
    # Every optimizer step's EMA update is in the checkpoints, the one at step N included.
    assert int(at_n["state_dict"]["ema.n_averaged"]) == N
    assert int(compact["state_dict"]["ema.n_averaged"]) == int(full["state_dict"]["ema.n_averaged"]) == 2 * N
    # The critic's optimizer (kept by the module itself, outside Lightning's) came through the state.
    for entry in full["critic_optimizer"]["state"].values():
        assert int(entry["step"]) == 2 * N
    _check_resumed(*checkpoints, step_key=lambda c: c["global_step"], N=N)


def test_damaged_or_foreign_state_is_refused_in_one_line(tmp_path):
    from model_files.typed_config import to_dict
    from tests.test_vocoder_training import load_vocoder_config_for_overfit
    from vocoder.training.module import VocoderGAN

    module = VocoderGAN(to_dict(load_vocoder_config_for_overfit(tmp_path)))
    checkpoint = tmp_path / "last.ckpt"
    moments = {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.full((2,), 1e-5), "exp_avg_sq": torch.full((2,), 1e-12)}}, "param_groups": []}
    torch.save({"state_dict": module.state_dict(), "hyper_parameters": dict(module.hparams), "optimizer_states": [moments], "global_step": 3}, checkpoint)
    state = tmp_path / "state"
    save_compact_state(checkpoint, state)
    restored = torch.load(restore_compact_state(state, tmp_path / "again.ckpt"), weights_only=True)
    # A second moment of 1e-12 is zero in float16; bfloat16 keeps it (and its step stays exact).
    assert torch.allclose(restored["optimizer_states"][0]["state"][0]["exp_avg_sq"], torch.full((2,), 1e-12), rtol=1e-2)
    assert restored["optimizer_states"][0]["state"][0]["step"].dtype == torch.float32
    assert int(restored["state_dict"]["generator_step"]) == 0

    with pytest.raises(FileExistsError, match="again.ckpt"):
        restore_compact_state(state, tmp_path / "again.ckpt")
    tensors = state / "tensors.safetensors"
    data = bytearray(tensors.read_bytes())
    data[-1] ^= 1
    tensors.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"tensors\.safetensors: SHA-256 differs") as error:
        restore_compact_state(state, tmp_path / "bad.ckpt")
    assert "\n" not in str(error.value)
    json_path = state / "state.json"
    json_path.write_text(json_path.read_text().replace('"version": 1', '"version": 99', 1))
    with pytest.raises(ValueError, match=r"state\.json: compact state version 99"):
        restore_compact_state(state, tmp_path / "bad.ckpt")
    json_path.write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match=r"state\.json: not a compact training state"):
        restore_compact_state(state, tmp_path / "bad.ckpt")
    tensors.unlink()
    json_path.unlink()
    with pytest.raises(ValueError, match=r"state\.json: missing"):
        restore_compact_state(state, tmp_path / "bad.ckpt")
    assert not (tmp_path / "bad.ckpt").exists()


def test_cli_saves_and_restores_a_run(tmp_path, capsys):
    from model_files.typed_config import to_dict
    from tests.test_vocoder_training import load_vocoder_config_for_overfit
    from vocoder.training.module import VocoderGAN

    module = VocoderGAN(to_dict(load_vocoder_config_for_overfit(tmp_path)))
    (tmp_path / "run" / "checkpoints").mkdir(parents=True)
    torch.save({"state_dict": module.state_dict(), "hyper_parameters": dict(module.hparams)}, tmp_path / "run" / "checkpoints" / "last.ckpt")
    assert cli(["state", "save", str(tmp_path / "run"), str(tmp_path / "state")]) == 0
    assert "MB" in capsys.readouterr().out
    assert cli(["state", "restore", str(tmp_path / "state"), str(tmp_path / "run")]) == 2  # never over a checkpoint
    assert "exists" in capsys.readouterr().err
    assert cli(["state", "restore", str(tmp_path / "state"), str(tmp_path / "new")]) == 0
    assert (tmp_path / "new" / "checkpoints" / "last.ckpt").is_file()
    assert cli(["state", "save", str(tmp_path / "empty"), str(tmp_path / "state2")]) == 2
