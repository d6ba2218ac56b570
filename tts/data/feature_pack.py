"""Feature packs: a training set's log-mels and phoneme ids in a few compressed files, so the acoustic
model can train on a machine that has neither the recordings nor espeak-ng (a rented GPU, say).

A pack holds, per utterance, the phoneme ids and the log-mel, plus what the model is built from: the
mel settings, the frontend config (symbol table, espeak-ng version) and per-utterance sums for the
normalization statistics. `tts pack-features CONFIG OUT` writes one; `data.feature_packs` trains on it.

Log-mels are stored lossily in 8 bits: quantized on a uniform grid spanning the pack's range (a step of
about 0.07 for speech, so every value is within 0.035 of the original, against the model's ~0.8 mean
error), each value predicted from its lower, earlier and lower-earlier neighbours, and the residuals
xz-compressed: about 4.7 bits per value on speech, a third of the float16 cache's size.
"""

from __future__ import annotations

import io
import json
import lzma
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tts.data.features import CachedItem, FeatureCache, mean_and_std
from vocoder.mel_config import MelConfig

FORMAT = "tts-feature-pack"
VERSION = 1
LEVELS = 256


@dataclass(frozen=True)
class PackHeader:
    """What every part of one pack shares; training checks the model's mel settings against `mel`."""

    mel: dict
    frontend: dict

    def to_dict(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "mel": self.mel, "frontend": self.frontend}


def write_feature_packs(cache: FeatureCache, items: list[CachedItem], path: str | Path, parts: int = 1) -> list[Path]:
    """Write `items` (in order) to `parts` files `path` (one part) or `<stem>.<k>-of-<parts><suffix>`.

    Part k holds items k, k + parts, ...; reading all parts together restores the original order, so
    the seeded train/validation split is the same as on the machine that wrote them.
    """
    if not items:
        raise ValueError("no utterances to pack")
    if not 1 <= parts <= len(items):
        raise ValueError(f"parts must be between 1 and the number of utterances ({len(items)}), got {parts}")
    entries = cache.entries()
    loaded = [FeatureCache.load(item) for item in items]
    mels = [mel.numpy() for mel, _ in loaded]
    ids = [item_ids.numpy().astype(np.int32) for _, item_ids in loaded]
    low = float(min(m.min() for m in mels))
    high = float(max(m.max() for m in mels))
    step = max(high - low, 1e-6) / (LEVELS - 1)
    header = PackHeader(cache.mel.to_dict(), cache.frontend.config())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for part in range(parts):
        target = path if parts == 1 else path.with_name(f"{path.stem}.{part + 1}-of-{parts}{path.suffix}")
        chosen = list(range(part, len(items), parts))
        _write_part(target, header, [items[i] for i in chosen], [mels[i] for i in chosen], [ids[i] for i in chosen], chosen, entries, low, step)
        written.append(target)
    return written


