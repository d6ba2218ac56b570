"""The synthesizer's results: `Audio` (a whole text) and `AudioChunk` (a piece of a stream), kept in
[-1, 1], and a stream resampled to another output rate without seams."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tts.audio.encoding import to_pcm16
from tts.audio.resampling import StreamResampler
from tts.synthesis.word_timing import WordTiming


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1] at `sample_rate`, and the words spoken in them."""

    samples: np.ndarray
    sample_rate: int
    words: list[WordTiming] = field(default_factory=list)
    """Each word of the source text with its start and end in seconds (tts.synthesis.word_timing)."""

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write a wav or flac file (16-bit PCM); the format comes from the suffix unless given."""
        from vocoder.audio_io import save_audio

        return save_audio(path, self.samples, self.sample_rate, format=format)

    def pcm16(self) -> bytes:
        """Little-endian 16-bit PCM bytes, as streamed to players."""
        return to_pcm16(self.samples)


@dataclass
class AudioChunk:
    """A piece of streamed audio, and the clause it belongs to."""

    samples: np.ndarray
    sample_rate: int
    text: str
    """The clause being spoken."""
    clause_index: int
    last_in_clause: bool
    words: list[WordTiming] = field(default_factory=list)
    """The words that start in this chunk, timed in seconds from the start of the stream."""

    def pcm16(self) -> bytes:
        """Little-endian 16-bit PCM bytes of this chunk, as streamed to players."""
        return to_pcm16(self.samples)


def full_scale(samples: np.ndarray) -> np.ndarray:
    """A copy clipped to [-1, 1]. Voices learned from peak-normalized recordings (the default voice's
    teacher peaks at full scale) overshoot it by a few percent now and then; clipping sample by sample,
    as 16-bit output would anyway, needs no look-ahead, so streamed and whole audio stay identical."""
    return np.clip(samples, -1.0, 1.0)


def resampled_stream(chunks: Iterable[AudioChunk], rate: int, target: int) -> Iterator[AudioChunk]:
    """Chunks at `rate` -> the same chunks at `target`, each as soon as it comes, through one stream
    resampler: concatenated, they equal the whole audio resampled. The resampler's last few
    milliseconds (its filter delay) follow as one more short chunk of the last clause."""
    resampler = StreamResampler(rate, target)
    last = None
    for chunk in chunks:
        last = dataclasses.replace(chunk, samples=full_scale(resampler.push(chunk.samples)), sample_rate=target)
        yield last
    tail = full_scale(resampler.finish())
    if last is not None and len(tail):
        yield dataclasses.replace(last, samples=tail, words=[])
