"""`AcousticModel`: phoneme ids -> log-mel, with the loss terms used to train it.

Training (`forward`): encode phonemes to a prior mean mu per phoneme; align mu to the target mel with
monotonic alignment search; train the duration predictor on the aligned log durations (stop-gradient
into the encoder), the encoder with the prior loss, and the flow-map decoder on random crops of the
normalized mel with the flow-map core's objective. Inference (`synthesize`): predict durations,
regulate lengths, and map noise to mel in `steps` flow-map jumps (or Euler steps of u(z, t, t)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from tts.engine.glue import frame_noise
from tts.flow.objectives import FlowMapObjective
from tts.flow.samplers import sample_euler, sample_flow_map, step_schedule
from tts.model.alignment import (
    durations_to_path,
    gaussian_log_likelihood,
    maximum_path,
    regulate_length,
    round_durations,
    sequence_mask,
)
from tts.model.config import AcousticConfig
from tts.model.decoder import FlowMapDecoder
from tts.model.encoder import DurationPredictor, TextEncoder
from vocoder.bundle import load_weights_into, read_export, save_export
from vocoder.onnx_export import GraphSpec

KIND = "acoustic"


@dataclass
class Encoded:
    mu: torch.Tensor
    """(B, n_mels, N) prior means, in normalized mel units."""
    log_durations: torch.Tensor
    """(B, 1, N) predicted log frame counts."""
    mask: torch.Tensor
    """(B, 1, N) phoneme mask."""
    speaker: torch.Tensor | None
    """(B, speaker_dim) or None."""


@dataclass
class DecoderInputs:
    """The flow-map decoder's inputs for a batch, frame-aligned; from `AcousticModel.prepare`."""

    mu: torch.Tensor
    """(B, n_mels, T) prior means expanded to frames, in normalized mel units."""
    mask: torch.Tensor
    """(B, 1, T) frame mask."""
    noise: torch.Tensor
    """(B, n_mels, T) the starting point at t = 1."""
    speaker: torch.Tensor | None
    """(B, speaker_dim) or None."""
    lengths: torch.Tensor
    """(B,) frames per item."""
    durations: torch.Tensor | None = None
    """(B, N) frames per phoneme id (0 on padding): where each phoneme sits in the mel."""