def _write_part(path: Path, header: PackHeader, items, mels, ids, positions, entries, low: float, step: float) -> None:
    residuals = []
    for mel in mels:
        levels = np.clip(np.rint((mel - low) / step), 0, LEVELS - 1).astype(np.int16)
        residuals.append((_planar_residual(levels) % LEVELS).astype(np.uint8))
    arrays = {
        "header": np.array(json.dumps(header.to_dict())),
        "names": np.array([item.id for item in items]),
        "speakers": np.array([item.speaker or "" for item in items]),
        "has_speaker": np.array([item.speaker is not None for item in items]),
        "positions": np.asarray(positions, dtype=np.int64),
        "ids": np.concatenate(ids),
        "id_offsets": np.cumsum([0] + [len(x) for x in ids]),
        "mel": np.concatenate(residuals, axis=1),
        "frame_offsets": np.cumsum([0] + [m.shape[1] for m in mels]),
        "quantization": np.array([low, step]),
        # The float sums of the original features, so normalization statistics match the cache's exactly.
        "mel_sum": np.array([entries[item.id]["mel_sum"] for item in items]),
        "mel_sq": np.array([entries[item.id]["mel_sq"] for item in items]),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(lzma.compress(buffer.getvalue(), preset=6))
    temporary.replace(path)


def _planar_residual(levels: np.ndarray) -> np.ndarray:
    """(n_mels, T) ints -> x[f, t] - x[f-1, t] - x[f, t-1] + x[f-1, t-1] (zero outside): small on smooth spectra."""
    return np.diff(np.diff(levels, axis=0, prepend=0), axis=1, prepend=0)


def _undo_planar_residual(residual: np.ndarray) -> np.ndarray:
    """Inverse of `_planar_residual` in modulo-256 arithmetic: two running sums."""
    return np.cumsum(np.cumsum(residual.astype(np.int64), axis=0), axis=1) % LEVELS


class FeaturePack:
    """One or more pack parts read together. `items` (in packing order), `load(item)`, `statistics(items)`."""

    def __init__(self, paths: list[str | Path]):
        if not paths:
            raise ValueError("no feature pack given")
        self.header: PackHeader | None = None
        records = []
        self._parts = []
        for path in paths:
            arrays = _read_part(Path(path))
            header = json.loads(str(arrays["header"]))
            if header.get("format") != FORMAT or header.get("version") != VERSION:
                raise ValueError(f"{path}: not a version-{VERSION} feature pack")
            part_header = PackHeader(header["mel"], header["frontend"])
            if self.header is None:
                self.header = part_header
            elif part_header != self.header:
                raise ValueError(f"{path}: its mel or frontend settings differ from {paths[0]}'s; pack them together again")
            part = len(self._parts)
            self._parts.append(arrays)
            frame_offsets = arrays["frame_offsets"]
            for i, name in enumerate(arrays["names"]):
                speaker = str(arrays["speakers"][i]) if arrays["has_speaker"][i] else None
                frames = int(frame_offsets[i + 1] - frame_offsets[i])
                n_ids = int(arrays["id_offsets"][i + 1] - arrays["id_offsets"][i])
                records.append((int(arrays["positions"][i]), CachedItem(str(name), Path(str(path)), frames, n_ids, speaker), (part, i)))
        records.sort(key=lambda record: record[0])
        positions = [record[0] for record in records]
        if len(set(positions)) != len(positions):
            raise ValueError("the same pack part was given twice (or parts of two different packs were mixed)")
        self.items = [record[1] for record in records]
        self._where = {record[1].id: record[2] for record in records}
        if len(self._where) != len(self.items):
            raise ValueError("duplicate utterance ids across the feature pack's parts")

    @property
    def mel_config(self) -> MelConfig:
        return MelConfig.from_dict(self.header.mel)

    @property
    def frontend_config(self) -> dict:
        return self.header.frontend

    def load(self, item: CachedItem) -> tuple[torch.Tensor, torch.Tensor]:
        """(mel float32 (n_mels, T), ids int64 (N,)), as `FeatureCache.load` gives them (mel to within half a step)."""
        part, i = self._where[item.id]
        arrays = self._parts[part]
        start, end = arrays["frame_offsets"][i], arrays["frame_offsets"][i + 1]
        low, step = arrays["quantization"]
        mel = low + step * _undo_planar_residual(arrays["mel"][:, start:end])
        ids = arrays["ids"][arrays["id_offsets"][i] : arrays["id_offsets"][i + 1]]
        return torch.from_numpy(mel.astype(np.float32)), torch.from_numpy(ids.astype(np.int64))

    def statistics(self, items: list[CachedItem]) -> tuple[float, float]:
        """Mean and std of every log-mel value in `items`, from the original (unquantized) features."""
        n_mels = self.header.mel["n_mels"]
        count = sum(item.frames for item in items) * n_mels
        total = squares = 0.0
        for item in items:
            part, i = self._where[item.id]
            total += float(self._parts[part]["mel_sum"][i])
            squares += float(self._parts[part]["mel_sq"][i])
        return mean_and_std(total, squares, count)


def _read_part(path: Path) -> dict:
    if not path.is_file():
        raise FileNotFoundError(f"feature pack not found: {path}")
    try:
        raw = lzma.decompress(path.read_bytes())
    except lzma.LZMAError:
        raise ValueError(f"{path}: not a feature pack (not xz-compressed)") from None
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
