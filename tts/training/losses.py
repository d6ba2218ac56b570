"""The acoustic model's training terms: alignment, duration and prior losses, and the flow-map loss
on random decoder crops; and the 1-step sample that adversarial post-training judges.

Encode phonemes to a prior mean mu per phoneme; align mu to the target mel with monotonic alignment
search; train the duration predictor on the aligned log durations (stop-gradient into the encoder),
the encoder with the prior loss, and the flow-map decoder on random crops of the normalized mel with
the flow-map core's objective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import torch

from tts.flow.objectives import FlowMapObjective
from tts.model import prosody, prosody_units
from tts.model.acoustic import AcousticModel, Encoded
from tts.model.alignment import (
    gaussian_log_likelihood,
    maximum_path,
    regulate_length,
    sequence_mask,
)


@dataclass
class DecoderCrops:
    """The decoder's training windows of a batch: normalized target mel, prior mean and mask, each
    (B, n_mels or 1, frames), and the speaker embedding (B, speaker_dim) or None."""

    target: torch.Tensor
    mu: torch.Tensor
    mask: torch.Tensor
    speaker: torch.Tensor | None
    prosody: torch.Tensor | None = None
    """(B, 3, frames): the decoder's prosody input (tts.model.prosody_units.features), or None."""
    teacher_mu: torch.Tensor | None = None
    """(B, n_mels, frames): a distillation teacher's prior mean on the same frames, when its encoder
    is not the student's (`loss_terms`' `prior_teacher`); None otherwise."""


def loss_terms(
    model: AcousticModel,
    ids: torch.Tensor,
    id_lengths: torch.Tensor,
    mel: torch.Tensor,
    mel_lengths: torch.Tensor,
    objective: FlowMapObjective,
    speakers: torch.Tensor | None = None,
    teacher=None,
    generator: torch.Generator | None = None,
    f0: torch.Tensor | None = None,
    prior_teacher: AcousticModel | None = None,
) -> tuple[dict[str, torch.Tensor], DecoderCrops]:
    """Loss terms for a batch: ids (B, N), mel (B, n_mels, T) log-mel, lengths (B,); f0 (B, T) Hz per mel
    frame (0 unvoiced), which a model with prosody conditioning needs.

    Returns {"duration", "prior", "flow", "prosody" (with prosody conditioning), and the objective's
    own terms ("boundary", ...)}, and the
    decoder's training windows (`DecoderCrops`), for losses on what the decoder generates from them
    (adversarial post-training). `teacher(z, r, t, mu=, mask=, speaker=)`: a frozen flow-matching
    decoder for distillation. `prior_teacher`: a frozen model whose encoder and duration predictor
    the student's learn (an encoder distilled thinner): adds "distill_prior" and "distill_duration"
    (`encoder_distillation_terms`) and the teacher's prior mean on the crops (`teacher_mu`).
    """
    encoded, y, y_mask, path = _encode_and_align(model, ids, id_lengths, mel, mel_lengths, speakers)
    target_log_durations = torch.log(1e-8 + path.sum(-1, keepdim=True).transpose(1, 2)) * encoded.mask
    duration_loss = ((encoded.log_durations - target_log_durations) ** 2).sum() / encoded.mask.sum()
    mu_y = regulate_length(encoded.mu, path)  # (B, n_mels, T)
    prior_loss = (0.5 * ((y - mu_y) ** 2 + math.log(2 * math.pi)) * y_mask).sum() / (y_mask.sum() * y.shape[1])

    terms = {"duration": duration_loss, "prior": prior_loss}
    teacher_mu_y = None
    if prior_teacher is not None:
        with torch.no_grad():
            taught = prior_teacher.encode(ids, id_lengths, speakers)
        terms.update(encoder_distillation_terms(encoded, taught))
        teacher_mu_y = regulate_length(taught.mu, path)
    prosody_frames = None
    if encoded.prosody is not None:
        if f0 is None:
            raise ValueError("this model predicts prosody: its training batches need F0 per frame (the feature cache's pitch)")
        pitch, voiced, loudness = prosody.targets(path, f0, y, y_mask)
        terms["prosody"] = prosody.loss(encoded.prosody, pitch, voiced, loudness, encoded.mask)
        # The decoder learns from the prosody the recording has (teacher forcing, as durations are).
        prosody_frames = regulate_length(prosody_units.features(pitch, voiced, loudness), path)

    starts = _segment_starts(mel_lengths, model.config.segment_frames, generator)
    crop = lambda x: _crop(x, starts, model.config.segment_frames)
    crops = DecoderCrops(
        crop(y), crop(mu_y), crop(y_mask), encoded.speaker, None if prosody_frames is None else crop(prosody_frames), None if teacher_mu_y is None else crop(teacher_mu_y)
    )
    cond = {"mu": crops.mu, "speaker": crops.speaker, **({"prosody": crops.prosody} if crops.prosody is not None else {})}
    flow = objective(model.decoder_fn, crops.target, cond, mask=crops.mask, teacher=teacher, generator=generator)
    terms["flow"] = flow.loss
    terms.update({k: v for k, v in flow.terms.items() if k != "loss"})
    return terms, crops


