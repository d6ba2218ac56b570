"""Audio crops for vocoder training: random segments for training, fixed ones for validation."""

from __future__ import annotations

from pathlib import Path

import lightning as L
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from tts.audio.io import load_audio
from tts.data.metadata import SkipReport, list_audio_files, read_metadata, seeded_split
from vocoder.training.config import VocoderDataConfig


class AudioSegments(Dataset):
    """Item i: (segment,) float32 audio crop of `segment_samples` from file i, zero-padded if shorter.

    Random crops and gains when `random` is set; otherwise the first `segment_samples` (deterministic).
    """

    def __init__(self, paths: list[Path], sample_rate: int, segment_samples: int, random: bool, seed: int = 0):
        if not paths:
            raise ValueError("no audio files to train the vocoder on")
        self.paths = list(paths)
        self.sample_rate = sample_rate
        self.segment_samples = segment_samples
        self.random = random
        self.seed = seed
        self.calls = 0

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> torch.Tensor:
        samples, _ = load_audio(self.paths[index], self.sample_rate)
        if self.random:
            # A fresh generator per call: reproducible per (seed, worker, call) without shared state.
            self.calls += 1
            info = torch.utils.data.get_worker_info()
            rng = np.random.default_rng((self.seed, index, self.calls, info.id if info else 0))
            start = int(rng.integers(0, max(1, len(samples) - self.segment_samples + 1)))
            samples = samples[start : start + self.segment_samples]
            # Vocos trains on -6..-1 dB of peak; the vocoder learns to be level-independent.
            peak = float(np.abs(samples).max()) or 1.0
            samples = samples / peak * 10 ** (rng.uniform(-6.0, -1.0) / 20)
        else:
            samples = samples[: self.segment_samples]
        samples = np.pad(samples, (0, self.segment_samples - len(samples)))
        return torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32))


def vocoder_audio_files(config: VocoderDataConfig) -> tuple[list[Path], SkipReport]:
    """The audio files a config points at (metadata rows or a folder), with skipped rows reported."""
    if config.metadata is not None:
        metadata = Path(config.metadata)
        utterances, report = read_metadata(metadata.parent, metadata.name, config.audio_dir, config.format)
        return [u.audio_path for u in utterances], report
    return list_audio_files(config.audio_dir), SkipReport()


def drop_unreadable(paths: list[Path], sample_rate: int, min_samples: int, report: SkipReport) -> list[Path]:
    """Check each file once up front, so a bad file is reported instead of crashing a worker mid-run."""
    import soundfile as sf

    kept = []
    for path in paths:
        try:
            info = sf.info(str(path))
        except Exception:  # noqa: BLE001 - soundfile raises several types for unreadable files
            report.skip("unreadable audio", path.name)
            continue
        if info.frames * sample_rate / max(info.samplerate, 1) < min_samples:
            report.skip("audio shorter than one mel frame window", path.name)
            continue
        kept.append(path)
    return kept


class VocoderDataModule(L.LightningDataModule):
    def __init__(self, config: VocoderDataConfig, sample_rate: int, min_samples: int):
        super().__init__()
        self.config = config
        self.sample_rate = sample_rate
        self.min_samples = min_samples
        self.report = SkipReport()
        self.train_set = self.validation_set = None

    def setup(self, stage: str | None = None) -> None:
        if self.train_set is not None:
            return
        paths, report = vocoder_audio_files(self.config)
        self.report = report
        paths = drop_unreadable(paths, self.sample_rate, self.min_samples, self.report)
        train, validation = seeded_split(paths, self.config.validation_items, self.config.seed)
        c = self.config
        self.train_set = AudioSegments(train, self.sample_rate, c.segment_samples, random=True, seed=c.seed)
        self.validation_set = AudioSegments(validation, self.sample_rate, c.validation_segment_samples, random=False)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(
            self.train_set,
            batch_size=self.config.batch_size,
            shuffle=True,
            drop_last=len(self.train_set) >= self.config.batch_size,
            num_workers=self.config.num_workers,
            persistent_workers=self.config.num_workers > 0,
            generator=torch.Generator().manual_seed(self.config.seed),
        )

    def val_dataloader(self) -> DataLoader:
        return DataLoader(self.validation_set, batch_size=1, num_workers=0)

