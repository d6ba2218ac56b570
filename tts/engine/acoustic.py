"""`AcousticEngine`: phoneme ids -> log-mel, everything between the networks written once.

The base owns the padding, durations, length regulation and noise (`prepare`), and the window, its
context, the step schedule and the sampler loop (`generate`). An engine supplies the three network
calls: `_encode` (encoder and duration predictor), `_velocity` (the flow-map decoder) and the arrays
the decoder takes (`_on_device`, `_to_numpy`). The CPU runtime (`OnnxAcoustic`) runs them as ONNX
graphs, the torch engine (`TorchAcoustic`) as torch modules; both draw the same noise and round
durations the same way, so they give the same audio up to float rounding.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from tts.engine.frames import (
    expand_to_frames,
    frame_noise,
    round_durations,
    sequence_mask,
)
from tts.flow.samplers import check_sampler, sample, step_schedule
from tts.model import prosody_units
from tts.model.config import AcousticConfig
from tts.model.voice_config import VoiceConfig


@dataclass
class Prepared:
    """The decoder's inputs for a batch, frame-aligned."""

    mu: np.ndarray
    """(B, n_mels, T) prior means expanded to frames, in normalized mel units."""
    mask: np.ndarray
    """(B, 1, T) frame mask."""
    noise: np.ndarray
    """(B, n_mels, T) the starting point at t = 1."""
    speaker: object | None
    """(B, speaker_dim) embedding in the engine's own arrays, or None."""
    lengths: list[int]
    """Frames per item."""
    durations: np.ndarray
    """(B, N) frames per phoneme id (0 on padding): where each phoneme sits in the mel."""
    prosody: np.ndarray | None = None
    """(B, 3, T) the decoder's prosody input (tts.model.prosody_units), steered; None for a voice
    without prosody conditioning."""
    gain: np.ndarray | None = None
    """(B, 1, T) log-mel offsets (emphasized words louder), or None."""


def _padded(rows, shape: tuple[int, int]) -> np.ndarray:
    """Per-item id arrays (or a (B, N') array) -> (B, N) float32, zero-padded."""
    out = np.zeros(shape, dtype=np.float32)
    for row, values in enumerate(rows):
        values = np.asarray(values, dtype=np.float32)[: shape[1]]
        out[row, : len(values)] = values
    return out


