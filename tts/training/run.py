"""`tts train CONFIG` and `tts export CKPT OUT_DIR` for the acoustic model, as functions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch

from model_files.typed_config import from_dict, save_json, to_dict
from training.checkpoints import last_checkpoint, read_checkpoint
from training.runs import build_trainer, fit, load_training_config, start_run
from tts.model.acoustic import AcousticModel
from tts.model.config import AcousticConfig
from tts.model.voice_config import VoiceConfig
from tts.training.config import AcousticTrainConfig
from tts.training.shrink import shrink_decoder_state, shrink_encoder_state


def load_acoustic_config(path: str | Path, overrides: dict | None = None) -> AcousticTrainConfig:
    """Read a training YAML; `overrides` ({"trainer": {"max_steps": 10}}) are merged on top."""
    return load_training_config(AcousticTrainConfig, path, overrides)


def train_acoustic(config: AcousticTrainConfig, resume: bool = False, progress: bool = True, init_from: str | Path | None = None) -> Path | None:
    """Build the feature cache (or read the feature packs), train (or resume), and export the EMA weights
    to `out_dir/export`. With several processes (DDP) rank 0 alone exports; the others return None.

    `init_from`, an exported acoustic model, starts a fresh run from its weights (fine-tuning, or
    continuing on another machine); its architecture, vocabulary and normalization are kept, so the
    config's `model` section must describe the same network.
    """
    import lightning as L

    from tts.training.data import AcousticDataModule
    from tts.training.module import AcousticLightning

    out_dir = Path(config.trainer.out_dir)
    checkpoints = out_dir / "checkpoints"
    checkpoint = start_run(out_dir, resume, config.trainer.threads)
    # Fail now, not at the first validation hours into the run, if the sample vocoder cannot load.
    sample_vocoder = _sample_vocoder(config)

    frontend = None
    if not config.data.feature_packs:
        from text import TextFrontend

        frontend = TextFrontend()
    pitch = _trains_prosody(config, checkpoint, init_from)
    data = AcousticDataModule(config.data, config.model.mel, frontend, config.data.cache_dir or out_dir / "features", progress, pitch=pitch)
    data.prepare()
    print(f"acoustic data: {len(data.train_set)} train / {len(data.validation_set)} validation utterances; {data.report.summary()}")
    initial = None
    if checkpoint is not None:
        # The architecture, vocabulary and normalization are those the run started with.
        saved = read_checkpoint(checkpoint)["hyper_parameters"]
        model_config = from_dict(AcousticConfig, saved["config"]["model"], "model")
        extra = saved["extra"]
    elif init_from is not None:
        initial = _initial_model(init_from, config.model, data.frontend_config, thinner=config.distill.teacher is not None)
        # A model that gains prosody conditioning keeps every weight it had; the new parts start at
        # zero in the decoder (so it speaks as before) and fresh in the predictor.
        model_config = replace(initial.config, prosody=config.model.prosody) if config.model.prosody.enabled else initial.config
        # A distilled student may have a thinner decoder or encoder than the model it starts from.
        model_config = replace(model_config, decoder=config.model.decoder, encoder=config.model.encoder)
        # The export counts the steps behind its weights, the initial model's included.
        steps_before = int(initial.extra.get("training", {}).get("steps", 0))
        extra = {"frontend": initial.extra["frontend"], "speakers": initial.extra.get("speakers", []), "steps_before": steps_before}
    else:
        mean, std = data.statistics()
        frontend_config = data.frontend_config  # asks espeak-ng its version: once
        n_vocab = len(frontend_config["symbols"])
        model_config = replace(config.model, n_vocab=n_vocab, n_speakers=max(1, len(data.speakers)), mel_mean=round(mean, 4), mel_std=round(std, 4))
        extra = {"frontend": frontend_config, "speakers": data.speakers}
    config = replace(config, model=model_config)
    save_json(to_dict(config), out_dir / "train_config.json")

    L.seed_everything(config.data.seed, workers=True, verbose=False)
    module = AcousticLightning(to_dict(config), extra)
    if initial is not None:
        state = initial.state_dict()
        if initial.config.decoder != model_config.decoder:
            state = shrink_decoder_state(state, initial.config.decoder, model_config.decoder, config.distill.blocks)
        if initial.config.encoder != model_config.encoder:
            state = shrink_encoder_state(state, initial.config.encoder, model_config.encoder)
        for model in (module.model, module.ema.module):
            _load_initial_weights(model, state)
    module.set_sample_vocoder(sample_vocoder)
    trainer = build_trainer(
        config.trainer,
        out_dir,
        progress,
        config.data.seed,
        max_steps=config.trainer.max_steps,
        gradient_clip_val=config.optim.gradient_clip,
    )
    fit(trainer, module, data, checkpoint)
    if not trainer.is_global_zero:
        return None
    return export_acoustic(last_checkpoint(checkpoints), out_dir / "export")


def pack_features(config: AcousticTrainConfig, out: str | Path, parts: int = 1) -> list[Path]:
    """Featurize `config.data.metadata` into the feature cache (as `train_acoustic` would), then write
    every usable utterance to feature-pack files (`tts.data.feature_pack`)."""
    from text import TextFrontend
    from tts.data.feature_pack import write_feature_packs
    from tts.training.data import AcousticDataModule

    if config.data.feature_packs:
        raise ValueError("this config already trains from feature packs; pack from a config that reads metadata and audio")
    data = AcousticDataModule(config.data, config.model.mel, TextFrontend(), config.data.cache_dir or Path(config.trainer.out_dir) / "features")
    data.prepare()
    print(f"packing {len(data.items)} utterances; {data.report.summary()}")
    # The training machine redoes the seeded split from the packing order: pack in the cache's order.
    return write_feature_packs(data.cache, data.items, out, parts)


def _sample_vocoder(config: AcousticTrainConfig):
    """The vocoder for validation audio, or None when no samples are asked for (`validation_samples: 0`)."""
    if config.trainer.validation_samples <= 0:
        return None
    from vocoder.loading import load_vocoder

    return load_vocoder(config.trainer.vocoder)


def _trains_prosody(config: AcousticTrainConfig, checkpoint: Path | None, init_from) -> bool:
    """Whether the model this run trains has prosody conditioning (so its batches need F0): the
    checkpoint's when resuming, else the config's or the initial export's."""
    if checkpoint is not None:
        return bool(read_checkpoint(checkpoint)["hyper_parameters"]["config"]["model"].get("prosody", {}).get("enabled", False))
    if config.model.prosody.enabled:
        return True
    return init_from is not None and VoiceConfig.read(init_from).model.prosody.enabled


