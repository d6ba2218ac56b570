"""`AcousticModel`: the acoustic model's networks, their conditioning, and its files.

The text encoder gives a prior mean mu per phoneme, the duration predictor its frame count, and the
flow-map decoder maps noise to the normalized log-mel around mu in one or two steps. Running them to
speak is the engines' (tts.engine.acoustic, with the torch modules in tts.engine.torch_engine);
training them, the loss terms and alignment, is tts.training.losses'; their ONNX graphs are
the exporter's (tts.graph_export).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from model_files.export import load_weights_into, read_export, save_export
from tts.model.alignment import sequence_mask
from tts.model.config import AcousticConfig
from tts.model.decoder import FlowMapDecoder
from tts.model.encoder import DurationPredictor, TextEncoder
from tts.model.prosody import ProsodyPredictor
from tts.model.voice_config import VoiceConfig

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
    prosody: torch.Tensor | None = None
    """(B, 3, N) the prosody predictor's raw output (pitch units, voicing logit, loudness), or None
    for a model without prosody conditioning."""


class AcousticModel(nn.Module):
    def __init__(self, config: AcousticConfig):
        super().__init__()
        if config.n_vocab < 1:
            raise ValueError("AcousticConfig.n_vocab must be set (the size of the frontend's symbol table)")
        self.config = config
        self.speakers = nn.Embedding(config.n_speakers, config.speaker_dim) if config.n_speakers > 1 else None
        self.encoder = TextEncoder(config)
        self.duration_predictor = DurationPredictor(config.encoder.channels, config.duration)
        self.prosody_predictor = ProsodyPredictor(config.encoder.channels, config.prosody) if config.prosody.enabled else None
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
        # Durations (and prosody) are learned from the encoder's states but must not steer them (Glow-TTS).
        log_durations = self.duration_predictor(hidden.detach(), mask)
        prosody = self.prosody_predictor(hidden.detach(), mask) if self.prosody_predictor is not None else None
        return Encoded(mu, log_durations, mask, speaker, prosody)

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

    def decoder_fn(self, z, r, t, mu, mask, speaker=None, prosody=None):
        """The flow-map network in the signature the flow core expects: net(z, r, t, **cond)."""
        return self.decoder(z, r, t, mu=mu, mask=mask, speaker=speaker, prosody=prosody)

    # ---- files ---------------------------------------------------------------------------------
    def save(self, directory: str | Path, dtype: torch.dtype = torch.float32) -> Path:
        """Write config.json (the typed `VoiceConfig`: architecture and `extra` metadata) and model.safetensors."""
        data = VoiceConfig.of_model(self).to_data()
        data.pop("kind")
        return save_export(directory, KIND, data.pop("model"), self, dtype, **data)

    @classmethod
    def load(cls, directory: str | Path, device: str | torch.device = "cpu") -> AcousticModel:
        """Load an exported model (config.json + model.safetensors); weights are cast to float32."""
        data, state = read_export(directory, KIND)
        voice = VoiceConfig.from_data(data, Path(directory) / "config.json")
        model = cls(voice.model)
        model.extra = voice.extra()
        load_weights_into(model, state, directory)
        return model.to(device).eval()
