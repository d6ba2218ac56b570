"""`tts train CONFIG` and `tts export CKPT OUT_DIR` for the acoustic model, as functions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch

from tts.config import from_dict, save_json, to_dict
from tts.model.acoustic import AcousticModel
from tts.model.config import AcousticConfig
from tts.training.acoustic_config import AcousticTrainConfig
from tts.training.checkpointing import last_checkpoint
from tts.training.runs import build_trainer, fit, load_training_config, start_run


def load_acoustic_config(path: str | Path, overrides: dict | None = None) -> AcousticTrainConfig:
    """Read a training YAML; `overrides` ({"trainer": {"max_steps": 10}}) are merged on top."""
    return load_training_config(AcousticTrainConfig, path, overrides)


def train_acoustic(config: AcousticTrainConfig, resume: bool = False, progress: bool = True) -> Path:
    """Build the feature cache, train (or resume), and export the EMA weights to `out_dir/export`."""
    import lightning as L

    from text import TextFrontend
    from tts.training.acoustic import AcousticLightning
    from tts.training.acoustic_data import AcousticDataModule
    from vocoder.loading import load_vocoder

    out_dir = Path(config.trainer.out_dir)
    checkpoints = out_dir / "checkpoints"
    checkpoint = start_run(out_dir, resume, config.trainer.threads)
    # Fail now, not at the first validation hours into the run, if the sample vocoder cannot load.
    sample_vocoder = load_vocoder(config.trainer.vocoder)

    frontend = TextFrontend()
    data = AcousticDataModule(config.data, config.model.mel, frontend, config.data.cache_dir or out_dir / "features", progress)
    data.prepare()
    print(f"acoustic data: {len(data.train_set)} train / {len(data.validation_set)} validation utterances; {data.report.summary()}")
    if checkpoint is not None:
        # The architecture, vocabulary and normalization are those the run started with.
        saved = torch.load(checkpoint, map_location="cpu", weights_only=True)["hyper_parameters"]
        model_config = from_dict(AcousticConfig, saved["config"]["model"], "model")
        extra = saved["extra"]
    else:
        mean, std = data.cache.statistics(data.train_set.items)
        model_config = replace(
            config.model, n_vocab=len(frontend.symbols), n_speakers=max(1, len(data.speakers)), mel_mean=round(mean, 4), mel_std=round(std, 4)
        )
        extra = {"frontend": frontend.config(), "speakers": data.speakers}
    config = replace(config, model=model_config)
    save_json(to_dict(config), out_dir / "train_config.json")

    L.seed_everything(config.data.seed, workers=True, verbose=False)
    module = AcousticLightning(to_dict(config), extra)
    module.set_sample_vocoder(sample_vocoder)
    trainer = build_trainer(
        config.trainer,
        out_dir,
        progress,
        max_steps=config.trainer.max_steps,
        num_nodes=config.trainer.num_nodes,
        strategy=config.trainer.strategy,
        gradient_clip_val=config.optim.gradient_clip,
        # The length-bucketing sampler shards batches across ranks itself.
        use_distributed_sampler=False,
    )
    fit(trainer, module, data, checkpoint)
    return export_acoustic(last_checkpoint(checkpoints), out_dir / "export")


def export_acoustic(checkpoint: str | Path, out_dir: str | Path, dtype: torch.dtype = torch.float32) -> Path:
    """Training checkpoint -> config.json + model.safetensors holding the EMA weights (no Lightning needed to load)."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=True)
    try:
        hyper = state["hyper_parameters"]
        model = AcousticModel(from_dict(AcousticConfig, hyper["config"]["model"], "model"))
    except KeyError:
        raise ValueError(f"{checkpoint} is not an acoustic-model training checkpoint") from None
    prefix = "ema.module."
    model.load_state_dict({k[len(prefix) :]: v for k, v in state["state_dict"].items() if k.startswith(prefix)})
    model.extra = dict(hyper["extra"])
    model.extra["training"] = {"steps": int(state.get("global_step", 0)), "flow": hyper["config"]["flow"]}
    return model.save(out_dir, dtype)
