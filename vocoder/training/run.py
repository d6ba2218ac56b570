"""`tts train-vocoder CONFIG` and its export step, as functions the CLI and tests call."""

from __future__ import annotations

from pathlib import Path

import torch

from model_files.export import read_torch_weights, save_weights
from model_files.typed_config import from_dict, save_json, to_dict
from training.checkpoints import last_checkpoint, read_checkpoint
from training.runs import build_trainer, fit, load_training_config, start_run
from vocoder.training.config import VocoderTrainConfig
from vocoder.training.shrink import shrink_vocoder_state
from vocoder.vocos_model import VocosConfig, VocosVocoder

DISCRIMINATORS_FILE = "discriminators.safetensors"
"""Beside an export's generator, for training only: the discriminators of the run it came from, so a
fine-tune from the export starts against trained critics (fresh ones stay near chance for thousands
of steps, and the reconstruction loss alone rewards averaging). Inference never reads it."""
DDP_STRATEGIES = ("auto", "ddp", "ddp_spawn", "ddp_fork", "ddp_notebook")
"""Strategies that `train_vocoder` runs as their `..._find_unused_parameters_true` variant with several processes."""


def load_vocoder_config(path: str | Path, overrides: dict | None = None) -> VocoderTrainConfig:
    """Read a vocoder training YAML; `overrides` ({"trainer": {"max_steps": 10}}) are merged on top."""
    return load_training_config(VocoderTrainConfig, path, overrides)


def train_vocoder(config: VocoderTrainConfig, resume: bool = False, progress: bool = True, init_from: str | Path | None = None) -> Path | None:
    """Train (or resume) and export. Returns the export directory (`out_dir/export`); with several
    processes (DDP) rank 0 alone exports and the others return None.

    `init_from` starts a fresh run (new optimizers and schedule) from earlier weights: a
    train-vocoder checkpoint gives the generator and the discriminators, an exported vocoder the
    generator alone. A resumed run ignores it.
    """
    import lightning as L

    from vocoder.training.data import VocoderDataModule
    from vocoder.training.module import VocoderGAN

    out_dir = Path(config.trainer.out_dir)
    checkpoints = out_dir / "checkpoints"
    checkpoint = start_run(out_dir, resume, config.trainer.threads)
    save_json(to_dict(config), out_dir / "train_config.json")

    L.seed_everything(config.data.seed, workers=True, verbose=False)
    data = VocoderDataModule(config.data, config.model.mel)
    data.setup()
    source = f"acoustic-model mels from {config.data.mel_dir}" if config.data.mel_dir else "mels of the audio"
    print(f"vocoder data: {len(data.train_set)} train / {len(data.validation_set)} validation files ({source}); {data.report.summary()}")
    module = VocoderGAN.from_config(config)
    if checkpoint is None and init_from is not None:
        print(f"initial weights: {', '.join(load_initial_weights(module, init_from))} from {init_from}")
    arguments = {
        "step_of": lambda t, m: int(m.generator_step),
        "max_epochs": -1,  # the module stops itself after trainer.max_steps generator steps
        "max_steps": -1,
    }
    trainer = build_trainer(config.trainer, out_dir, progress, config.data.seed, **arguments)
    if trainer.world_size > 1 and config.trainer.strategy in DDP_STRATEGIES:
        # Each GAN step leaves a network out of a backward pass (the generator out of the discriminators'
        # update, the discriminators out of the reconstruction-only steps): DDP must be told to expect it.
        strategy = "ddp" if config.trainer.strategy == "auto" else config.trainer.strategy
        trainer = build_trainer(config.trainer, out_dir, progress, config.data.seed, strategy=f"{strategy}_find_unused_parameters_true", **arguments)
    fit(trainer, module, data, checkpoint)
    if not trainer.is_global_zero:
        return None
    return export_vocoder(last_checkpoint(checkpoints), out_dir / "export")


def load_initial_weights(module, source: str | Path) -> list[str]:
    """Copy a checkpoint's generator and discriminators (or an export's generator, with its
    `discriminators.safetensors` where it has one) into a fresh `VocoderGAN`. The discriminators
    must match the config's; a generator with more blocks or wider feed-forward layers than the
    config's, and otherwise the same, is pruned into it (vocoder.training.shrink). Returns what was
    loaded."""
    source = Path(source)
    target = module.config.model
    if source.is_dir():
        teacher = VocosVocoder.load(source)
        loaded, config = {"generator": teacher.state_dict()}, teacher.config
        if (source / DISCRIMINATORS_FILE).is_file() and len(module.discriminators.state_dict()):
            loaded["discriminators"] = read_torch_weights(source / DISCRIMINATORS_FILE)
    else:
        state = read_checkpoint(source)
        loaded = {}
        for name in ("generator", "discriminators"):
            weights = _prefixed(state["state_dict"], f"{name}.")
            if weights and len(getattr(module, name).state_dict()):
                loaded[name] = weights
        if "generator" not in loaded:
            raise ValueError(f"{source} holds no generator weights")
        try:
            config = from_dict(VocosConfig, state["hyper_parameters"]["config"]["model"], "model")
        except (KeyError, TypeError):
            raise ValueError(f"{source} is not a vocoder training checkpoint (no hyper_parameters.config.model)") from None
    pruned = config != target
    if pruned:
        try:
            loaded["generator"] = shrink_vocoder_state(loaded["generator"], config, target)
        except ValueError as error:
            raise ValueError(f"--init-from {source}: its generator does not fit the config's ({error})") from None
    for name, weights in loaded.items():
        try:
            getattr(module, name).load_state_dict(weights)
        except RuntimeError as error:
            raise ValueError(f"--init-from {source}: its {name} do not fit the config's {name} section ({str(error).splitlines()[0]})") from None
    generator = f"generator (pruned from {config.dim}x{config.intermediate_dim}x{config.num_layers})" if pruned else "generator"
    return [generator if name == "generator" else name for name in loaded]


def export_vocoder(checkpoint: str | Path, out_dir: str | Path, dtype: torch.dtype = torch.float32, discriminators: bool = False) -> Path:
    """Training checkpoint -> `config.json` + `model.safetensors` (the generator, stored as `dtype`),
    loadable without Lightning. `discriminators` also writes the run's discriminators
    (`discriminators.safetensors`, same dtype), for fine-tunes that start from this export."""
    state = read_checkpoint(checkpoint)
    try:
        config = state["hyper_parameters"]["config"]
    except (KeyError, TypeError):
        raise ValueError(f"{checkpoint} is not a vocoder training checkpoint (no hyper_parameters.config)") from None
    vocoder = VocosVocoder(from_dict(VocosConfig, config["model"], "model"))
    vocoder.load_state_dict(_prefixed(state["state_dict"], "generator."))
    out = vocoder.save(out_dir, dtype)
    if discriminators:
        critics = _prefixed(state["state_dict"], "discriminators.")
        if not critics:
            raise ValueError(f"{checkpoint} holds no discriminators to export")
        save_weights(critics, out / DISCRIMINATORS_FILE, dtype)
    else:
        # An earlier export's discriminators belong to another generator: a fine-tune must not meet them.
        (out / DISCRIMINATORS_FILE).unlink(missing_ok=True)
    return out


def _prefixed(state: dict, prefix: str) -> dict:
    """The entries of a state dict under `prefix`, with it removed."""
    return {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}

