"""`AcousticLightning`: trains an `AcousticModel` (EMA weights, warm-up + cosine LR, gradient clipping).

Each step logs the duration, prior and flow losses and the objective's boundary/consistency terms;
with `adversarial.weight` > 0 a mel critic is trained beside the model and its losses on the 1-step
output join the generator's (tts.training.mel_critic).
Validation synthesizes with the EMA model at 1 and 2 flow-map steps, with the aligned durations so
frames line up, and logs the mel L1 against the target; a few utterances are also synthesized with
predicted durations and saved as audio through the configured vocoder.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import lightning as L
import numpy as np
import torch
from torch.optim.swa_utils import AveragedModel

from model_files.typed_config import from_dict
from training.schedule import warmup_cosine
from tts.engine.torch_engine import TorchAcoustic
from tts.flow.objectives import FlowMapObjective, ObjectiveConfig
from tts.model.acoustic import AcousticModel
from tts.training.config import AcousticTrainConfig
from tts.training.losses import align, distillation_loss, loss_terms, one_step

JVP_METHOD = "meanflow"


def ema_average(decay: float):
    """AveragedModel avg_fn: EMA whose decay ramps (1 + n) / (10 + n) -> `decay`, so early EMAs track training."""

    def average(averaged: torch.Tensor, current: torch.Tensor, num_averaged: torch.Tensor) -> torch.Tensor:
        n = float(num_averaged)
        rate = min(decay, (1 + n) / (10 + n))
        return rate * averaged + (1 - rate) * current

    return average


def check_distributed(method: str, world_size: int) -> None:
    """The JVP objective is not verified to sync gradients under DDP: refuse rather than train wrongly."""
    if method == JVP_METHOD and world_size > 1:
        raise ValueError(
            "flow.objective.method 'meanflow' (torch.func.jvp) is not supported with more than one process; "
            "use 'splitmeanflow', which needs no JVP and trains under DDP"
        )


class AcousticLightning(L.LightningModule):
    def __init__(self, config: dict, extra: dict):
        super().__init__()
        # Plain dicts only: checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters({"config": config, "extra": extra})
        self.config = from_dict(AcousticTrainConfig, config)
        self.model = AcousticModel(self.config.model)
        self.model.extra = extra
        self.ema = AveragedModel(self.model, avg_fn=ema_average(self.config.optim.ema_decay), use_buffers=True)
        self.ema.requires_grad_(False)
        flow = self.config.flow
        self.objective = FlowMapObjective(flow.objective)
        self.teacher = None
        if flow.schedule == "two_stage":
            self.stage_one = FlowMapObjective(ObjectiveConfig(method="flow_matching", time=flow.objective.time))
            # The teacher's slot exists from the start so checkpoints always have the same keys;
            # it is filled from the EMA decoder when distillation begins.
            self.teacher = AcousticModel(self.config.model).decoder.requires_grad_(False)
            self.register_buffer("teacher_ready", torch.zeros((), dtype=torch.bool))
        self.critic = None
        adversarial = self.config.adversarial
        if adversarial.weight > 0:
            from tts.training.mel_critic import MelCritic

            self.critic = MelCritic(adversarial.channels)
            # The critic has its own optimizer, stepped inside training_step, so the model's optimizer,
            # schedule, step count and gradient clipping stay Lightning's, as without a critic.
            self._critic_optimizer = torch.optim.AdamW(self.critic.parameters(), lr=adversarial.learning_rate, betas=(0.8, 0.99))
            self._critic_state = None
        self.set_sample_vocoder(None)
        # The distillation teacher is read from its export, kept out of the registry like the sample
        # vocoder: it is not trained, and checkpoints stay the student's alone.
        teacher = self._distillation_teacher()
        object.__setattr__(self, "_teacher_decoder", None if teacher is None else teacher.decoder)
        # An encoder student also learns the teacher's prior mean and durations (losses.loss_terms).
        mine = self.config.model.encoder
        distilling_encoder = teacher is not None and teacher.config.encoder != replace(mine, dropout=teacher.config.encoder.dropout)
        if distilling_encoder:
            self._check_prior_teacher(teacher, extra)
        object.__setattr__(self, "_prior_teacher", teacher if distilling_encoder else None)

    def _check_prior_teacher(self, teacher: AcousticModel, extra: dict) -> None:
        """An encoder is taught in the teacher's units: the same phoneme ids and mel normalization."""
        mine, theirs = self.config.model, teacher.config
        same_symbols = teacher.extra.get("frontend", {}).get("symbols") == extra.get("frontend", {}).get("symbols")
        if (theirs.n_vocab, theirs.mel_mean, theirs.mel_std) != (mine.n_vocab, mine.mel_mean, mine.mel_std) or not same_symbols:
            raise ValueError(
                f"distill.teacher {self.config.distill.teacher}: an encoder is distilled from a model of the same symbol table and mel "
                "normalization; start the run from it (--init-from)"
            )

    def _distillation_teacher(self) -> AcousticModel | None:
        """The frozen model of `distill.teacher` (checked against the student), or None."""
        path = self.config.distill.teacher
        if path is None:
            return None
        teacher = AcousticModel.load(path)
        mine, theirs = self.config.model, teacher.config
        if theirs.mel != mine.mel or theirs.n_speakers != mine.n_speakers or (theirs.prosody.enabled and not mine.prosody.enabled):
            raise ValueError(f"distill.teacher {path}: its mel settings, speakers or prosody input do not fit the student's")
        return teacher.requires_grad_(False).eval()

    def set_sample_vocoder(self, vocoder) -> None:
        """The vocoder that voices validation samples (loaded at the first validation if None).

        Kept out of nn.Module's registry: it is not part of the model, so it must not enter
        checkpoints or move with the module.
        """
        object.__setattr__(self, "_sample_vocoder", vocoder)

    def on_load_checkpoint(self, checkpoint: dict) -> None:
        # Checkpoints written before the sample vocoder was kept out of the registry hold its weights.
        state = checkpoint["state_dict"]
        for key in [k for k in state if k.startswith("_vocoder.")]:
            del state[key]
        critic_keys = [k for k in state if k.startswith("critic.")]
        if self.critic is None:
            for key in critic_keys:  # a run resumed with the critic turned off continues without it
                del state[key]
        elif not critic_keys:  # ... and one resumed with it turned on starts a fresh critic
            state.update({f"critic.{k}": v for k, v in self.critic.state_dict().items()})
        if self.critic is not None:
            # Loaded at the start of fit, once the critic is on its device (this hook runs before).
            self._critic_state = checkpoint.get("critic_optimizer")

    def on_fit_start(self) -> None:
        if self.critic is not None and self._critic_state is not None:
            self._critic_optimizer.load_state_dict(self._critic_state)
            self._critic_state = None

    def on_save_checkpoint(self, checkpoint: dict) -> None:
        if self.critic is not None:
            checkpoint["critic_optimizer"] = self._critic_optimizer.state_dict()

    def setup(self, stage: str) -> None:
        world_size = self.trainer.world_size if self._trainer else 1
        check_distributed(self.config.flow.objective.method, world_size)
        if self.critic is not None and world_size > 1:
            # The critic's update bypasses DDP's gradient hooks, so replicas' critics would drift apart.
            raise ValueError("adversarial post-training (adversarial.weight > 0) runs in one process; set trainer.devices: 1")

    def configure_optimizers(self):
        optim = self.config.optim
        groups = self._parameter_groups(self._trained_parameters(optim.frozen), optim.learning_rate, optim.lr_scales)
        optimizer = torch.optim.AdamW(groups, lr=optim.learning_rate, betas=optim.betas, weight_decay=optim.weight_decay)
        schedule = warmup_cosine(optimizer, optim.warmup_steps, self.config.trainer.max_steps, optim.min_lr_ratio)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}

    def _trained_parameters(self, frozen: tuple[str, ...]) -> list[torch.nn.Parameter]:
        """The model's parameters less those of the `frozen` parts, which are held still."""
        parts = dict(self.model.named_children())
        unknown = [name for name in frozen if parts.get(name) is None]
        if unknown:
            raise ValueError(f"optim.frozen: no part named {', '.join(unknown)} in this model (it has {', '.join(n for n, m in parts.items() if m is not None)})")
        for name in frozen:
            parts[name].requires_grad_(False)
        trained = [p for p in self.model.parameters() if p.requires_grad]
        if not trained:
            raise ValueError("optim.frozen holds every part of the model still: nothing would train")
        return trained

    def _parameter_groups(self, trained: list[torch.nn.Parameter], learning_rate: float, scales: dict[str, float]) -> list[dict]:
        """AdamW's groups: the parameters under each `scales` prefix at learning_rate × its scale (the
        longest matching prefix wins), the rest at learning_rate. The schedule scales every group alike."""
        names = {id(p): n for n, p in self.model.named_parameters()}

        def under(name: str, prefix: str) -> bool:
            return name == prefix or name.startswith(prefix + ".")

        unmatched = [prefix for prefix in scales if not any(under(n, prefix) for n in names.values())]
        if unmatched:
            raise ValueError(f"optim.lr_scales: no parameter under {', '.join(unmatched)} in this model")
        by_scale: dict[float, list[torch.nn.Parameter]] = {}
        for parameter in trained:
            name = names[id(parameter)]
            matches = [prefix for prefix in scales if under(name, prefix)]
            scale = scales[max(matches, key=len)] if matches else 1.0
            by_scale.setdefault(scale, []).append(parameter)
        return [{"params": params, "lr": learning_rate * scale} for scale, params in sorted(by_scale.items())]

    def _objective_and_teacher(self):
        flow = self.config.flow
        if flow.schedule != "two_stage":
            return self.objective, None
        if self.global_step < flow.distill_start_step:
            return self.stage_one, None
        if not bool(self.teacher_ready):
            self.teacher.load_state_dict(self.ema.module.decoder.state_dict())
            self.teacher_ready.fill_(True)
        teacher = self.teacher.eval()
        return self.objective, lambda z, r, t, mu, mask, speaker=None, prosody=None: teacher(z, r, t, mu=mu, mask=mask, speaker=speaker, prosody=prosody)

    def training_step(self, batch: dict, batch_idx: int) -> torch.Tensor:
        objective, teacher = self._objective_and_teacher()
        prior_teacher = None if self._prior_teacher is None else self._prior_teacher.to(batch["mel"].device)
        terms, crops = loss_terms(
            self.model, batch["ids"], batch["id_lengths"], batch["mel"], batch["mel_lengths"], objective, speakers=self._speakers(batch), teacher=teacher,
            f0=batch.get("f0"), prior_teacher=prior_teacher,
        )
        loss = terms["duration"] + terms["prior"] + terms["flow"] + terms.get("prosody", 0.0)
        if prior_teacher is not None:
            distill = self.config.distill
            loss = loss + distill.prior_weight * terms["distill_prior"] + distill.duration_weight * terms["distill_duration"]
        if self.critic is not None:
            loss = loss + self._adversarial_terms(crops, terms)
        if self._teacher_decoder is not None:
            distill = self.config.distill
            temperature = _temperatures(distill.temperatures, crops.target)
            terms["distill"] = distillation_loss(self.model, self._teacher_decoder.to(crops.target.device), crops, temperature)
            loss = loss + distill.weight * terms["distill"]
        size = batch["ids"].shape[0]
        self.log_dict({f"train/{k}": v.detach() for k, v in terms.items()}, on_step=True, batch_size=size)
        self.log("train/loss", loss.detach(), on_step=True, prog_bar=True, batch_size=size)
        return loss

    def _adversarial_terms(self, crops, terms: dict) -> torch.Tensor:
        """One critic update on this batch's 1-step samples, then the generator's adversarial loss
        (added to `terms` for logging; zero before `adversarial.start_step`)."""
        from tts.training.mel_critic import critic_loss, generator_losses

        settings = self.config.adversarial
        temperature = _temperatures(settings.temperatures, crops.target)
        pushing = self.global_step >= settings.start_step
        with torch.set_grad_enabled(pushing):  # before start_step the samples only teach the critic
            fake = one_step(self.model, crops, temperature)
        # The critic's input only: the generator's losses reach the decoder and, through its prior
        # mean, the encoder, as the flow-map losses do.
        mu = crops.mu.detach()
        # In float32 and outside the model's backward: its gradients are its own update.
        with torch.autocast(crops.target.device.type, enabled=False):
            critic = critic_loss(self.critic, crops.target.float(), fake.float(), mu.float(), crops.mask.float())
            gradients = torch.autograd.grad(critic, list(self.critic.parameters()))
        for parameter, gradient in zip(self.critic.parameters(), gradients):
            parameter.grad = gradient
        clip = self.config.optim.gradient_clip
        norm = torch.nn.utils.clip_grad_norm_(self.critic.parameters(), clip if clip > 0 else float("inf"))
        if torch.isfinite(norm):  # an overflowing step is skipped, not allowed to poison the critic
            self._critic_optimizer.step()
        self._critic_optimizer.zero_grad(set_to_none=True)
        terms["critic"] = critic.detach()
        if not pushing:
            return fake.new_zeros(())
        self.critic.requires_grad_(False)  # the generator's backward needs no critic gradients
        try:
            adversarial, features = generator_losses(self.critic, crops.target, fake, mu, crops.mask)
        finally:
            self.critic.requires_grad_(True)
        terms["adversarial"], terms["feature_matching"] = adversarial.detach(), features.detach()
        return settings.weight * adversarial + settings.feature_matching * features

    def _speakers(self, batch: dict):
        return batch["speakers"] if self.config.model.n_speakers > 1 else None

    def optimizer_step(self, *args, **kwargs) -> None:
        super().optimizer_step(*args, **kwargs)
        # The EMA follows each update here, not in on_train_batch_end: Lightning runs callbacks' batch-end
        # hooks (the checkpoint's) before the module's, so a checkpoint would miss the step's average.
        self.ema.update_parameters(self.model)

    def validation_step(self, batch: dict, batch_idx: int) -> None:
        model = self.ema.module.eval()
        speakers = self._speakers(batch)
        durations = align(model, batch["ids"], batch["id_lengths"], batch["mel"], batch["mel_lengths"], speakers)
        size = batch["ids"].shape[0]
        engine, id_lists = TorchAcoustic(model, self.device), _id_lists(batch)
        for steps in (1, 2):
            # One speaker per engine call: the validation batch is spoken item by item when speakers differ.
            mels = [engine.synthesize(ids, steps=steps, speaker=speaker, seed=batch_idx, durations=frames)[0] for ids, speaker, frames in _by_speaker(id_lists, speakers, durations)]
            mel = torch.from_numpy(_pad_cat(mels)).to(self.device)
            lengths = durations.sum(dim=1)
            mask = (torch.arange(mel.shape[-1], device=mel.device)[None, :] < lengths[:, None])[:, None, :]
            l1 = ((mel - batch["mel"][..., : mel.shape[-1]]).abs() * mask).sum() / (mask.sum() * mel.shape[1])
            self.log(f"val/mel_l1_{steps}step", l1, batch_size=size, sync_dist=True)
        saving = self.config.trainer.validation_samples > 0 and self.trainer.is_global_zero and not self.trainer.sanity_checking
        if batch_idx == 0 and saving:
            self._save_samples(model, batch, speakers)

    def _save_samples(self, model: AcousticModel, batch: dict, speakers) -> None:
        from vocoder.audio_io import save_audio
        from vocoder.loading import load_vocoder

        if self._sample_vocoder is None:
            self.set_sample_vocoder(load_vocoder(self.config.trainer.vocoder))
        vocoder = self._sample_vocoder.to(self.device)
        directory = Path(self.config.trainer.out_dir) / "samples"
        directory.mkdir(parents=True, exist_ok=True)
        count = min(self.config.trainer.validation_samples, batch["ids"].shape[0])
        engine = TorchAcoustic(model, self.device)
        for steps in (1, 2):
            for i, ids in enumerate(_id_lists(batch)[:count]):
                mel, lengths = engine.synthesize([ids], steps=steps, speaker=None if speakers is None else int(speakers[i]), seed=0)
                audio = vocoder.decode(torch.from_numpy(mel).to(self.device))
                samples = audio[0, : lengths[0] * vocoder.hop_length].float().cpu().numpy()
                save_audio(directory / f"step{self.global_step:07d}_{i}_{steps}step.wav", samples, vocoder.sample_rate)