class AcousticEngine:
    """Phoneme ids -> log-mel: `prepare` a batch, then `generate` all of it or a window of frames."""

    voice: VoiceConfig
    """The export's typed config: architecture, frontend, speakers, synthesis defaults."""
    config: AcousticConfig
    graphs: list[str] = []
    """Networks that run as ONNX graphs (for reports)."""
    device = "cpu"
    dtype = "float32"

    @property
    def context_frames(self) -> int:
        """Frames each side that one output frame depends on, per decoder evaluation."""
        return self.config.decoder.context_frames

    def prepare(
        self,
        id_lists: list[list[int]],
        speed: float = 1.0,
        temperature: float = 1.0,
        speaker: int | None = None,
        seed: int | None = None,
        durations: np.ndarray | None = None,
        pitch: float = 0.0,
        pitch_range: float = 1.0,
        emphasis: np.ndarray | None = None,
    ) -> Prepared:
        """Encode padded phoneme ids, predict and round durations, expand to frames, draw the noise.

        speed > 1 speaks faster (durations divided by it). durations (B, N): frame counts to use
        instead of predicted ones (teacher-forced validation). pitch (semitones) and pitch_range (the
        predicted pitch's variation scaled: 0 monotone, 1 as predicted) steer a voice with prosody
        conditioning; a voice without it refuses them. emphasis (B, N): a level per id (1 strong, 0.5
        moderate, -0.5 reduced; tts.model.prosody_units.emphasis_*) lengthens, louds and, with prosody
        conditioning, raises the pitch of those phonemes."""
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        lengths = [len(ids) for ids in id_lists]
        ids = np.zeros((len(id_lists), max(lengths)), dtype=np.int64)
        for row, row_ids in enumerate(id_lists):
            ids[row, : len(row_ids)] = row_ids
        mask = sequence_mask(lengths, ids.shape[1])
        mu, log_durations, embedding, predicted = self._encode(ids, mask, speaker)
        if predicted is None and (pitch != 0.0 or pitch_range != 1.0):
            raise ValueError("this voice has no prosody conditioning: pitch and pitch_range need a voice trained with it (model.prosody.enabled)")
        emphasis = _padded(emphasis, ids.shape) if emphasis is not None and any(np.any(row) for row in emphasis) else None
        if durations is None:
            frames = np.exp(log_durations[:, 0]) / np.float32(speed)
            if emphasis is not None:
                frames = frames * (1 + prosody_units.EMPHASIS_LENGTH * emphasis)
            durations = round_durations(frames, mask[:, 0])
        else:
            durations = np.asarray(durations, dtype=np.int64) * mask[:, 0].astype(np.int64)
        mu_frames = expand_to_frames(mu, durations)
        prosody = None
        if predicted is not None:
            tone, voiced, loudness = prosody_units.from_prediction(predicted)
            # The voice's calibration turns the semitones asked into what its decoder must be given.
            gains = self.config.prosody
            tone = prosody_units.steer(tone, voiced, mask[:, 0], gains.pitch_input(pitch), gains.range_input(pitch_range))
            if emphasis is not None:
                raise_units = gains.pitch_gain * prosody_units.EMPHASIS_ST / prosody_units.PITCH_SCALE_ST
                tone = tone + (voiced > prosody_units.VOICED) * emphasis * np.float32(raise_units)
            prosody = expand_to_frames(prosody_units.features(tone, voiced, loudness).astype(np.float32), durations)
        frame_lengths = [int(n) for n in durations.sum(axis=1)]
        frame_mask = sequence_mask(frame_lengths, mu_frames.shape[-1])
        # One prefix-stable noise sequence shared by the batch: an utterance gets the same noise alone
        # or in any batch, so batch and single synthesis agree.
        noise = frame_noise(mu_frames.shape[-1], mu_frames.shape[1], seed, temperature)
        noise = np.broadcast_to(noise[None], mu_frames.shape)
        gain = None
        if emphasis is not None and np.any(emphasis):
            gain = expand_to_frames((emphasis * np.float32(prosody_units.EMPHASIS_DB * np.log(10) / 20))[:, None], durations)
        return Prepared(mu_frames, frame_mask, noise, embedding, frame_lengths, durations, prosody, gain)

    def generate(self, inputs: Prepared, steps: int = 1, sampler: str = "flow_map", start: int = 0, end: int | None = None) -> np.ndarray:
        """Log-mel frames [start, end) (B, n_mels, end - start) of prepared inputs; end None: all.

        The decoder is convolutional: frames [start, end) are computed from that window plus
        `context_frames` per evaluation each side, and equal the same frames of a whole generation.
        Streaming uses this to speak the first frames of a sentence before the rest is computed.
        """
        check_sampler(sampler)
        times = step_schedule(steps)
        total = inputs.mu.shape[-1]
        end = total if end is None else end
        if not 0 <= start <= end <= total:
            raise ValueError(f"frames [{start}, {end}) are outside [0, {total})")
        context = self.context_frames * (len(times) - 1)
        low, high = max(0, start - context), min(total, end + context)
        mask = inputs.mask[..., low:high]
        arrays = [("noise", inputs.noise), ("mu", inputs.mu), ("mask", inputs.mask)]
        if inputs.prosody is not None:
            arrays.append(("prosody", inputs.prosody))
        window = {name: self._on_device(array[..., low:high]) for name, array in arrays}
        prosody = {"prosody": window["prosody"]} if inputs.prosody is not None else {}
        with self._running():
            z = sample(self._velocity, window["noise"], times, sampler, mu=window["mu"], mask=window["mask"], speaker=inputs.speaker, **prosody)
        mel = self._to_numpy(z) * np.float32(self.config.mel_std) + np.float32(self.config.mel_mean)
        if inputs.gain is not None:
            mel = mel + inputs.gain[..., low:high]
        mel = mel * mask
        return mel[..., start - low : end - low]

    def synthesize(self, id_lists: list[list[int]], steps: int = 1, sampler: str = "flow_map", **prepare_options) -> tuple[np.ndarray, list[int]]:
        """`prepare`, then `generate` all: (B, n_mels, T) log-mel, zero past each item's frames, and
        the frames per item. For training's validation and tools; speech goes through tts.synthesizer."""
        inputs = self.prepare(id_lists, **prepare_options)
        return self.generate(inputs, steps, sampler), inputs.lengths

    # ---- what an engine supplies ------------------------------------------------------------------
    def _encode(self, ids: np.ndarray, mask: np.ndarray, speaker: int | None) -> tuple[np.ndarray, np.ndarray, object | None, np.ndarray | None]:
        """ids (B, N) int64, mask (B, 1, N) -> (mu (B, n_mels, N), log durations (B, 1, N), speaker
        embedding (B, speaker_dim) in the engine's arrays or None, the prosody predictor's raw output
        (B, 3, N) or None), mu, durations and prosody as float32 numpy."""
        raise NotImplementedError

    def _velocity(self, z, r, t, mu, mask, speaker=None, prosody=None):
        """The flow-map decoder u(z, r, t | mu, speaker, prosody) on the engine's arrays."""
        raise NotImplementedError

    def _on_device(self, array: np.ndarray):
        """A float32 numpy array -> the engine's array."""
        return array

    def _to_numpy(self, array) -> np.ndarray:
        return array

    def _running(self):
        """The context the sampler loop runs in (the torch engine's device precision)."""
        return contextlib.nullcontext()
