"""The feature cache: log-mel and phoneme ids per utterance, computed once and reused across runs.

Layout: `cache_dir/manifest.json` plus `cache_dir/items/<id>.npz` (mel float16 (n_mels, T), ids int32,
and with `pitch` the F0 per mel frame in Hz, f0 float16 (T,), 0 where unvoiced: tts.data.pitch).
The manifest records a fingerprint of the settings (mel config, frontend config, length limits); when
it changes, the cache is rebuilt from scratch. Each item also records its audio file's size and
modification time, so an edited or replaced recording is re-extracted on the next build.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.metadata import SkipReport, Utterance, file_stem
from vocoder.audio_io import AudioFileError, load_audio
from vocoder.features import LogMelSpectrogram, MelConfig

MANIFEST = "manifest.json"
SAVE_EVERY = 500
"""Items extracted between manifest saves during a build."""
VERSION = 2
"""2: audio resampled by soxr directly (vocoder.audio_io.resample), up to one trailing sample shorter than librosa's."""


@dataclass(frozen=True)
class CachedItem:
    id: str
    path: Path
    frames: int
    n_ids: int
    speaker: str | None


class FeatureCache:
    """`build(utterances, report) -> list[CachedItem]`; `load(item) -> (mel float32 (n_mels, T), ids int64 (N,))`."""

    def __init__(self, directory: str | Path, mel: MelConfig, frontend, min_seconds: float, max_seconds: float, pitch: bool = False):
        self.directory = Path(directory)
        self.pitch = pitch
        """Also track F0 per frame (for prosody); added to an existing cache's items, not rebuilding them."""
        self.mel = mel
        self.frontend = frontend
        self.min_seconds = min_seconds
        self.max_seconds = max_seconds
        settings = {"version": VERSION, "mel": mel.to_dict(), "frontend": frontend.config(), "min": min_seconds, "max": max_seconds}
        self.fingerprint = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]

    def build(self, utterances: list[Utterance], report: SkipReport, progress: bool = True) -> list[CachedItem]:
        manifest = self._read_manifest()
        entries = manifest["items"]
        items_dir = self.directory / "items"
        items_dir.mkdir(parents=True, exist_ok=True)
        features = LogMelSpectrogram(self.mel)
        from tqdm import tqdm

        cached = []
        changed, unsaved = False, 0
        for utterance in tqdm(utterances, desc="features", disable=not progress, unit="utt"):
            if unsaved >= SAVE_EVERY:  # a build killed part-way keeps what it had done
                self._write_manifest(manifest)
                unsaved = 0
            signature = _signature(utterance.audio_path)
            entry = entries.get(utterance.id)
            path = items_dir / f"{file_stem(utterance.id)}.npz"
            stale = entry is None or entry.get("signature") != signature or entry.get("text") != utterance.text
            if stale or ("skip" not in entry and not _readable(path)):  # a truncated file is recomputed
                entry = self._extract(utterance, signature, features, items_dir)
                entries[utterance.id] = entry
                changed, unsaved = True, unsaved + 1
            if self.pitch and "skip" not in entry and not entry.get("f0"):
                self._add_pitch(utterance, path, entry["frames"])
                entry["f0"] = True
                changed, unsaved = True, unsaved + 1
            if "skip" in entry:
                report.skip(entry["skip"], utterance.id)
                continue
            cached.append(CachedItem(utterance.id, path, entry["frames"], entry["n_ids"], utterance.speaker))
        if changed:
            self._write_manifest(manifest)
        return cached

    def _extract(self, utterance: Utterance, signature: list, features, items_dir: Path) -> dict:
        entry = {"signature": signature, "text": utterance.text}
        try:
            samples, _ = load_audio(utterance.audio_path, self.mel.sample_rate)
        except AudioFileError:
            return {**entry, "skip": "unreadable audio"}
        seconds = len(samples) / self.mel.sample_rate
        if seconds < self.min_seconds:
            return {**entry, "skip": f"shorter than {self.min_seconds} s"}
        if seconds > self.max_seconds:
            return {**entry, "skip": f"longer than {self.max_seconds} s"}
        try:
            ids = np.asarray(text_ids(self.frontend, utterance.text), dtype=np.int32)
        except ValueError:
            return {**entry, "skip": "text has nothing to speak"}
        mel = features(torch.from_numpy(samples)).numpy()
        if mel.shape[-1] < len(ids):
            return {**entry, "skip": "fewer mel frames than phonemes"}
        np.savez(items_dir / f"{file_stem(utterance.id)}.npz", mel=mel.astype(np.float16), ids=ids)
        return {**entry, "frames": int(mel.shape[-1]), "n_ids": int(len(ids)), "mel_sum": float(mel.sum()), "mel_sq": float((mel.astype(np.float64) ** 2).sum())}

    def _add_pitch(self, utterance: Utterance, path: Path, frames: int) -> None:
        """Track the recording's F0 at its `frames` mel frames and add it to the item's file."""
        from tts.data.pitch import frame_f0

        samples, _ = load_audio(utterance.audio_path, self.mel.sample_rate)
        with np.load(path) as data:
            arrays = dict(data)
        arrays["f0"] = frame_f0(samples, self.mel.sample_rate, self.mel.hop_length, frames).astype(np.float16)
        temporary = path.with_name(path.stem + ".tmp.npz")
        np.savez(temporary, **arrays)
        temporary.replace(path)

    @staticmethod
    def load_pitch(item: CachedItem) -> torch.Tensor:
        """(T,) F0 in Hz per mel frame, 0 where unvoiced (a cache built with `pitch`)."""
        with np.load(item.path) as data:
            if "f0" not in data:
                raise ValueError(f"{item.path} has no F0: build the feature cache with pitch (a model with prosody conditioning)")
            return torch.from_numpy(data["f0"].astype(np.float32))

    def statistics(self, items: list[CachedItem]) -> tuple[float, float]:
        """Mean and std of every log-mel value in `items` (for the model's normalization)."""
        entries = self.entries()
        count = sum(item.frames for item in items) * self.mel.n_mels
        total = sum(entries[item.id]["mel_sum"] for item in items)
        squares = sum(entries[item.id]["mel_sq"] for item in items)
        return mean_and_std(total, squares, count)

    def entries(self) -> dict:
        """Per-utterance manifest entries by id: frames, n_ids and the float sums behind `statistics`."""
        return self._read_manifest()["items"]

    @staticmethod
    def load(item: CachedItem) -> tuple[torch.Tensor, torch.Tensor]:
        try:
            with np.load(item.path) as data:
                return torch.from_numpy(data["mel"].astype(np.float32)), torch.from_numpy(data["ids"].astype(np.int64))
        except Exception as error:  # noqa: BLE001 - OSError, zipfile.BadZipFile, zlib.error, KeyError
            raise ValueError(f"{item.path}: unreadable cached features ({type(error).__name__}: {error}); rebuild the cache (delete this file and rerun)") from None

    def _read_manifest(self) -> dict:
        path = self.directory / MANIFEST
        if path.is_file():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
                current = isinstance(manifest, dict) and manifest.get("fingerprint") == self.fingerprint and isinstance(manifest.get("items"), dict)
            except (ValueError, UnicodeDecodeError) as error:
                warnings.warn(f"{path}: corrupt feature-cache manifest ({error}); rebuilding the cache", stacklevel=3)
                current = False
            if current:
                return manifest
            # Settings changed: every cached feature is stale.
            for stale in (self.directory / "items").glob("*.npz"):
                stale.unlink()
        return {"fingerprint": self.fingerprint, "items": {}}

    def _write_manifest(self, manifest: dict) -> None:
        path = self.directory / MANIFEST
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(manifest))
        temporary.replace(path)


def _readable(path: Path) -> bool:
    """Whether a cached .npz opens and lists its arrays (reads the zip directory only, not the data)."""
    try:
        with np.load(path) as data:
            return {"mel", "ids"} <= set(data.files)
    except Exception:  # noqa: BLE001 - missing, truncated (zipfile.BadZipFile) or not an npz
        return False


def text_ids(frontend, text: str) -> list[int]:
    """A transcript's phoneme ids as training sees them: every segment's phonemes, space-joined.

    Raises ValueError when the text has nothing to speak. Dropped characters are common in corpora,
    so the frontend's warnings about them are silenced here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return frontend.transcript_ids(text)


def mean_and_std(total: float, squares: float, count: int) -> tuple[float, float]:
    """Mean and std of `count` values from their sum and sum of squares (std floored at 1e-4)."""
    mean = total / count
    return mean, float(np.sqrt(max(squares / count - mean**2, 1e-8)))


def _signature(path: Path) -> list:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]

