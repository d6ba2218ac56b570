"""`OnnxAcoustic`: an exported acoustic model run without torch, by ONNX Runtime and numpy.

The encoder, the duration predictor and the flow-map decoder run as the export's graphs (weights from
`model.safetensors`); durations, length regulation, noise and the flow-map steps run in numpy
(`tts.engine.glue`), computing what `AcousticModel.prepare` and `AcousticModel.generate` compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tts.engine.glue import expand_to_frames, frame_noise, round_durations, sequence_mask, step_schedule
from tts.voice_config import VoiceConfig
from vocoder.bundle import WEIGHTS_FILE
from vocoder.onnx_runtime import Graph, graph_path, read_weights, require_graphs

KIND = "acoustic"
GRAPHS = {"encoder": "encoder.", "duration": "duration_predictor.", "decoder": "decoder."}
"""Graph name -> the state-dict prefix of its weights (the graph names them without it)."""
SAMPLERS = ("flow_map", "euler")


@dataclass
class Prepared:
    """The decoder's inputs for a batch, frame-aligned (what `AcousticModel.prepare` returns, in numpy)."""

    mu: np.ndarray
    """(B, n_mels, T) prior means expanded to frames, in normalized mel units."""
    mask: np.ndarray
    """(B, 1, T) frame mask."""
    noise: np.ndarray
    """(B, n_mels, T) the starting point at t = 1."""
    speaker: np.ndarray | None
    """(B, speaker_dim) or None."""
    lengths: list[int]
    """Frames per item."""
    durations: np.ndarray | None = None
    """(B, N) frames per phoneme id (0 on padding)."""


class OnnxAcoustic:
    """Phoneme ids -> log-mel with the export's ONNX graphs: `prepare`, then `generate` (all or a window)."""

    device = "cpu"
    dtype = "float32"

    def __init__(self, directory: str | Path, threads: int | None = None, int8: bool = False):
        directory = Path(directory)
        self.voice = VoiceConfig.read(directory)
        """The export's typed config: architecture, frontend, speakers, synthesis defaults."""
        self.config = self.voice.model
        require_graphs(directory, list(GRAPHS))
        weights = read_weights(directory / WEIGHTS_FILE)
        self.speaker_table = weights.get("speakers.weight")
        """(n_speakers, speaker_dim) embeddings, looked up here: the graphs take the embedding."""
        self.graphs: list[str] = []
        self._graphs = {}
        for name, prefix in GRAPHS.items():
            quantized = int8 and graph_path(directory, name, int8=True).is_file()
            own = {key[len(prefix) :]: array for key, array in weights.items() if key.startswith(prefix)}
            self._graphs[name] = Graph(graph_path(directory, name, int8=quantized), own, threads)
            self.graphs.append(f"{name} (int8)" if quantized else name)
        decoder = self.config.decoder
        self.context_frames = decoder.layers * (decoder.kernel_size // 2)
        """Frames each side that one output frame depends on, per decoder evaluation."""

    def prepare(self, id_lists: list[list[int]], speed: float = 1.0, temperature: float = 1.0, speaker: int | None = None, seed: int | None = None) -> Prepared:
        """Encode padded phoneme ids, predict and round durations, expand to frames, draw the noise."""
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        lengths = [len(ids) for ids in id_lists]
        ids = np.zeros((len(id_lists), max(lengths)), dtype=np.int64)
        for row, row_ids in enumerate(id_lists):
            ids[row, : len(row_ids)] = row_ids
        mask = sequence_mask(lengths, ids.shape[1])
        conditioning = self._speaker(speaker, len(id_lists))
        hidden, mu = self._graphs["encoder"](ids=ids, mask=mask, **conditioning)
        log_durations = self._graphs["duration"](x=hidden, mask=mask)
        durations = round_durations(np.exp(log_durations[:, 0]) / np.float32(speed), mask[:, 0])
        mu_frames = expand_to_frames(mu, durations)
        frame_lengths = [int(n) for n in durations.sum(axis=1)]
        frame_mask = sequence_mask(frame_lengths, mu_frames.shape[-1])
        noise = frame_noise(mu_frames.shape[-1], mu_frames.shape[1], seed, temperature)
        noise = np.broadcast_to(noise[None], mu_frames.shape)
        return Prepared(mu_frames, frame_mask, noise, conditioning.get("speaker"), frame_lengths, durations)

    def _speaker(self, speaker: int | None, batch: int) -> dict:
        if self.speaker_table is None:
            if speaker not in (None, 0):
                raise ValueError("this is a single-speaker model: leave speaker unset")
            return {}
        speaker = 0 if speaker is None else int(speaker)
        if not 0 <= speaker < self.speaker_table.shape[0]:
            raise ValueError(f"speaker ids must be in [0, {self.speaker_table.shape[0]}), got {speaker}")
        return {"speaker": np.repeat(self.speaker_table[speaker][None], batch, axis=0)}

    def generate(self, inputs: Prepared, steps: int = 1, sampler: str = "flow_map", start: int = 0, end: int | None = None) -> np.ndarray:
        """Log-mel frames [start, end) (B, n_mels, end - start) of prepared inputs; end None: all.

        The decoder is convolutional: frames [start, end) are computed from that window plus
        `context_frames` per evaluation each side, and equal the same frames of a whole generation.
        """
        if sampler not in SAMPLERS:
            raise ValueError(f"sampler must be 'flow_map' or 'euler', got {sampler!r}")
        times = step_schedule(steps)
        total = inputs.mu.shape[-1]
        end = total if end is None else end
        if not 0 <= start <= end <= total:
            raise ValueError(f"frames [{start}, {end}) are outside [0, {total})")
        context = self.context_frames * (len(times) - 1)
        low, high = max(0, start - context), min(total, end + context)
        mu, mask = inputs.mu[..., low:high], inputs.mask[..., low:high]
        speaker = {} if inputs.speaker is None else {"speaker": inputs.speaker}
        batch = mu.shape[0]
        z = inputs.noise[..., low:high] * mask
        for t_value, r_value in zip(times, times[1:]):
            t = np.full((batch,), t_value, dtype=np.float32)
            r = np.full((batch,), r_value if sampler == "flow_map" else t_value, dtype=np.float32)
            # Euler steps evaluate the instantaneous velocity u(z, t, t); both jump by t - r.
            z = (z - np.float32(t_value - r_value) * self._graphs["decoder"](z=z, r=r, t=t, mu=mu, mask=mask, **speaker)) * mask
        mel = (z * np.float32(self.config.mel_std) + np.float32(self.config.mel_mean)) * mask
        return mel[..., start - low : end - low]
