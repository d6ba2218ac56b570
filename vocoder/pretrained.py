"""The pretrained `charactr/vocos-mel-24khz` through the `vocos` package, loaded without surprises.

Looks in this order: a local directory holding `config.yaml` and `pytorch_model.bin` (the layout of
the model's hub repository); the Hugging Face cache; the hub itself, when it is reachable. Offline and
without the files, `PretrainedVocosNotFound` says exactly how to provide them.

Loading runs no code from the directory. `vocos.Vocos.from_hparams` imports and calls whatever
`class_path` a config.yaml names, so it is never used: `read_pretrained_config` checks the file against
the one architecture this class wraps (mel features, `VocosBackbone`, `ISTFTHead`; every argument's
name, type and range) and the classes are built directly. Weights are read with
`torch.load(weights_only=True)`: no pickled code runs.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch

from vocoder.base import Vocoder
from vocoder.mel_config import MelConfig

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
        from vocos.feature_extractors import MelSpectrogramFeatures
        from vocos.heads import ISTFTHead
        from vocos.models import VocosBackbone

        args = read_pretrained_config(directory / "config.yaml")
        model = Vocos(
            feature_extractor=MelSpectrogramFeatures(**args["feature_extractor"]),
            backbone=VocosBackbone(**args["backbone"]),
            head=ISTFTHead(**args["head"]),
        )
        weights = directory / "pytorch_model.bin"
        try:
            state = torch.load(weights, map_location="cpu", weights_only=True)
            model.load_state_dict(state)
        except Exception as error:  # noqa: BLE001 - unpickling and shape errors come in many types
            raise ValueError(f"{weights}: not the weights of the architecture in config.yaml ({type(error).__name__}: {error})") from None
        return cls(model)


_CLASSES = {
    "feature_extractor": "vocos.feature_extractors.MelSpectrogramFeatures",
    "backbone": "vocos.models.VocosBackbone",
    "head": "vocos.heads.ISTFTHead",
}
"""The one architecture accepted: each config.yaml section must name exactly this class."""

_SIZE = (1, 1 << 16)
_ARGUMENTS = {
    # name: (type, allowed values or (low, high), required)
    "feature_extractor": {
        "sample_rate": (int, (1, 1 << 20), False),
        "n_fft": (int, _SIZE, False),
        "hop_length": (int, _SIZE, False),
        "n_mels": (int, (1, 1024), False),
        "padding": (str, ("center", "same"), False),
    },
    "backbone": {
        "input_channels": (int, (1, 1024), True),
        "dim": (int, (1, 8192), True),
        "intermediate_dim": (int, (1, 32768), True),
        "num_layers": (int, (1, 256), True),
        "layer_scale_init_value": (float, (0.0, 1e6), False),
    },
    "head": {
        "dim": (int, (1, 8192), True),
        "n_fft": (int, _SIZE, True),
        "hop_length": (int, _SIZE, True),
        "padding": (str, ("center", "same"), False),
    },
}


def read_pretrained_config(path: str | Path) -> dict[str, dict]:
    """A Vocos config.yaml, read as data: {"feature_extractor", "backbone", "head"} -> init arguments.

    Raises ValueError naming the file for anything but the mel-feature Vocos architecture: another or
    unknown class, an unknown argument, a wrong type or range, or sections that do not fit together.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: not a readable YAML file ({error})") from None
    if not isinstance(data, dict) or set(data) != set(_CLASSES):
        keys = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{path}: expected exactly the sections {sorted(_CLASSES)}, got {keys}")
    args = {}
    for section, class_path in _CLASSES.items():
        entry = data[section]
        if not isinstance(entry, dict) or not set(entry) <= {"class_path", "init_args"}:
            raise ValueError(f"{path}: {section} must hold only class_path and init_args")
        if entry.get("class_path") != class_path:
            raise ValueError(f"{path}: {section}.class_path must be {class_path}, got {entry.get('class_path')!r}; no other class is loaded")
        args[section] = _checked_arguments(path, section, entry.get("init_args") or {})
    features, backbone, head = args["feature_extractor"], args["backbone"], args["head"]
    mismatches = [
        (f"backbone.input_channels={backbone['input_channels']}", f"n_mels={features.get('n_mels', 100)}", backbone["input_channels"] == features.get("n_mels", 100)),
        (f"head.dim={head['dim']}", f"backbone.dim={backbone['dim']}", head["dim"] == backbone["dim"]),
        (f"head.n_fft={head['n_fft']}", f"feature n_fft={features.get('n_fft', 1024)}", head["n_fft"] == features.get("n_fft", 1024)),
        (f"head.hop_length={head['hop_length']}", f"feature hop_length={features.get('hop_length', 256)}", head["hop_length"] == features.get("hop_length", 256)),
    ]
    for left, right, ok in mismatches:
        if not ok:
            raise ValueError(f"{path}: {left} does not fit {right}")
    return args


def _checked_arguments(path: Path, section: str, init_args) -> dict:
    if not isinstance(init_args, dict):
        raise ValueError(f"{path}: {section}.init_args must be a mapping")
    allowed = _ARGUMENTS[section]
    unknown = sorted(set(init_args) - set(allowed))
    if unknown:
        raise ValueError(f"{path}: unknown {section} argument(s) {unknown}; allowed: {sorted(allowed)}")
    for name, (kind, allowed_values, required) in allowed.items():
        if name not in init_args:
            if required:
                raise ValueError(f"{path}: {section}.init_args.{name} is missing")
            continue
        value = init_args[name]
        if kind is float and value is None:
            continue
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"{path}: {section}.init_args.{name} must be {kind.__name__}, got {value!r}")
        if kind is str:
            ok = value in allowed_values
        else:
            low, high = allowed_values
            ok = (math.isfinite(value) if kind is float else True) and low <= value <= high
        if not ok:
            raise ValueError(f"{path}: {section}.init_args.{name}={value!r} is out of range {allowed_values}")
        init_args = {**init_args, name: value}
    return dict(init_args)


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
