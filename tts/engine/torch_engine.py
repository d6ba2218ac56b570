"""The torch engine: a voice's torch modules behind the engines' numpy interface (see tts.engine);
the acoustic model's arithmetic between its networks is the engine base's (tts.engine.acoustic).

Runs on any device and precision: lower precisions run under `torch.autocast`, which keeps numerically
delicate ops (norms, exp, the inverse FFT) in float32; weights stay float32.
"""

from __future__ import annotations

import contextlib
import copy

import numpy as np
import torch

from tts.engine.acoustic import AcousticEngine
from tts.model.voice_config import VoiceConfig

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


class TorchAcoustic(_OnDevice, AcousticEngine):
    """An `AcousticModel`'s modules as an acoustic engine, on any device and precision."""

    graphs: list[str] = []

    def __init__(self, model, device: torch.device | str = "cpu", dtype: torch.dtype = torch.float32):
        super().__init__(device, dtype)
        if any(parameter.dtype != torch.float32 for parameter in model.parameters()):
            model = copy.deepcopy(model)  # weights kept in a lower precision (bf16 training) stay as they are
        self.model = model.to(self.torch_device, torch.float32).eval()
        self.config = model.config

    @property
    def voice(self) -> VoiceConfig:
        """The model's typed config with its metadata (read by the synthesizer; training needs none)."""
        return VoiceConfig.of_model(self.model)

    def _encode(self, ids: np.ndarray, mask: np.ndarray, speaker: int | None):
        lengths = torch.from_numpy(mask[:, 0].sum(axis=1).astype(np.int64)).to(self.torch_device)
        speakers = None if speaker is None else torch.full((ids.shape[0],), int(speaker), dtype=torch.long, device=self.torch_device)
        with self._precision():
            encoded = self.model.encode(torch.from_numpy(ids).to(self.torch_device), lengths, speakers)
        prosody = None if encoded.prosody is None else self._to_numpy(encoded.prosody)
        return self._to_numpy(encoded.mu), self._to_numpy(encoded.log_durations), encoded.speaker, prosody

    def _velocity(self, z, r, t, mu, mask, speaker=None, prosody=None):
        return self.model.decoder(z, r, t, mu=mu, mask=mask, speaker=speaker, prosody=prosody)

    def _on_device(self, array: np.ndarray) -> torch.Tensor:
        # A copy: the noise is a read-only broadcast view, which torch will not wrap.
        return torch.tensor(np.asarray(array, dtype=np.float32), device=self.torch_device)

    def _to_numpy(self, array: torch.Tensor) -> np.ndarray:
        return array.float().cpu().numpy()

    def _running(self):
        return self._precision()


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
