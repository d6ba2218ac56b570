"""`VoiceConfig`: an exported acoustic model's config.json, typed, read and written in this one place.

    {"kind": "acoustic", "version": 1, "model": {AcousticConfig without n_vocab},
     "frontend": {"symbols": [...], "language", "espeak_version"},
     "speakers": [...], "synthesis": {"temperature": 0.0, ...}, "training": {...}}

Each value is stored once: the vocabulary size is the symbol table's length (older files that also
store `model.n_vocab` are read, and it must agree; older files' unread `frontend.phonemizer` and
`frontend.max_chars` are read and dropped). `version` says which layout a file has; a file
from a newer package, or with keys this one does not know, is refused with a message naming it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from model_files.export import CONFIG_FILE, read_export_config
from model_files.typed_config import from_dict, to_dict
from text.symbols import DEFAULT_SYMBOLS
from tts.model.config import AcousticConfig

KIND = "acoustic"
VERSION = 1
"""The config.json layout this package writes and the newest it reads."""


@dataclass(frozen=True)
class FrontendSettings:
    """The text frontend a model was trained with."""

    symbols: tuple[str, ...] = DEFAULT_SYMBOLS
    """The symbol table: id i is symbols[i]."""
    language: str = "en-us"
    espeak_version: str | None = None
    """The espeak-ng version the training phonemes came from (a warning when another is in use)."""


# Frontend keys that older exports wrote (`TextFrontend.config()` still gives them, so a model's
# `extra` has them too) and nothing reads: the phonemizer is always espeak-ng, and the sentence length
# limit is the text package's own (`text.splitter.DEFAULT_MAX_CHARS`), not the voice's. Accepted and
# dropped, so the shipped voices and older exports still load; any other unknown key is still refused.
_LEGACY_FRONTEND_KEYS = ("phonemizer", "max_chars")


@dataclass(frozen=True)
class VoiceConfig:
    model: AcousticConfig
    frontend: FrontendSettings = field(default_factory=FrontendSettings)
    speakers: tuple[str, ...] = ()
    synthesis: dict = field(default_factory=dict)
    """The voice's default options ({"temperature": 0.0}); checked by tts.synthesis.options.voice_defaults."""
    training: dict | None = None
    """What training recorded (steps, flow objective): provenance, not read by synthesis."""
    version: int = VERSION

    @classmethod
    def from_data(cls, data: dict, where: str | Path = CONFIG_FILE) -> VoiceConfig:
        """From a config.json's data; one ValueError naming `where` for anything wrong."""
        try:
            return cls._from_data(dict(data))
        except (ValueError, TypeError) as error:
            raise ValueError(f"{where}: {error}") from None

    @classmethod
    def _from_data(cls, data: dict) -> VoiceConfig:
        if data.pop("kind", KIND) != KIND:
            raise ValueError("not an acoustic model")
        version = data.pop("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(f"version must be a whole number >= 1, got {version!r}")
        if version > VERSION:
            raise ValueError(f"written by a newer flowmap-tts (config version {version}; this one reads up to {VERSION}): upgrade the package")
        frontend_data = data.pop("frontend", {})
        if isinstance(frontend_data, dict):
            frontend_data = {key: value for key, value in frontend_data.items() if key not in _LEGACY_FRONTEND_KEYS}
        frontend = from_dict(FrontendSettings, frontend_data, "frontend")
        model_data = dict(data.pop("model", None) or {})
        stored = model_data.pop("n_vocab", None)
        if stored is not None and stored != len(frontend.symbols):
            raise ValueError(f"model.n_vocab {stored} does not match the {len(frontend.symbols)} symbols of the frontend")
        model = from_dict(AcousticConfig, {**model_data, "n_vocab": len(frontend.symbols)}, "model")
        rest = from_dict(_Rest, data, "")
        return cls(model, frontend, tuple(rest.speakers), dict(rest.synthesis), rest.training, version)

    def to_data(self) -> dict:
        model = to_dict(self.model)
        model.pop("n_vocab")
        if not self.model.prosody.enabled:
            model.pop("prosody")  # voices without prosody conditioning keep the files they always had
        data = {"kind": KIND, "version": self.version, "model": model, "frontend": to_dict(self.frontend), "speakers": list(self.speakers)}
        if self.synthesis:
            data["synthesis"] = dict(self.synthesis)
        if self.training is not None:
            data["training"] = self.training
        return data

    @classmethod
    def read(cls, directory: str | Path) -> VoiceConfig:
        return cls.from_data(read_export_config(directory, KIND), Path(directory) / CONFIG_FILE)

    @classmethod
    def of_model(cls, model) -> VoiceConfig:
        """The config of an `AcousticModel` in memory (its architecture and `extra` metadata)."""
        data = {"model": to_dict(model.config), **{k: v for k, v in model.extra.items() if k in _EXTRA_KEYS}}
        return cls.from_data(data, "the model's config")

    def extra(self) -> dict:
        """The metadata as the training code keeps it on an `AcousticModel` (`model.extra`)."""
        data = self.to_data()
        return {key: data[key] for key in _EXTRA_KEYS if key in data}


@dataclass(frozen=True)
class _Rest:
    speakers: list[str] = field(default_factory=list)
    synthesis: dict = field(default_factory=dict)
    training: dict | None = None


_EXTRA_KEYS = ("frontend", "speakers", "synthesis", "training")
assert set(_EXTRA_KEYS) == {f.name for f in dataclasses.fields(VoiceConfig)} - {"model", "version"}