def encoder_distillation_terms(student: Encoded, teacher: Encoded) -> dict[str, torch.Tensor]:
    """An encoder student against its teacher, per phoneme over the mask: "distill_prior", the mean
    L1 between prior means (normalized mel units), and "distill_duration", the mean squared error
    between log durations."""
    phonemes = student.mask.sum().clamp(min=1)
    prior = ((student.mu - teacher.mu).abs() * student.mask).sum() / (phonemes * student.mu.shape[1])
    duration = (((student.log_durations - teacher.log_durations) * student.mask) ** 2).sum() / phonemes
    return {"distill_prior": prior, "distill_duration": duration}


def one_step(model: AcousticModel, crops: DecoderCrops, temperature: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """The 1-step flow-map sample of the crops, with gradients: z - u(z, 0, 1), z = noise * temperature.

    temperature: (B,) noise scale per item. Returns the normalized mel (B, n_mels, frames), zero in padding.
    """
    return _step(model.decoder_fn, _noise(crops, temperature, generator), crops, crops.prosody)


def distillation_loss(model: AcousticModel, teacher, crops: DecoderCrops, temperature: torch.Tensor) -> torch.Tensor:
    """Mean L1 between the student's and the teacher decoder's 1-step outputs (`one_step`) on the same
    noise (scaled per item by `temperature`, (B,)), each from its own prior mean (the teacher's is
    `crops.teacher_mu` when set, else the student's). `teacher`: a frozen `FlowMapDecoder` of the
    same mel size; it gets the prosody input only if it has one."""
    z = _noise(crops, temperature)
    student = _step(model.decoder_fn, z, crops, crops.prosody)
    teacher_crops = crops if crops.teacher_mu is None else replace(crops, mu=crops.teacher_mu)
    with torch.no_grad():
        target = _step(teacher, z, teacher_crops, crops.prosody if teacher.prosody is not None else None)
    return (student - target).abs().sum() / (crops.mask.sum() * crops.target.shape[1]).clamp(min=1)


def _noise(crops: DecoderCrops, temperature: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """z: standard noise of the crops' shape, scaled per item by `temperature` (B,), zero in padding."""
    noise = torch.randn(crops.target.shape, generator=generator, device="cpu" if generator is not None else crops.target.device)
    return noise.to(crops.target) * temperature.to(crops.target)[:, None, None] * crops.mask


def _step(decoder, z: torch.Tensor, crops: DecoderCrops, prosody: torch.Tensor | None) -> torch.Tensor:
    """z - decoder(z, r=0, t=1): the 1-step sample from z, zero in padding."""
    ones = torch.ones(z.shape[0], device=z.device, dtype=z.dtype)
    return (z - decoder(z, ones * 0.0, ones, mu=crops.mu, mask=crops.mask, speaker=crops.speaker, prosody=prosody)) * crops.mask


@torch.no_grad()
def align(model: AcousticModel, ids, id_lengths, mel, mel_lengths, speakers=None) -> torch.Tensor:
    """Frames per phoneme (B, N) from monotonic alignment search against the target mel."""
    return _encode_and_align(model, ids, id_lengths, mel, mel_lengths, speakers)[3].sum(-1).long()


@torch.no_grad()
def recorded_prosody(model: AcousticModel, ids, id_lengths, mel, mel_lengths, f0, speakers=None):
    """Frames per phoneme (B, N) from monotonic alignment search against the target mel, and the
    recording's prosody per phoneme as training measures it (`prosody.targets`: pitch units, voiced
    fraction, loudness, each (B, N)) from its F0 per frame (B, T) in Hz; None for a model without
    prosody conditioning."""
    encoded, y, y_mask, path = _encode_and_align(model, ids, id_lengths, mel, mel_lengths, speakers)
    return path.sum(-1).long(), None if encoded.prosody is None else prosody.targets(path, f0, y, y_mask)


def _encode_and_align(model: AcousticModel, ids, id_lengths, mel, mel_lengths, speakers=None):
    """The text encoded, the normalized target mel (B, n_mels, T) with its mask (B, 1, T), and the
    monotonic alignment path (B, N, T) between them (found without gradients)."""
    encoded = model.encode(ids, id_lengths, speakers)
    y, y_mask = _normalized_target(model, mel, mel_lengths)
    return encoded, y, y_mask, _align(encoded, y, y_mask)


def _normalized_target(model: AcousticModel, mel: torch.Tensor, mel_lengths: torch.Tensor):
    y_mask = sequence_mask(mel_lengths, mel.shape[-1])[:, None, :].to(mel.dtype)
    return model.normalize(mel) * y_mask, y_mask


@torch.no_grad()
def _align(encoded: Encoded, y: torch.Tensor, y_mask: torch.Tensor) -> torch.Tensor:
    grid = encoded.mask.transpose(1, 2) * y_mask  # (B, N, T)
    return maximum_path(gaussian_log_likelihood(y, encoded.mu), grid)


def _segment_starts(lengths: torch.Tensor, frames: int, generator) -> torch.Tensor:
    room = (lengths - frames).clamp_min(0) + 1
    draws = torch.rand(lengths.shape, generator=generator, device=lengths.device if generator is None else "cpu")
    return (draws.to(lengths.device) * room).long()


def _crop(x: torch.Tensor, starts: torch.Tensor, frames: int) -> torch.Tensor:
    """Per-item windows x[b, :, starts[b] : starts[b] + frames] of (B, C, T) -> (B, C, min(frames, T))."""
    frames = min(frames, x.shape[-1])
    index = (starts[:, None] + torch.arange(frames, device=x.device)[None, :]).clamp_max(x.shape[-1] - 1)
    return torch.gather(x, 2, index[:, None, :].expand(-1, x.shape[1], -1))