GROWN = ("prosody_predictor.", "decoder.prosody.", "decoder.harmonics.")
"""Parts a model may gain over the export it starts from (`init_from`)."""


def _load_initial_weights(model: AcousticModel, state: dict[str, torch.Tensor]) -> None:
    missing, unexpected = model.load_state_dict(state, strict=False)
    lost = [key for key in missing if not key.startswith(GROWN)]
    if lost or unexpected:
        raise ValueError(f"the initial model does not fit the config's: missing {lost[:5]}, unexpected {list(unexpected)[:5]}")


def _initial_model(path: str | Path, wanted: AcousticConfig, frontend: dict, thinner: bool = False) -> AcousticModel:
    """The exported model to start from, checked against the config's network and the data's frontend.
    `thinner`: the config's decoder and encoder may be pruned ones of the model's (distillation)."""
    model = AcousticModel.load(path)
    for part in ("encoder", "duration", "decoder"):
        if part in ("encoder", "decoder") and thinner:
            continue  # shrink_decoder_state and shrink_encoder_state check that the two fit
        if getattr(model.config, part) != getattr(wanted, part):
            raise ValueError(f"{path}: its {part} is {getattr(model.config, part)}, the config asks for {getattr(wanted, part)}")
    if model.extra.get("frontend", {}).get("symbols") != frontend["symbols"]:
        raise ValueError(f"{path} was trained with another symbol table than the training data's")
    return model.float()


def export_acoustic(checkpoint: str | Path, out_dir: str | Path, dtype: torch.dtype = torch.float32, synthesis: dict | None = None) -> Path:
    """Training checkpoint -> config.json + model.safetensors holding the EMA weights (no Lightning needed to load).

    `synthesis`: the voice's default options (see `tts.synthesis.options.VOICE_DEFAULTS`), e.g. {"temperature": 0.0}.
    """
    from tts.synthesis.options import voice_defaults

    if synthesis:
        voice_defaults(synthesis)  # refuse bad values now rather than when the voice is loaded
    state = read_checkpoint(checkpoint)
    try:
        hyper = state["hyper_parameters"]
        model = AcousticModel(from_dict(AcousticConfig, hyper["config"]["model"], "model"))
    except (KeyError, TypeError):
        raise ValueError(f"{checkpoint} is not an acoustic-model training checkpoint") from None
    prefix = "ema.module."
    model.load_state_dict({k[len(prefix) :]: v for k, v in state["state_dict"].items() if k.startswith(prefix)})
    model.extra = dict(hyper["extra"])
    steps = int(state.get("global_step", 0)) + int(model.extra.pop("steps_before", 0))
    model.extra["training"] = {"steps": steps, "flow": hyper["config"]["flow"]}
    if synthesis:
        model.extra["synthesis"] = dict(synthesis)
    return model.save(out_dir, dtype)
