"""`VocoderGAN`: the Lightning 2 module that trains a `VocosVocoder` (manual optimisation, two optimizers).

vocos 0.1.0's own `VocosExp` targets Lightning 1.x (`optimizer_idx`, `validation_epoch_end`) and does
not run on Lightning 2, so this module re-assembles the package's pieces: backbone + ISTFT head,
multi-period and multi-resolution discriminators, and its mel, hinge and feature-matching losses.
Optional reconstruction-only warm-up (`loss.gan_start_step`) keeps the first steps cheap on a CPU.
"""

from __future__ import annotations

from pathlib import Path

import lightning as L
import torch

from model_files.typed_config import from_dict, to_dict
from training.schedule import warmup_cosine
from vocoder.features import LogMelSpectrogram
from vocoder.training.config import VocoderTrainConfig
from vocoder.training.discriminators import build_discriminators
from vocoder.training.losses import MultiResolutionSTFTLoss
from vocoder.vocos_model import VocosVocoder


class VocoderGAN(L.LightningModule):
    """Batch: audio (B, N), or (audio, mel) pairs -> generator + discriminator updates.
    Hyperparameters are a plain dict."""

    def __init__(self, config: dict):
        super().__init__()
        # A plain dict keeps checkpoints loadable with torch.load(weights_only=True).
        self.save_hyperparameters({"config": config})
        self.config = from_dict(VocoderTrainConfig, config)
        self.automatic_optimization = False
        self.generator = VocosVocoder(self.config.model)
        self.features = LogMelSpectrogram(self.config.model.mel)
        self.discriminators = build_discriminators(self.config.discriminators)
        from vocos.loss import (
            DiscriminatorLoss,
            FeatureMatchingLoss,
            GeneratorLoss,
            MelSpecReconstructionLoss,
        )

        mel = self.config.model.mel
        self.mel_loss = MelSpecReconstructionLoss(mel.sample_rate, mel.n_fft, mel.hop_length, mel.n_mels)
        self.stft_loss = MultiResolutionSTFTLoss()
        self.generator_loss, self.discriminator_loss, self.feature_loss = GeneratorLoss(), DiscriminatorLoss(), FeatureMatchingLoss()
        # Lightning's global_step counts every optimizer's steps; this counts training steps: generator
        # updates, and the discriminator-only warm-up steps before them.
        self.register_buffer("generator_step", torch.zeros((), dtype=torch.long))

    @classmethod
    def from_config(cls, config: VocoderTrainConfig) -> "VocoderGAN":
        return cls(to_dict(config))

    @property
    def gan_active(self) -> bool:
        return len(self.discriminators) > 0 and int(self.generator_step) >= self.config.loss.gan_start_step

    @property
    def generator_frozen(self) -> bool:
        """Inside the discriminator-only warm-up (`loss.discriminator_warmup_steps`)."""
        start = self.config.loss.gan_start_step
        return self.gan_active and int(self.generator_step) < start + self.config.loss.discriminator_warmup_steps

    def configure_optimizers(self):
        optim = self.config.optim
        total = self.config.trainer.max_steps
        generator = torch.optim.AdamW(self.generator.parameters(), lr=optim.learning_rate, betas=optim.betas)
        optimizers = [generator]
        schedulers = [warmup_cosine(generator, optim.warmup_steps, total, optim.min_lr_ratio)]
        if len(self.discriminators):
            rate = optim.learning_rate if optim.discriminator_learning_rate is None else optim.discriminator_learning_rate
            discriminator = torch.optim.AdamW(self.discriminators.parameters(), lr=rate, betas=optim.betas)
            optimizers.append(discriminator)
            gan_steps = max(1, total - self.config.loss.gan_start_step)
            schedulers.append(warmup_cosine(discriminator, optim.warmup_steps, gan_steps, optim.min_lr_ratio))
        return optimizers, schedulers

    def _optimizers(self):
        optimizers = self.optimizers()
        schedulers = self.lr_schedulers()
        if not isinstance(optimizers, list):
            optimizers, schedulers = [optimizers], [schedulers]
        return optimizers, schedulers

    def _adversarial(self, audio: torch.Tensor, fake: torch.Tensor, discriminator_step: bool) -> dict:
        """Loss terms from every discriminator: for its update (fake detached) or for the generator's.

        The terms of vocos's `discriminator(audio, fake)`, but for the generator's update the real
        audio is scored without a graph, and `_generator_update` freezes the discriminators, so its
        backward pass makes the generator's gradients alone: a whole adversarial step takes about a
        fifth less time on 2 CPU threads (1.30 -> 1.03 s with the slim discriminators, 9.8 -> 7.2 s
        with vocos-size ones; benchmarks/vocoder_train_step.py, 256x4 generator, batch 8)."""
        weights = self.config.loss
        terms = {}
        for name, discriminator in self.discriminators.items():
            scale = weights.resolution_discriminator if name == "resolution" else 1.0
            if discriminator_step:
                real_out, _ = _discriminate(discriminator, audio)
                fake_out, _ = _discriminate(discriminator, fake.detach())
                loss, _, _ = self.discriminator_loss(real_out, fake_out)
                terms[f"discriminator_{name}"] = scale * loss.squeeze() / len(real_out)
            else:
                with torch.no_grad():
                    _, real_maps = _discriminate(discriminator, audio)
                fake_out, fake_maps = _discriminate(discriminator, fake)
                adversarial, _ = self.generator_loss(fake_out)
                terms[f"adversarial_{name}"] = scale * weights.adversarial * adversarial.squeeze() / len(fake_out)
                features = self.feature_loss(real_maps, fake_maps)
                terms[f"feature_matching_{name}"] = scale * weights.feature_matching * features.squeeze() / len(real_maps)
        return terms

    def _inputs(self, batch) -> tuple[torch.Tensor, torch.Tensor]:
        """A batch -> (audio (B, N), the mel to vocode (B, n_mels, N / hop + 1)): the mel comes with the
        batch when fine-tuning on an acoustic model's output (`data.mel_dir`), else from the audio."""
        if isinstance(batch, (list, tuple)):
            return batch[0], batch[1]
        with torch.no_grad():
            return batch, self.features(batch)

    def training_step(self, batch, batch_idx: int):
        optimizers, schedulers = self._optimizers()
        clip = self.config.optim.gradient_clip
        audio, mel = self._inputs(batch)
        frozen = self.generator_frozen
        with torch.set_grad_enabled(not frozen):
            fake = self.generator(mel)[..., : audio.shape[-1]]
        audio = audio[..., : fake.shape[-1]]
        gan = self.gan_active
        logs = {}
        if gan:
            d_terms = self._adversarial(audio, fake, discriminator_step=True)
            d_loss = sum(d_terms.values())
            optimizers[1].zero_grad(set_to_none=True)
            self.manual_backward(d_loss)
            self.clip_gradients(optimizers[1], gradient_clip_val=clip, gradient_clip_algorithm="norm")
            optimizers[1].step()
            schedulers[1].step()
            logs.update({f"train/{k}": v.detach() for k, v in d_terms.items()})
        if not frozen:  # inside the discriminator-only warm-up the generator is held still
            logs.update(self._generator_update(audio, fake, gan, optimizers[0], schedulers[0], clip))
        self.generator_step += 1
        self.log_dict(logs, prog_bar=False, on_step=True, batch_size=audio.shape[0])
        self.log("step", self.generator_step.float(), prog_bar=True, on_step=True, batch_size=audio.shape[0])
        if "train/mel_l1" in logs:
            self.log("mel_l1", logs["train/mel_l1"], prog_bar=True, on_step=True, batch_size=audio.shape[0])
        if int(self.generator_step) >= self.config.trainer.max_steps:
            self.trainer.should_stop = True
        return logs.get("train/generator_loss")

    def _generator_update(self, audio, fake, gan: bool, optimizer, scheduler, clip: float) -> dict:
        """One generator step on reconstruction (and, with `gan`, adversarial) losses; returns its logs."""
        weights = self.config.loss
        terms = {"mel": weights.mel * self.mel_loss(fake, audio)}
        if weights.multi_resolution_stft > 0:
            terms["stft"] = weights.multi_resolution_stft * self.stft_loss(fake, audio)
        if gan:
            # Lightning holds every parameter outside this optimizer (the discriminators') out of autograd.
            self.toggle_optimizer(optimizer)
            try:
                terms.update(self._adversarial(audio, fake, discriminator_step=False))
            finally:
                self.untoggle_optimizer(optimizer)
        g_loss = sum(terms.values())
        optimizer.zero_grad(set_to_none=True)
        self.manual_backward(g_loss)
        self.clip_gradients(optimizer, gradient_clip_val=clip, gradient_clip_algorithm="norm")
        optimizer.step()
        scheduler.step()
        logs = {f"train/{k}": v.detach() for k, v in terms.items()}
        logs["train/generator_loss"] = g_loss.detach()
        logs["train/mel_l1"] = (terms["mel"] / weights.mel).detach()
        logs["train/lr"] = torch.tensor(scheduler.get_last_lr()[0])
        return logs

    def on_train_batch_start(self, batch, batch_idx):
        if int(self.generator_step) >= self.config.trainer.max_steps:
            self.trainer.should_stop = True
            return -1  # a resumed, finished run does no extra step
        return None

    def validation_step(self, batch, batch_idx: int):
        audio, mel = self._inputs(batch)
        fake = self.generator(mel)[..., : audio.shape[-1]]
        audio = audio[..., : fake.shape[-1]]
        self.log("val/mel_l1", self.mel_loss(fake, audio), batch_size=audio.shape[0], sync_dist=True)
        self.log("val/stft", self.stft_loss(fake, audio), batch_size=audio.shape[0], sync_dist=True)
        if batch_idx < 2 and self.trainer.is_global_zero and not self.trainer.sanity_checking:
            self._save_sample(fake[0], batch_idx)

    def _save_sample(self, audio: torch.Tensor, index: int) -> None:
        from vocoder.audio_io import save_audio

        directory = Path(self.config.trainer.out_dir) / "samples"
        directory.mkdir(parents=True, exist_ok=True)
        name = f"step{int(self.generator_step):07d}_{index}.wav"
        save_audio(directory / name, audio.float().cpu().numpy(), self.config.model.mel.sample_rate)


def _discriminate(discriminator, audio: torch.Tensor) -> tuple[list[torch.Tensor], list[list[torch.Tensor]]]:
    """One of vocos's multi-discriminators on audio (B, N) alone: (each sub-discriminator's scores,
    batch first; its feature maps). vocos's own forward takes real and fake together."""
    scores, maps = [], []
    for sub_discriminator in discriminator.discriminators:
        score, feature_maps = sub_discriminator(x=audio)
        scores.append(score)
        maps.append(feature_maps)
    return scores, maps
