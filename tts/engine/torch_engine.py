"""The torch engine: a voice's torch modules behind the engines' numpy interface (see tts.engine).

Runs on any device and precision: lower precisions run under `torch.autocast`, which keeps numerically
delicate ops (norms, exp, the inverse FFT) in float32; weights stay float32.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import torch

PRECISIONS = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def precision_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


class _OnDevice:
    def __init__(self, device: torch.device, dtype: torch.dtype):
        if dtype not in PRECISIONS.values():
            raise ValueError(f"dtype must be float32, bfloat16 or float16, got {dtype}")
        self.torch_device = torch.device(device)
        self.torch_dtype = dtype

    @property
    def device(self) -> str:
        return str(self.torch_device)

    @property
    def dtype(self) -> str:
        return precision_name(self.torch_dtype)

    def _precision(self):
        """The context each model call runs in (entered per call: a generator must not hold it across a yield)."""
        stack = contextlib.ExitStack()
        stack.enter_context(torch.inference_mode())
        if self.torch_dtype != torch.float32:
            stack.enter_context(torch.autocast(self.torch_device.type, dtype=self.torch_dtype))
        return stack


@dataclass
class TorchPrepared:
    inputs: object
    """The model's `DecoderInputs`."""
    lengths: list[int]
    durations: np.ndarray
    """(B, N) frames per phoneme id (0 on padding)."""


class TorchAcoustic(_OnDevice):
    """An `AcousticModel` as an acoustic engine."""

    graphs: list[str] = []

    def __init__(self, model, device: torch.device, dtype: torch.dtype):
        super().__init__(device, dtype)
        self.model = model.to(self.torch_device, torch.float32).eval()
        from tts.voice_config import VoiceConfig

        self.voice = VoiceConfig.of_model(model)
        self.config = model.config

    def prepare(self, id_lists: list[list[int]], speed: float = 1.0, temperature: float = 1.0, speaker: int | None = None, seed: int | None = None) -> TorchPrepared:
        lengths = torch.tensor([len(ids) for ids in id_lists], device=self.torch_device)
        padded = torch.zeros(len(id_lists), int(lengths.max()), dtype=torch.long, device=self.torch_device)
        for row, ids in enumerate(id_lists):
            padded[row, : len(ids)] = torch.tensor(ids, device=self.torch_device)
        speakers = None if speaker is None else torch.full((len(id_lists),), int(speaker), dtype=torch.long, device=self.torch_device)
        with self._precision():
            inputs = self.model.prepare(padded, lengths, speed=speed, temperature=temperature, speakers=speakers, seed=seed)
        return TorchPrepared(inputs, [int(n) for n in inputs.lengths], inputs.durations.cpu().numpy())

    def generate(self, prepared: TorchPrepared, steps: int = 1, sampler: str = "flow_map", start: int = 0, end: int | None = None) -> np.ndarray:
        with self._precision():
            mel = self.model.generate(prepared.inputs, steps, sampler, start, end)
        return mel.float().cpu().numpy()


class TorchVocoder(_OnDevice):
    """A torch `Vocoder` (Vocos, pretrained Vocos, Griffin-Lim) as a vocoder engine."""

    graphs: list[str] = []

    def __init__(self, vocoder, device: torch.device, dtype: torch.dtype):
        super().__init__(device, dtype)
        self.model = vocoder.to(self.torch_device).eval()
        self.mel_config = vocoder.mel_config
        self.sample_rate = vocoder.sample_rate
        self.hop_length = vocoder.hop_length

    @property
    def context_frames(self) -> tuple[int, int]:
        return self.model.context_frames

    def __call__(self, mel: np.ndarray) -> np.ndarray:
        with self._precision():
            audio = self.model(torch.from_numpy(np.ascontiguousarray(mel, dtype=np.float32)).to(self.torch_device))
        return audio.float().cpu().numpy()

    def decode(self, mel: np.ndarray) -> np.ndarray:
        with self._precision():
            audio = self.model.decode(torch.from_numpy(np.ascontiguousarray(mel, dtype=np.float32)).to(self.torch_device))
        return audio.float().cpu().numpy()
