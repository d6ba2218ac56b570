"""Padding collation and a length-bucketing batch sampler for variable-length utterances."""

from __future__ import annotations

import random

import torch
from torch.utils.data import Dataset

from training.batches import ResumableBatches
from tts.data.features import CachedItem, FeatureCache


class AcousticDataset(Dataset):
    """Item i -> {"ids" (N,), "mel" (n_mels, T), "speaker" int}.

    `load(item) -> (mel, ids)` reads one item: the feature cache's files by default, or a feature pack's.
    `load_pitch(item) -> f0 (T,)`, when given, adds "f0" (Hz per mel frame, 0 unvoiced) for prosody.
    """

    def __init__(self, items: list[CachedItem], speakers: list[str] | None = None, load=FeatureCache.load, load_pitch=None):
        self.items = items
        self.speaker_index = {name: i for i, name in enumerate(speakers or [])}
        self.load = load
        self.load_pitch = load_pitch

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict:
        item = self.items[index]
        mel, ids = self.load(item)
        speaker = self.speaker_index.get(item.speaker, 0) if item.speaker is not None else 0
        if self.load_pitch is None:
            return {"ids": ids, "mel": mel, "speaker": speaker}
        return {"ids": ids, "mel": mel, "speaker": speaker, "f0": self.load_pitch(item)}

    @property
    def frame_lengths(self) -> list[int]:
        return [item.frames for item in self.items]


def collate(batch: list[dict]) -> dict:
    """Pad to the longest item: ids (B, N) with 0 (the pad symbol), mel (B, n_mels, T) with 0, and f0
    (B, T) with 0 (unvoiced) when the items have it."""
    id_lengths = torch.tensor([len(b["ids"]) for b in batch])
    mel_lengths = torch.tensor([b["mel"].shape[-1] for b in batch])
    ids = torch.zeros(len(batch), int(id_lengths.max()), dtype=torch.long)
    mel = torch.zeros(len(batch), batch[0]["mel"].shape[0], int(mel_lengths.max()))
    for i, b in enumerate(batch):
        ids[i, : len(b["ids"])] = b["ids"]
        mel[i, :, : b["mel"].shape[-1]] = b["mel"]
    padded = {"ids": ids, "id_lengths": id_lengths, "mel": mel, "mel_lengths": mel_lengths, "speakers": torch.tensor([b["speaker"] for b in batch])}
    if "f0" in batch[0]:
        padded["f0"] = torch.zeros(len(batch), mel.shape[-1])
        for i, b in enumerate(batch):
            padded["f0"][i, : len(b["f0"])] = b["f0"][: mel.shape[-1]]
    return padded


class LengthBucketSampler(ResumableBatches):
    """Batches of similar length: shuffle, sort within pools of `pool_batches` batches, shuffle the batches.

    Padding waste stays small while batch order stays random. Deterministic per (seed, epoch), sharded
    across ranks and skippable on resume (`training.batches.ResumableBatches`).
    """

    def __init__(
        self,
        lengths: list[int],
        batch_size: int,
        pool_batches: int = 50,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
        num_replicas: int = 1,
        rank: int = 0,
    ):
        super().__init__(num_replicas, rank)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.lengths = list(lengths)
        self.batch_size = batch_size
        self.pool = pool_batches * batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last

    def _epoch_batches(self) -> list[list[int]]:
        order = list(range(len(self.lengths)))
        rng = random.Random(self.seed + self.epoch)
        if self.shuffle:
            rng.shuffle(order)
        batches = []
        for start in range(0, len(order), self.pool):
            pool = sorted(order[start : start + self.pool], key=lambda i: self.lengths[i])
            batches += [pool[i : i + self.batch_size] for i in range(0, len(pool), self.batch_size)]
        if self.drop_last:
            batches = [b for b in batches if len(b) == self.batch_size]
        if self.shuffle:
            rng.shuffle(batches)
        return batches
