"""Streaming decode: clauses spoken as text arrives (`SpeechStream`), a sentence's mel in growing
windows, and the vocoder's chunks as soon as each can be made."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from text.incremental import IncrementalClauseSplitter
from tts.audio.resampling import StreamResampler
from tts.synthesis.audio import AudioChunk, full_scale
from tts.synthesis.options import SynthesisOptions

CHUNK_FRAMES = 16
"""Mel frames per streamed audio chunk by default (16 frames are 0.17 s at 24 kHz, hop 256)."""
FIRST_CHUNK_FRAMES = 8
"""Mel frames in a streamed sentence's first chunk, at most: with the default 16-frame chunks the
first audio waits for 8 fewer frames of decoder and vocoder work (0.45 ms of a 12 ms first chunk on 2
cores), and the 85 ms it plays leave ample time for the next."""
LARGEST_MEL_WINDOW = 256
"""Streaming decodes mel in windows that double up to this many frames: small first for a quick
first chunk, then large, since each window also recomputes the decoder's context at its edges."""


def mel_windows(total: int, first: int) -> Iterator[tuple[int, int]]:
    """[start, end) frame windows covering [0, total): `first` frames, then doubling up to LARGEST_MEL_WINDOW."""
    start, size = 0, max(1, first)
    while start < total:
        end = min(total, start + size)
        yield start, end
        start, size = end, min(2 * size, LARGEST_MEL_WINDOW)


def vocoded(vocoder, mels: Iterable) -> Iterator:
    """Mel pieces -> audio chunks through a StreamingDecoder, each chunk as soon as it can be made."""
    for mel in mels:
        yield from vocoder.push(mel)
    yield from vocoder.finish()


class SpeechStream:
    """Text pushed in as it arrives -> the audio of each clause as soon as the clause completes.

    Made by `Synthesizer.open_stream` (or `stream` of an iterable), with options checked once. Clauses
    are numbered, and word times count, from the start of the stream; with an output rate other
    than the voice's, one resampler runs across the clauses (no seams at their joins), and `flush`
    ends it with its filter's last few milliseconds.
    """

    def __init__(self, synthesizer, opts: SynthesisOptions, chunk_frames: int):
        self.synthesizer, self.options, self.chunk_frames = synthesizer, opts, chunk_frames
        self.splitter = IncrementalClauseSplitter()
        self.clause_index = 0
        """The next clause's number."""
        self._elapsed = [0.0]
        rate = synthesizer.sample_rate
        self.sample_rate = opts.sample_rate or rate
        self._resampler = None if self.sample_rate == rate else StreamResampler(rate, self.sample_rate)
        self._last: AudioChunk | None = None

    @property
    def pending(self) -> str:
        """Text pushed but not yet spoken: the open clause."""
        return self.splitter.pending

    def push(self, text: str) -> Iterator[AudioChunk]:
        """Add text; yield the audio of every clause it completes."""
        yield from self.speak_clauses(self.clauses(text))

    def flush(self) -> Iterator[AudioChunk]:
        """Speak the open clause, and end the resampler (a later push starts a new one)."""
        yield from self.speak_clauses(self.splitter.flush())
        yield from self.end()

    def clauses(self, text: str) -> list[str]:
        """Add text; the clauses it completes, not yet spoken (a server splits on its event loop and
        speaks each clause in a worker, with `speak_clauses`)."""
        return list(self.splitter.push(text))

    def rest(self) -> list[str]:
        """The open clause as a last clause (nothing when there is none), not yet spoken."""
        return list(self.splitter.flush())

    def speak_clauses(self, clauses) -> Iterator[AudioChunk]:
        """The audio of these clauses, numbered on from the stream's last."""
        for clause in clauses:
            yield from self._speak(clause)

    def end(self) -> Iterator[AudioChunk]:
        """The resampler's last few milliseconds, if the stream resamples and has spoken since the last end."""
        if self._resampler is not None:
            tail = full_scale(self._resampler.finish())
            self._resampler = StreamResampler(self._resampler.rate, self._resampler.target)
            if self._last is not None and len(tail):
                yield dataclasses.replace(self._last, samples=tail, words=[])
        self._last = None

    def cancel(self) -> None:
        """Drop the open clause unspoken."""
        self.splitter.reset()

    def carry_on(self, previous: SpeechStream) -> SpeechStream:
        """Take over another stream's open clause, clause numbers and clock (new options mid-stream);
        its resampler's tail is dropped. Returns self."""
        self.splitter, self.clause_index, self._elapsed = previous.splitter, previous.clause_index, previous._elapsed
        return self

    def speak(self, pieces: Iterable[str]) -> Iterator[AudioChunk]:
        """Every piece pushed in turn, then a flush."""
        for piece in pieces:
            yield from self.push(piece)
        yield from self.flush()

    def _speak(self, clause: str) -> Iterator[AudioChunk]:
        index, self.clause_index = self.clause_index, self.clause_index + 1
        for chunk in self.synthesizer._clause(clause, index, self.options, self._elapsed, self.chunk_frames):
            if self._resampler is not None:
                chunk = dataclasses.replace(chunk, samples=full_scale(self._resampler.push(chunk.samples)), sample_rate=self.sample_rate)
            self._last = chunk
            yield chunk
