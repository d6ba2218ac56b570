"""Training on two processes with Lightning's own DDP (gloo, CPU): the acoustic model and the vocoder.

Each run is launched as a command in a subprocess (`python tests/test_distributed_training.py KIND
CONFIG RECORDS`), so Lightning's `ddp` strategy starts rank 1 by running this file again, as it would
run `tts train` on a machine with two GPUs. A callback in both processes writes what its rank saw:
its rank and world size, the utterances its training dataloader yielded in each epoch, its random
state at the first batch, its weights and optimizer state at the end. The test then requires two processes, identical weights and
optimizer moments on both (equal to the checkpoint rank 0 wrote), and disjoint shards that together
are the training set in every epoch.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import torch
import yaml

ROOT = Path(__file__).resolve().parents[1]
DDP = {"accelerator": "cpu", "devices": 2, "num_nodes": 1, "strategy": "ddp", "threads": 1, "log_every": 1}


def _launch(kind: str, config: Path, records: Path, timeout: float = 300) -> str:
    """Run this file as the training command; returns its output (both ranks'), failing on an error or a hang."""
    records.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK", "NODE_RANK", "WORLD_SIZE", "RANK")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, str(Path(__file__).resolve()), kind, str(config), str(records)]
    # A session of its own, so a hung rank 1 (started by rank 0) is ended with rank 0.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"{kind} DDP run did not finish in {timeout} s:\n{output[-4000:]}") from None
    assert process.returncode == 0, f"{kind} DDP run failed ({process.returncode}):\n{output[-6000:]}"
    return output


def _ranks(records: Path) -> list[dict]:
    files = sorted(records.glob("rank*.pt"))
    # One file means DDP fell back to a single process: the run must not pass as distributed.
    assert [f.name for f in files] == ["rank0.pt", "rank1.pt"], f"expected two ranks, got {[f.name for f in files]}"
    ranks = [torch.load(f, weights_only=True) for f in files]
    for rank, record in enumerate(ranks):
        assert record["rank"] == rank and record["world_size"] == 2 and "DDP" in record["strategy"]
    assert ranks[0]["pid"] != ranks[1]["pid"]
    return ranks


def _assert_identical(name: str, first, second) -> None:
    """Nested state (dicts, lists, tensors, numbers) equal exactly."""
    if isinstance(first, torch.Tensor):
        assert torch.equal(first, second), f"{name} differs between the ranks"
    elif isinstance(first, dict):
        assert first.keys() == second.keys(), f"{name}: different keys"
        for key in first:
            _assert_identical(f"{name}.{key}", first[key], second[key])
    elif isinstance(first, (list, tuple)):
        assert len(first) == len(second), f"{name}: different lengths"
        for i, (a, b) in enumerate(zip(first, second)):
            _assert_identical(f"{name}[{i}]", a, b)
    else:
        assert first == second, f"{name}: {first!r} != {second!r}"


def _check_ranks(ranks: list[dict], checkpoint: Path, train_size: int, epochs: int) -> None:
    zero, one = ranks
    # (a) The same weights and optimizer moments on both ranks, and what rank 0 checkpointed.
    _assert_identical("state_dict", zero["state"], one["state"])
    _assert_identical("optimizers", zero["optimizers"], one["optimizers"])
    assert zero["optimizers"] and all(group["state"] for group in zero["optimizers"])  # every optimizer stepped
    saved = torch.load(checkpoint, weights_only=True)["state_dict"]
    _assert_identical("checkpoint", saved, zero["state"])
    trained = [k for k, v in zero["initial"].items() if v.is_floating_point() and not torch.equal(v, zero["state"][k])]
    assert len(trained) > len(zero["initial"]) // 2, "the weights barely moved: did training run?"
    # (b) Each rank its own shard: disjoint, and together the whole training set, in every epoch.
    assert zero["train_set"] == one["train_set"] and len(zero["train_set"]) == train_size
    for epoch in range(epochs):
        shards = [[item for e, item in record["seen"] if e == epoch] for record in ranks]
        assert all(shards) and all(len(s) == len(set(s)) for s in shards), f"epoch {epoch}: {shards}"
        assert not set(shards[0]) & set(shards[1]), f"epoch {epoch}: both ranks saw {set(shards[0]) & set(shards[1])}"
        assert sorted(shards[0] + shards[1]) == zero["train_set"], f"epoch {epoch}: {shards} do not cover {zero['train_set']}"
    assert {e for e, _ in zero["seen"]} >= set(range(epochs))


def test_acoustic_model_trains_on_two_processes(tmp_path):
    from test_acoustic_training import make_dataset

    started = time.monotonic()
    config = yaml.safe_load(make_dataset(tmp_path).read_text())
    # 8 usable utterances, 2 held out: 6 train in 2 batches of 3, one per rank; one step per epoch.
    config["data"].update(batch_size=3, num_workers=0)
    config["trainer"].update(DDP, max_steps=2, checkpoint_every=1, validate_every=2, validation_samples=0)
    path = tmp_path / "ddp.yaml"
    path.write_text(yaml.safe_dump(config))
    _launch("acoustic", path, tmp_path / "records")
    ranks = _ranks(tmp_path / "records")
    _check_ranks(ranks, tmp_path / "run" / "checkpoints" / "last.ckpt", train_size=6, epochs=2)
    # The EMA follows the synchronized weights, so it is identical too (checked above with the rest of
    # the state dict); it moved away from the initial weights.
    assert any(not torch.equal(v, ranks[0]["initial"][k]) for k, v in ranks[0]["state"].items() if k.startswith("ema.module."))
    # Each rank draws its own crops, noise and flow times (the same seed would give both the same).
    assert not torch.equal(ranks[0]["rng"], ranks[1]["rng"])
    # Only rank 0 exports; the other process's training call returns None.
    done = [json.loads((tmp_path / "records" / f"done{r}.json").read_text()) for r in (0, 1)]
    assert done[0]["export"] == str(tmp_path / "run" / "export") and done[1]["export"] is None
    assert (tmp_path / "run" / "export" / "model.safetensors").is_file()
    metrics = (tmp_path / "run" / "logs" / "version_0" / "metrics.csv").read_text()
    assert "val/mel_l1_1step" in metrics  # validation ran under DDP (its metrics synced across ranks)
    print(f"acoustic DDP: {time.monotonic() - started:.1f} s")


def test_vocoder_trains_on_two_processes(tmp_path):
    import soundfile as sf
    from test_vocoder_training import TINY, _voice_like

    started = time.monotonic()
    (tmp_path / "wavs").mkdir()
    for i in range(5):
        sf.write(tmp_path / "wavs" / f"clip{i}.wav", _voice_like(0.8, 110 + 15 * i, i), 24000)
    (tmp_path / "metadata.csv").write_text("".join(f"clip{i}|a clip\n" for i in range(5)))
    config = yaml.safe_load(TINY.format(root=tmp_path))
    # 5 clips, 1 held out: 4 train in batches of 2, one per rank. Step 1 trains the generator alone,
    # steps 2 and 3 both networks (two optimizers, two backward passes per step).
    config["loss"]["gan_start_step"] = 1
    config["trainer"].update(DDP, max_steps=3, checkpoint_every=1, validate_every=3)
    path = tmp_path / "ddp.yaml"
    path.write_text(yaml.safe_dump(config))
    _launch("vocoder", path, tmp_path / "records")
    ranks = _ranks(tmp_path / "records")
    _check_ranks(ranks, tmp_path / "run" / "checkpoints" / "last.ckpt", train_size=4, epochs=3)
    assert int(ranks[0]["state"]["generator_step"]) == 3 and len(ranks[0]["optimizers"]) == 2
    done = [json.loads((tmp_path / "records" / f"done{r}.json").read_text()) for r in (0, 1)]
    assert done[0]["export"] == str(tmp_path / "run" / "export") and done[1]["export"] is None
    assert "val/mel_l1" in (tmp_path / "run" / "logs" / "version_0" / "metrics.csv").read_text()
    print(f"vocoder DDP: {time.monotonic() - started:.1f} s")


def _drive(kind: str, config: str, records: str) -> None:
    """One DDP process's training command, with a callback that writes what this rank saw."""
    import lightning as L

    import tts.training.run as acoustic_run
    import vocoder.training.run as vocoder_run
    from tts.data.batching import AcousticDataset
    from vocoder.training.data import AudioSegments

    state: dict = {"seen": []}

    def utterance(dataset, key) -> str:
        index = key[0] if isinstance(key, tuple) else key  # the vocoder's (index, epoch) crop keys
        return dataset.items[index].id if isinstance(dataset, AcousticDataset) else dataset.paths[index].stem

    def recording(get_item):
        def __getitem__(self, index):
            trainer = state.get("trainer")
            if trainer is not None and self is trainer.datamodule.train_set:
                state["seen"].append((trainer.current_epoch, utterance(self, index)))
            return get_item(self, index)

        return __getitem__

    AcousticDataset.__getitem__ = recording(AcousticDataset.__getitem__)
    AudioSegments.__getitem__ = recording(AudioSegments.__getitem__)

    class Record(L.Callback):
        def on_fit_start(self, trainer, module):
            state["trainer"] = trainer
            state["initial"] = {k: v.detach().clone() for k, v in module.state_dict().items()}

        def on_train_batch_start(self, trainer, module, batch, batch_idx):
            state.setdefault("rng", torch.random.get_rng_state())

        def on_train_end(self, trainer, module):
            train_set = trainer.datamodule.train_set
            torch.save(
                {
                    "rank": trainer.global_rank,
                    "world_size": trainer.world_size,
                    "strategy": type(trainer.strategy).__name__,
                    "pid": os.getpid(),
                    "seen": state["seen"],
                    "train_set": sorted(utterance(train_set, i) for i in range(len(train_set))),
                    "initial": state["initial"],
                    "rng": state["rng"],
                    "state": module.state_dict(),
                    "optimizers": [optimizer.state_dict() for optimizer in trainer.optimizers],
                },
                Path(records) / f"rank{trainer.global_rank}.pt",
            )

    def with_record(build):
        def build_trainer(*args, **kwargs):
            trainer = build(*args, **kwargs)
            trainer.callbacks.append(Record())
            return trainer

        return build_trainer

    acoustic_run.build_trainer = with_record(acoustic_run.build_trainer)
    vocoder_run.build_trainer = with_record(vocoder_run.build_trainer)
    if kind == "acoustic":
        export = acoustic_run.train_acoustic(acoustic_run.load_acoustic_config(config), progress=False)
    else:
        export = vocoder_run.train_vocoder(vocoder_run.load_vocoder_config(config), progress=False)
    rank = state["trainer"].global_rank
    (Path(records) / f"done{rank}.json").write_text(json.dumps({"export": None if export is None else str(export)}))


if __name__ == "__main__":
    _drive(*sys.argv[1:4])
