"""Audio crops for vocoder training: random segments for training, fixed ones for validation."""

from __future__ import annotations

from pathlib import Path

import lightning as L
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler

from training.batches import EpochShuffledBatches
from training.metadata import (
    SkipReport,
    file_stem,
    list_audio_files,
    read_metadata,
    seeded_split,
)
from vocoder.audio_io import load_audio
from vocoder.mel_config import MelConfig
from vocoder.training.config import VocoderDataConfig


class AudioSegments(Dataset):
    """Item i: (segment,) float32 audio crop of `segment_samples` from file i, zero-padded if shorter.

    Random crops and gains when `random` is set; otherwise the first `segment_samples` (deterministic).
    With `mel_paths` (one per file: log-mel (n_mels, T) frame-aligned to the audio, frame f at sample
    f * hop), item i is (segment (S,), mel (n_mels, S / hop + 1)): crops start on a frame, the mel's
    frames are the ones covering the crop, and a gain g adds log g to the mel as it scales the audio.
    """

    def __init__(
        self,
        paths: list[Path],
        sample_rate: int,
        segment_samples: int,
        random: bool,
        seed: int = 0,
        mel_paths: list[Path] | None = None,
        hop_length: int = 256,
        log_floor: float = 1e-7,
    ):
        if not paths:
            raise ValueError("no audio files to train the vocoder on")
        if mel_paths is not None and len(mel_paths) != len(paths):
            raise ValueError(f"{len(mel_paths)} mel files for {len(paths)} audio files")
        self.paths = list(paths)
        self.mel_paths = mel_paths
        self.sample_rate = sample_rate
        # Mel crops are whole frames, so their audio is a whole number of hops.
        self.segment_samples = segment_samples - segment_samples % hop_length if mel_paths is not None else segment_samples
        self.hop_length = hop_length
        self.log_floor = log_floor
        self.random = random
        self.seed = seed

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, key: int | tuple[int, int]):
        """`key` is an index, or (index, epoch) from `EpochShuffledBatches`: random crops are seeded by
        (seed, index, epoch), so a resumed epoch draws the crops the unbroken one did."""
        index, epoch = key if isinstance(key, tuple) else (key, 0)
        samples, _ = load_audio(self.paths[index], self.sample_rate)
        mel = self._mel(index, len(samples)) if self.mel_paths is not None else None
        rng = np.random.default_rng((self.seed, index, epoch)) if self.random else None
        start = 0
        if rng is not None:
            room = max(1, len(samples) - self.segment_samples + 1)
            if mel is None:
                start = int(rng.integers(0, room))
            else:
                start = self.hop_length * int(rng.integers(0, -(-room // self.hop_length)))
        samples = samples[start : start + self.segment_samples]
        gain = 1.0
        if rng is not None:
            # Vocos trains on -6..-1 dB of peak; the vocoder learns to be level-independent.
            peak = float(np.abs(samples).max()) or 1.0
            gain = 10 ** (rng.uniform(-6.0, -1.0) / 20) / peak
            samples = samples * gain
        samples = np.pad(samples, (0, self.segment_samples - len(samples)))
        audio = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32))
        if mel is None:
            return audio
        first = start // self.hop_length
        frames = mel[:, first : first + self.segment_samples // self.hop_length + 1] + np.log(gain)
        # Padded audio is silence: its frames sit at the log floor.
        frames = np.pad(frames, ((0, 0), (0, self.segment_samples // self.hop_length + 1 - frames.shape[1])), constant_values=np.log(self.log_floor))
        return audio, torch.from_numpy(np.ascontiguousarray(frames, dtype=np.float32))

    def _mel(self, index: int, num_samples: int) -> np.ndarray:
        mel = np.load(self.mel_paths[index]).astype(np.float32)
        expected = 1 + num_samples // self.hop_length
        if mel.ndim != 2 or mel.shape[1] != expected:
            raise ValueError(f"{self.mel_paths[index]}: shape {mel.shape}, but {self.paths[index].name} needs {expected} frames")
        return mel


def vocoder_audio_files(config: VocoderDataConfig) -> tuple[list[Path], SkipReport]:
    """The audio files a config points at (metadata rows or a folder), with skipped rows reported."""
    if config.metadata is not None:
        metadata = Path(config.metadata)
        utterances, report = read_metadata(metadata.parent, metadata.name, config.audio_dir, config.format)
        return [u.audio_path for u in utterances], report
    return list_audio_files(config.audio_dir), SkipReport()


def acoustic_mel_files(config: VocoderDataConfig) -> tuple[dict[Path, Path], SkipReport]:
    """With `mel_dir`: each metadata row's audio file -> its acoustic-model mel (rows without one are
    reported as skipped)."""
    if config.metadata is None:
        raise ValueError("data.mel_dir needs data.metadata: mels are found by utterance id")
    metadata = Path(config.metadata)
    mel_dir = metadata.parent / config.mel_dir
    if not mel_dir.is_dir():
        raise FileNotFoundError(f"data.mel_dir {mel_dir} does not exist; write it with `tts acoustic-mels`")
    utterances, report = read_metadata(metadata.parent, metadata.name, config.audio_dir, config.format)
    mels = {}
    for utterance in utterances:
        path = mel_dir / f"{file_stem(utterance.id)}.npy"
        if path.is_file():
            mels[utterance.audio_path] = path
        else:
            report.skip("no acoustic mel", utterance.id)
    return mels, report


def drop_unreadable(paths: list[Path], sample_rate: int, min_samples: int, report: SkipReport) -> list[Path]:
    """Decode each file once up front, so a bad file is reported and skipped instead of stopping the run
    at its first batch: a header that reads is not enough (a corrupt FLAC body, NaN samples)."""
    import soundfile as sf

    kept = []
    for path in paths:
        try:
            samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
        except Exception:  # noqa: BLE001 - soundfile raises several types for unreadable files
            report.skip("unreadable audio", path.name)
            continue
        if not np.isfinite(samples).all():
            report.skip("audio with NaN or infinite samples", path.name)
            continue
        if len(samples) * sample_rate / max(rate, 1) < min_samples:
            report.skip("audio shorter than one mel frame window", path.name)
            continue
        kept.append(path)
    return kept


def _mels_of(paths: list[Path], mels: dict[Path, Path] | None) -> list[Path] | None:
    return None if mels is None else [mels[path] for path in paths]


class VocoderDataModule(L.LightningDataModule):
    def __init__(self, config: VocoderDataConfig, mel: MelConfig):
        super().__init__()
        self.config = config
        self.mel = mel
        self.sample_rate = mel.sample_rate
        self.min_samples = mel.n_fft
        self.report = SkipReport()
        self.train_set = self.validation_set = None

    def setup(self, stage: str | None = None) -> None:
        if self.train_set is not None:
            return
        c = self.config
        mels = None
        if c.mel_dir is not None:
            mels, self.report = acoustic_mel_files(c)
            paths = list(mels)
        else:
            paths, self.report = vocoder_audio_files(c)
        paths = drop_unreadable(paths, self.sample_rate, self.min_samples, self.report)
        train, validation = seeded_split(paths, c.validation_items, c.seed)
        pairing = {} if mels is None else {"hop_length": self.mel.hop_length, "log_floor": self.mel.log_floor}
        self.train_set = AudioSegments(
            train, self.sample_rate, c.segment_samples, random=True, seed=c.seed, mel_paths=_mels_of(train, mels), **pairing
        )
        self.validation_set = AudioSegments(
            validation, self.sample_rate, c.validation_segment_samples, random=False, mel_paths=_mels_of(validation, mels), **pairing
        )

    def train_dataloader(self) -> DataLoader:
        trainer = self.trainer
        batches = EpochShuffledBatches(
            len(self.train_set),
            self.config.batch_size,
            self.config.seed,
            drop_last=len(self.train_set) >= self.config.batch_size,
            num_replicas=trainer.world_size if trainer else 1,
            rank=trainer.global_rank if trainer else 0,
        )
        return DataLoader(self.train_set, batch_sampler=batches.resume(trainer), num_workers=self.config.num_workers, persistent_workers=self.config.num_workers > 0)

    def val_dataloader(self) -> DataLoader:
        trainer = self.trainer
        if trainer is None or trainer.world_size == 1:
            return DataLoader(self.validation_set, batch_size=1, num_workers=0)
        # Each rank validates its share (the trainer leaves sampling to the data modules).
        shard = DistributedSampler(self.validation_set, num_replicas=trainer.world_size, rank=trainer.global_rank, shuffle=False)
        return DataLoader(self.validation_set, batch_size=1, num_workers=0, sampler=shard)