def _temperatures(bounds: tuple[float, float], target: torch.Tensor) -> torch.Tensor:
    """A noise temperature per item of a batch `target` (B, ...), drawn uniformly between `bounds`."""
    low, high = bounds
    return low + (high - low) * torch.rand(target.shape[0], device=target.device)


def _id_lists(batch: dict) -> list[list[int]]:
    """A batch's padded ids (B, N) -> each item's ids."""
    return [row[: int(n)].tolist() for row, n in zip(batch["ids"], batch["id_lengths"])]


def _by_speaker(id_lists: list[list[int]], speakers, durations: torch.Tensor):
    """(ids, speaker, durations) per engine call: the whole batch, or item by item with several speakers."""
    frames = durations.cpu().numpy()
    if speakers is None:
        return [(id_lists, None, frames)]
    return [([ids], int(speaker), frames[i : i + 1, : len(ids)]) for i, (ids, speaker) in enumerate(zip(id_lists, speakers))]


def _pad_cat(mels: list) -> np.ndarray:
    """Mel batches (B_i, n_mels, T_i) -> one (sum B_i, n_mels, max T_i), zero-padded."""
    frames = max(mel.shape[-1] for mel in mels)
    return np.concatenate([np.pad(mel, ((0, 0), (0, 0), (0, frames - mel.shape[-1]))) for mel in mels])
