"""`AcousticDataModule`: metadata -> feature cache (or a feature pack) -> seeded split -> length-bucketed batches."""

from __future__ import annotations

from pathlib import Path

import lightning as L
from torch.utils.data import DataLoader

from training.metadata import SkipReport, read_metadata, seeded_split
from tts.data.batching import AcousticDataset, LengthBucketSampler, collate
from tts.data.features import FeatureCache
from tts.training.config import AcousticDataConfig


class AcousticDataModule(L.LightningDataModule):
    """With `config.feature_packs` the utterances come from the packs and `frontend` may be None;
    otherwise from `config.metadata`, featurized into the cache at `cache_dir` with `frontend`."""

    def __init__(self, config: AcousticDataConfig, mel, frontend, cache_dir: str | Path, progress: bool = True, pitch: bool = False):
        super().__init__()
        self.config = config
        self.pitch = pitch
        """Batches carry F0 per frame (a model with prosody conditioning)."""
        self.mel = mel
        self.frontend = frontend
        if pitch and config.feature_packs:
            raise ValueError("feature packs carry no F0 yet: train a model with prosody conditioning from metadata and audio")
        self.cache = None if config.feature_packs else FeatureCache(cache_dir, mel, frontend, config.min_seconds, config.max_seconds, pitch=pitch)
        self.pack = None
        self.progress = progress
        self.report = SkipReport()
        self.items: list = []
        """Every usable utterance, in the order the seeded split starts from."""
        self.train_set = self.validation_set = None
        self.speakers: list[str] = []

    def prepare(self) -> None:
        """Read the metadata and build (or refresh) the feature cache, or read the packs. Idempotent."""
        if self.train_set is not None:
            return
        if self.config.feature_packs:
            items, load, source = self._read_packs(), self.pack.load, "the feature packs"
        else:
            metadata = Path(self.config.metadata)
            utterances, self.report = read_metadata(metadata.parent, metadata.name, self.config.audio_dir, self.config.format)
            items, load, source = self.cache.build(utterances, self.report, progress=self.progress), FeatureCache.load, str(metadata)
        if len(items) < 2:
            raise ValueError(f"{source}: only {len(items)} usable utterance(s); {self.report.summary()}")
        self.items = items
        self.speakers = sorted({item.speaker for item in items if item.speaker is not None})
        train, validation = seeded_split(items, self.config.validation_items, self.config.seed)
        load_pitch = FeatureCache.load_pitch if self.pitch else None
        self.train_set = AcousticDataset(train, self.speakers, load, load_pitch)
        self.validation_set = AcousticDataset(validation, self.speakers, load, load_pitch)

    def _read_packs(self) -> list:
        from tts.data.feature_pack import FeaturePack

        self.pack = FeaturePack(self.config.feature_packs)
        if self.pack.mel_config != self.mel:
            raise ValueError(f"the feature packs were made with mel settings {self.pack.mel_config}, the model uses {self.mel}")
        return self.pack.items

    @property
    def frontend_config(self) -> dict:
        """The frontend settings the features were made with (saved in the model's config)."""
        return self.pack.frontend_config if self.pack is not None else self.frontend.config()

    def statistics(self) -> tuple[float, float]:
        """Mean and std of the training set's log-mel values (the model's normalization)."""
        source = self.pack if self.pack is not None else self.cache
        return source.statistics(self.train_set.items)

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
        return DataLoader(self.train_set, batch_sampler=sampler.resume(trainer), collate_fn=collate, num_workers=self.config.num_workers, persistent_workers=self.config.num_workers > 0)

    def val_dataloader(self) -> DataLoader:
        sampler = LengthBucketSampler(self.validation_set.frame_lengths, self.config.batch_size, shuffle=False)
        return DataLoader(self.validation_set, batch_sampler=sampler, collate_fn=collate)
