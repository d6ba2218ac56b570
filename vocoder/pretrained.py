"""The pretrained `charactr/vocos-mel-24khz` through the `vocos` package, loaded without surprises.

Looks in this order: a local directory holding `config.yaml` and `pytorch_model.bin` (the layout of
the model's hub repository); the Hugging Face cache; the hub itself, when it is reachable. Offline and
without the files, `PretrainedVocosNotFound` says exactly how to provide them. Weights are read with
`torch.load(weights_only=True)`: no pickled code runs.
"""

from __future__ import annotations

from pathlib import Path

import torch

from tts.audio.mel import MelConfig
from vocoder.base import Vocoder

REPO_ID = "charactr/vocos-mel-24khz"
FILES = ("config.yaml", "pytorch_model.bin")


class PretrainedVocosNotFound(FileNotFoundError):
    """The pretrained Vocos files are neither in the given directory, the cache, nor reachable."""


def _missing_message(where: str) -> str:
    return (
        f"pretrained Vocos not found ({where}). Provide the files of the Hugging Face repository "
        f"{REPO_ID} ({', '.join(FILES)}) in a directory and pass it: "
        f"PretrainedVocos.load('/path/to/vocos-mel-24khz'). On a machine with internet, "
        f"`huggingface-cli download {REPO_ID} --local-dir vocos-mel-24khz` fetches them; copy that "
        f"directory here."
    )


class PretrainedVocos(Vocoder):
    """Wraps `vocos.Vocos` (backbone + ISTFT head) behind the `Vocoder` interface."""

    def __init__(self, model):
        features = model.feature_extractor.mel_spec
        super().__init__(
            MelConfig(
                sample_rate=features.sample_rate,
                n_fft=features.n_fft,
                hop_length=features.hop_length,
                n_mels=features.n_mels,
                center=features.spectrogram.center,
            )
        )
        self.model = model.eval()

    def forward(self, mel: torch.Tensor) -> torch.Tensor:
        return self.model.decode(mel)

    @property
    def context_frames(self) -> tuple[int, int]:
        from vocoder.vocos_model import convnext_head_context

        return convnext_head_context(self.model.backbone, self.mel_config)

    @classmethod
    def load(cls, path: str | Path | None = None, allow_download: bool = True) -> "PretrainedVocos":
        """Load from `path` (a directory with config.yaml and pytorch_model.bin), else cache, else hub."""
        directory = Path(path) if path is not None else _from_hub_cache(allow_download)
        missing = [name for name in FILES if not (directory / name).is_file()]
        if missing:
            raise PretrainedVocosNotFound(_missing_message(f"{directory} lacks {', '.join(missing)}"))
        from vocos import Vocos

        model = Vocos.from_hparams(str(directory / "config.yaml"))
        state = torch.load(directory / "pytorch_model.bin", map_location="cpu", weights_only=True)
        model.load_state_dict(state)
        return cls(model)


def _from_hub_cache(allow_download: bool) -> Path:
    try:
        from huggingface_hub import snapshot_download
    except ImportError as error:  # vocos depends on huggingface_hub, so this means a broken install
        raise PretrainedVocosNotFound(_missing_message("huggingface_hub is not installed")) from error
    try:
        return Path(snapshot_download(REPO_ID, allow_patterns=list(FILES), local_files_only=True))
    except Exception as cache_error:  # noqa: BLE001 - any cache miss falls through to the hub
        if not allow_download:
            raise PretrainedVocosNotFound(_missing_message("not in the Hugging Face cache")) from cache_error
    try:
        return Path(snapshot_download(REPO_ID, allow_patterns=list(FILES)))
    except Exception as hub_error:  # noqa: BLE001 - offline, blocked, or hub errors all mean "not found"
        raise PretrainedVocosNotFound(_missing_message(f"not cached, and the hub is unreachable: {hub_error.__class__.__name__}")) from hub_error