class AcousticModel(nn.Module):
    def __init__(self, config: AcousticConfig):
        super().__init__()
        if config.n_vocab < 1:
            raise ValueError("AcousticConfig.n_vocab must be set (the size of the frontend's symbol table)")
        self.config = config
        self.speakers = nn.Embedding(config.n_speakers, config.speaker_dim) if config.n_speakers > 1 else None
        self.encoder = TextEncoder(config)
        self.duration_predictor = DurationPredictor(config.encoder.channels, config.duration)
        self.decoder = FlowMapDecoder(config)
        self.extra: dict = {}
        """Metadata saved beside the config (frontend settings, speaker names); see `save`."""

    # ---- shared -------------------------------------------------------------------------------
    def normalize(self, mel: torch.Tensor) -> torch.Tensor:
        return (mel - self.config.mel_mean) / self.config.mel_std

    def denormalize(self, mel: torch.Tensor) -> torch.Tensor:
        return mel * self.config.mel_std + self.config.mel_mean

    def encode(self, ids: torch.Tensor, lengths: torch.Tensor, speakers: torch.Tensor | None = None) -> Encoded:
        """ids (B, N) padded with 0, lengths (B,), speakers (B,) ids or None."""
        mask = sequence_mask(lengths, ids.shape[1])[:, None, :].to(torch.float32)
        speaker = self._speaker(speakers, ids.shape[0], ids.device)
        hidden, mu = self.encoder(ids, mask, speaker)
        # Durations are learned from the encoder's states but must not steer them (Glow-TTS).
        log_durations = self.duration_predictor(hidden.detach(), mask)
        return Encoded(mu, log_durations, mask, speaker)

    def _speaker(self, speakers, batch: int, device) -> torch.Tensor | None:
        if self.speakers is None:
            if speakers is not None and bool((torch.as_tensor(speakers) != 0).any()):
                raise ValueError("this is a single-speaker model: leave speaker unset")
            return None
        if speakers is None:
            speakers = torch.zeros(batch, dtype=torch.long, device=device)
        speakers = torch.as_tensor(speakers, device=device).long().reshape(-1).expand(batch)
        if bool(((speakers < 0) | (speakers >= self.config.n_speakers)).any()):
            raise ValueError(f"speaker ids must be in [0, {self.config.n_speakers}), got {speakers.tolist()}")
        return self.speakers(speakers)

    def decoder_fn(self, z, r, t, mu, mask, speaker=None):
        """The flow-map network in the signature the flow core expects: net(z, r, t, **cond)."""
        return self.decoder(z, r, t, mu=mu, mask=mask, speaker=speaker)

    # ---- training -----------------------------------------------------------------------------
    def forward(
        self,
        ids: torch.Tensor,
        id_lengths: torch.Tensor,
        mel: torch.Tensor,
        mel_lengths: torch.Tensor,
        objective: FlowMapObjective,
        speakers: torch.Tensor | None = None,
        teacher=None,
        generator: torch.Generator | None = None,
        with_crops: bool = False,
    ) -> dict[str, torch.Tensor] | tuple[dict[str, torch.Tensor], DecoderCrops]:
        """Loss terms for a batch: ids (B, N), mel (B, n_mels, T) log-mel, lengths (B,).

        Returns {"duration", "prior", "flow", and the objective's own terms ("boundary", ...)}, and
        with `with_crops` also the decoder's training windows (`DecoderCrops`), for losses on what
        the decoder generates from them (adversarial post-training).
        `teacher(z, r, t, mu=, mask=, speaker=)`: a frozen flow-matching decoder for distillation.
        """
        encoded = self.encode(ids, id_lengths, speakers)
        y, y_mask = self._normalized_target(mel, mel_lengths)
        path = self._align(encoded, y, y_mask)
        target_log_durations = torch.log(1e-8 + path.sum(-1, keepdim=True).transpose(1, 2)) * encoded.mask
        duration_loss = ((encoded.log_durations - target_log_durations) ** 2).sum() / encoded.mask.sum()
        mu_y = regulate_length(encoded.mu, path)  # (B, n_mels, T)
        prior_loss = (0.5 * ((y - mu_y) ** 2 + math.log(2 * math.pi)) * y_mask).sum() / (y_mask.sum() * y.shape[1])

        starts = self._segment_starts(mel_lengths, generator)
        crop = lambda x: _crop(x, starts, self.config.segment_frames)  # noqa: E731
        crops = DecoderCrops(crop(y), crop(mu_y), crop(y_mask), encoded.speaker)
        cond = {"mu": crops.mu, "speaker": crops.speaker}
        flow = objective(self.decoder_fn, crops.target, cond, mask=crops.mask, teacher=teacher, generator=generator)
        terms = {"duration": duration_loss, "prior": prior_loss, "flow": flow.loss}
        terms.update({k: v for k, v in flow.terms.items() if k != "loss"})
        return (terms, crops) if with_crops else terms

    def one_step(self, crops: DecoderCrops, temperature: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
        """The 1-step flow-map sample of the crops, with gradients: z - u(z, 0, 1), z = noise * temperature.

        temperature: (B,) noise scale per item. Returns the normalized mel (B, n_mels, frames), zero in padding.
        """
        noise = torch.randn(crops.target.shape, generator=generator, device="cpu" if generator is not None else crops.target.device)
        z = noise.to(crops.target) * temperature.to(crops.target)[:, None, None] * crops.mask
        ones = torch.ones(z.shape[0], device=z.device, dtype=z.dtype)
        return (z - self.decoder_fn(z, ones * 0.0, ones, mu=crops.mu, mask=crops.mask, speaker=crops.speaker)) * crops.mask

    def _normalized_target(self, mel: torch.Tensor, mel_lengths: torch.Tensor):
        y_mask = sequence_mask(mel_lengths, mel.shape[-1])[:, None, :].to(mel.dtype)
        return self.normalize(mel) * y_mask, y_mask

    @torch.no_grad()
    def _align(self, encoded: Encoded, y: torch.Tensor, y_mask: torch.Tensor) -> torch.Tensor:
        grid = encoded.mask.transpose(1, 2) * y_mask  # (B, N, T)
        return maximum_path(gaussian_log_likelihood(y, encoded.mu), grid)

    @torch.no_grad()
    def align(self, ids, id_lengths, mel, mel_lengths, speakers=None) -> torch.Tensor:
        """Frames per phoneme (B, N) from monotonic alignment search against the target mel."""
        encoded = self.encode(ids, id_lengths, speakers)
        y, y_mask = self._normalized_target(mel, mel_lengths)
        return self._align(encoded, y, y_mask).sum(-1).long()

    def _segment_starts(self, lengths: torch.Tensor, generator) -> torch.Tensor:
        room = (lengths - self.config.segment_frames).clamp_min(0) + 1
        draws = torch.rand(lengths.shape, generator=generator, device=lengths.device if generator is None else "cpu")
        return (draws.to(lengths.device) * room).long()

    # ---- inference ----------------------------------------------------------------------------
    @torch.inference_mode()
    def synthesize(
        self,
        ids: torch.Tensor,
        lengths: torch.Tensor | None = None,
        steps: int = 1,
        speed: float = 1.0,
        temperature: float = 1.0,
        speakers: torch.Tensor | None = None,
        seed: int | None = None,
        sampler: str = "flow_map",
        durations: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """ids (B, N) or (N,) -> (log-mel (B, n_mels, T), mel_lengths (B,)). Padding frames are zero-length.

        speed > 1 speaks faster (durations divided by speed). sampler: "flow_map" (u(z, r, t) jumps) or
        "euler" (integrates u(z, t, t), the flow-matching baseline). durations (B, N): use these frame
        counts instead of predicted ones (teacher-forced validation).
        """
        inputs = self.prepare(ids, lengths, speed, temperature, speakers, seed, durations)
        return self.generate(inputs, steps, sampler), inputs.lengths

    @torch.inference_mode()
    def prepare(
        self,
        ids: torch.Tensor,
        lengths: torch.Tensor | None = None,
        speed: float = 1.0,
        temperature: float = 1.0,
        speakers: torch.Tensor | None = None,
        seed: int | None = None,
        durations: torch.Tensor | None = None,
    ) -> DecoderInputs:
        """Everything before the flow-map decoder (arguments as in `synthesize`): encode the phonemes,
        predict durations, expand to frames and draw the noise."""
        if ids.dim() == 1:
            ids = ids[None]
        if lengths is None:
            lengths = torch.full((ids.shape[0],), ids.shape[1], device=ids.device, dtype=torch.long)
        if speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        encoded = self.encode(ids, lengths, speakers)
        if durations is None:
            durations = round_durations(torch.exp(encoded.log_durations[:, 0]) / speed, encoded.mask[:, 0])
        path = durations_to_path(durations * encoded.mask[:, 0].long())
        mel_lengths = path.sum(dim=(1, 2)).long()
        mu_y = regulate_length(encoded.mu, path)
        y_mask = sequence_mask(mel_lengths, mu_y.shape[-1])[:, None, :].to(mu_y.dtype)
        # One prefix-stable noise sequence shared by the batch: an utterance gets the same noise alone
        # or in any batch, so batch and single synthesis agree.
        # Drawn in numpy, so the CPU runtime (tts.engine.onnx_acoustic) starts from the same noise.
        noise = torch.from_numpy(frame_noise(mu_y.shape[-1], mu_y.shape[1], seed, temperature)).to(device=mu_y.device, dtype=mu_y.dtype)
        return DecoderInputs(mu_y, y_mask, noise[None].expand(mu_y.shape[0], -1, -1), encoded.speaker, mel_lengths, durations * encoded.mask[:, 0].long())

    @torch.inference_mode()
    def generate(self, inputs: DecoderInputs, steps: int = 1, sampler: str = "flow_map", start: int = 0, end: int | None = None) -> torch.Tensor:
        """Log-mel frames [start, end) (B, n_mels, end - start) of prepared inputs; end None: all.

        The decoder is convolutional, so frames [start, end) depend only on frames within
        `decoder.context_frames` per network evaluation: they are computed from that window alone and
        equal the same frames of a whole generation. Streaming uses this to speak the first frames of a
        sentence before the rest is computed.
        """
        if sampler not in ("flow_map", "euler"):
            raise ValueError(f"sampler must be 'flow_map' or 'euler', got {sampler!r}")
        total = inputs.mu.shape[-1]
        end = total if end is None else end
        if not 0 <= start <= end <= total:
            raise ValueError(f"frames [{start}, {end}) are outside [0, {total})")
        context = self.decoder.context_frames * (len(step_schedule(steps)) - 1)
        low, high = max(0, start - context), min(total, end + context)
        window = slice(low, high)
        cond = dict(mu=inputs.mu[..., window], mask=inputs.mask[..., window], speaker=inputs.speaker)
        integrate = sample_flow_map if sampler == "flow_map" else sample_euler
        y = integrate(self.decoder_fn, inputs.noise[..., window], steps, **cond)
        mel = self.denormalize(y) * cond["mask"]
        return mel[..., start - low : end - low]

    # ---- export -------------------------------------------------------------------------------
    def graph_specs(self) -> list[GraphSpec]:
        """The networks that run as ONNX graphs on CPUs (see vocoder.onnx_export): encoder, durations, decoder."""
        config, batch, phonemes, frames = self.config, 2, 7, 11
        speaker = {"speaker": torch.zeros(batch, config.speaker_dim)} if self.speakers is not None else {}
        per_phoneme = {0: "batch", 2: "phonemes"}
        per_frame = {0: "batch", 2: "frames"}
        by_batch = {0: "batch"}
        return [
            GraphSpec(
                "encoder",
                self.encoder,
                {"ids": torch.ones(batch, phonemes, dtype=torch.long), "mask": torch.ones(batch, 1, phonemes), **speaker},
                {"ids": {0: "batch", 1: "phonemes"}, "mask": per_phoneme, "speaker": by_batch},
            ),
            GraphSpec(
                "duration",
                self.duration_predictor,
                {"x": torch.zeros(batch, config.encoder.channels, phonemes), "mask": torch.ones(batch, 1, phonemes)},
                {"x": per_phoneme, "mask": per_phoneme},
            ),
            GraphSpec(
                "decoder",
                self.decoder,
                {
                    "z": torch.zeros(batch, config.mel.n_mels, frames),
                    "r": torch.zeros(batch),
                    "t": torch.ones(batch),
                    "mu": torch.zeros(batch, config.mel.n_mels, frames),
                    "mask": torch.ones(batch, 1, frames),
                    **speaker,
                },
                {"z": per_frame, "r": by_batch, "t": by_batch, "mu": per_frame, "mask": per_frame, "speaker": by_batch},
            ),
        ]

    def save(self, directory: str | Path, dtype: torch.dtype = torch.float32) -> Path:
        """Write config.json (the typed `VoiceConfig`: architecture and `extra` metadata) and model.safetensors."""
        from tts.voice_config import VoiceConfig

        data = VoiceConfig.of_model(self).to_data()
        data.pop("kind")
        return save_export(directory, KIND, data.pop("model"), self, dtype, **data)

    @classmethod
    def load(cls, directory: str | Path, device: str | torch.device = "cpu") -> "AcousticModel":
        """Load an exported model (config.json + model.safetensors); weights are cast to float32."""
        from tts.voice_config import VoiceConfig

        data, state = read_export(directory, KIND)
        voice = VoiceConfig.from_data(data, Path(directory) / "config.json")
        model = cls(voice.model)
        model.extra = voice.extra()
        load_weights_into(model, state, directory)
        return model.to(device).eval()


@dataclass
class DecoderCrops:
    """The decoder's training windows of a batch: normalized target mel, prior mean and mask, each
    (B, n_mels or 1, frames), and the speaker embedding (B, speaker_dim) or None."""

    target: torch.Tensor
    mu: torch.Tensor
    mask: torch.Tensor
    speaker: torch.Tensor | None


def _crop(x: torch.Tensor, starts: torch.Tensor, frames: int) -> torch.Tensor:
    """Per-item windows x[b, :, starts[b] : starts[b] + frames] of (B, C, T) -> (B, C, min(frames, T))."""
    frames = min(frames, x.shape[-1])
    index = (starts[:, None] + torch.arange(frames, device=x.device)[None, :]).clamp_max(x.shape[-1] - 1)
    return torch.gather(x, 2, index[:, None, :].expand(-1, x.shape[1], -1))
