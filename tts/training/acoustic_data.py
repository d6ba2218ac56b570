"""`AcousticDataModule`: metadata -> feature cache -> seeded split -> length-bucketed batches."""

from __future__ import annotations

from pathlib import Path

import lightning as L
from torch.utils.data import DataLoader

from tts.data.batching import AcousticDataset, LengthBucketSampler, collate
from tts.data.features import FeatureCache
from tts.data.metadata import SkipReport, read_metadata, seeded_split
from tts.training.acoustic_config import AcousticDataConfig


class AcousticDataModule(L.LightningDataModule):
    def __init__(self, config: AcousticDataConfig, mel, frontend, cache_dir: str | Path, progress: bool = True):
        super().__init__()
        self.config = config
        self.mel = mel
        self.frontend = frontend
        self.cache = FeatureCache(cache_dir, mel, frontend, config.min_seconds, config.max_seconds)
        self.progress = progress
        self.report = SkipReport()
        self.train_set = self.validation_set = None
        self.speakers: list[str] = []

    def prepare(self) -> None:
        """Read the metadata and build (or refresh) the feature cache. Idempotent."""
        if self.train_set is not None:
            return
        metadata = Path(self.config.metadata)
        utterances, self.report = read_metadata(metadata.parent, metadata.name, self.config.audio_dir, self.config.format)
        items = self.cache.build(utterances, self.report, progress=self.progress)
        if len(items) < 2:
            raise ValueError(f"{metadata}: only {len(items)} usable utterance(s); {self.report.summary()}")
        self.speakers = sorted({item.speaker for item in items if item.speaker is not None})
        train, validation = seeded_split(items, self.config.validation_items, self.config.seed)
        self.train_set = AcousticDataset(train, self.speakers)
        self.validation_set = AcousticDataset(validation, self.speakers)

    def setup(self, stage: str | None = None) -> None:
        self.prepare()

    def train_dataloader(self) -> DataLoader:
        trainer = self.trainer
        sampler = LengthBucketSampler(
            self.train_set.frame_lengths,
            self.config.batch_size,
            self.config.pool_batches,
            shuffle=True,
            seed=self.config.seed,
            drop_last=len(self.train_set) >= self.config.batch_size,
            num_replicas=trainer.world_size if trainer else 1,
            rank=trainer.global_rank if trainer else 0,
        )
        return DataLoader(self.train_set, batch_sampler=sampler, collate_fn=collate, num_workers=self.config.num_workers, persistent_workers=self.config.num_workers > 0)

    def val_dataloader(self) -> DataLoader:
        sampler = LengthBucketSampler(self.validation_set.frame_lengths, self.config.batch_size, shuffle=False)
        return DataLoader(self.validation_set, batch_sampler=sampler, collate_fn=collate)
