"""Chunked decoding of a mel stream whose concatenated output equals the offline decode.

A convolutional vocoder's output at frame f depends only on frames [f - left, f + right]. So a chunk
of frames [a, b) is decoded from the window [a - left, b + right) clipped to the frames received,
and only the chunk's own samples are kept. Near the true start and end of the stream the window is
clipped exactly where the offline decode's zero padding begins, so those edges match too. The cost of
exactness is latency: a frame's audio can be emitted only once `right` later frames have arrived
(or the stream has ended).

It works on numpy arrays (the CPU runtime's `OnnxVocos`) and on torch tensors (torch vocoders) alike:
the buffer keeps whichever kind arrives, and torch is imported only when tensors do.
"""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator

import numpy as np


class StreamingDecoder:
    """Feed mel frames with `push`, end with `finish`; both return iterators of audio chunks.

    Mel pieces are (B, n_mels, t) or (n_mels, t), any t >= 0; chunks are (B, k * hop) or (k * hop,),
    k <= chunk_frames (k <= first_chunk_frames for the first chunk: a smaller first chunk needs fewer
    frames, so it plays sooner). Iterators are lazy: each chunk is decoded when it is asked for, so a
    caller can play the first chunk before the rest is computed; chunks not consumed are produced by a
    later call.
    """

    def __init__(self, vocoder, chunk_frames: int = 16, first_chunk_frames: int | None = None):
        first_chunk_frames = chunk_frames if first_chunk_frames is None else first_chunk_frames
        if min(chunk_frames, first_chunk_frames) < 1:
            raise ValueError(f"chunk_frames and first_chunk_frames must be >= 1, got {chunk_frames} and {first_chunk_frames}")
        self.vocoder = vocoder
        self.chunk_frames = chunk_frames
        self.first_chunk_frames = first_chunk_frames
        self.left, self.right = vocoder.context_frames
        self._buffer = None  # a numpy array or torch tensor of frames [self._buffer_start, self._received)
        self._buffer_start = 0
        self._received = 0
        self._emitted = 0
        self._finished = False
        self._unbatched: bool | None = None

    @property
    def latency_ms(self) -> float:
        """Audio held back waiting for right context, in ms (mel arriving frame by frame)."""
        return 1000.0 * self.right * self.vocoder.hop_length / self.vocoder.sample_rate

    def push(self, mel) -> Iterator:
        """Append mel frames; returns the chunks that now have all their right context."""
        if self._finished:
            raise RuntimeError("push() after finish(): start a new StreamingDecoder")
        self._append(mel)
        return self._drain()

    def finish(self) -> Iterator:
        """The stream has ended: returns the remaining chunks (no more right context will come)."""
        self._finished = True
        return self._drain()

    def _append(self, mel) -> None:
        unbatched = mel.ndim == 2
        if unbatched:
            mel = mel[None]
        n_mels = self.vocoder.mel_config.n_mels
        if mel.ndim != 3 or mel.shape[1] != n_mels:
            raise ValueError(f"expected mel pieces of shape (B, {n_mels}, t) or ({n_mels}, t), got {tuple(mel.shape)}")
        if self._unbatched is None:
            self._unbatched = unbatched
        if self._buffer is not None and mel.shape[0] != self._buffer.shape[0]:
            raise ValueError(f"batch size changed mid-stream: {self._buffer.shape[0]} -> {mel.shape[0]}")
        mel = mel.detach().float() if _is_tensor(mel) else np.asarray(mel, dtype=np.float32)
        if self._buffer is None:
            self._buffer = mel
        elif _is_tensor(mel):
            import torch

            self._buffer = torch.cat([self._buffer, mel], dim=-1)
        else:
            self._buffer = np.concatenate([self._buffer, mel], axis=-1)
        self._received += mel.shape[-1]

    def _drain(self) -> Iterator:
        while True:
            start = self._emitted
            size = self.first_chunk_frames if start == 0 else self.chunk_frames
            ready = self._received if self._finished else self._received - self.right
            end = min(start + size, ready)
            if end <= start or (end - start < size and not self._finished):
                return
            yield self._decode(start, end)

    def _decode(self, start: int, end: int):
        window_start = max(0, start - self.left)
        window_end = min(self._received, end + self.right)
        offset = self._buffer_start
        window = self._buffer[..., window_start - offset : window_end - offset]
        hop = self.vocoder.hop_length
        with _inference(window):
            audio = self.vocoder(window)
        # Same end padding as Vocoder.decode: every frame stands for exactly `hop` samples.
        missing = window.shape[-1] * hop - audio.shape[-1]
        if _is_tensor(audio):
            import torch

            audio = torch.nn.functional.pad(audio, (0, missing))
        else:
            audio = np.pad(audio, ((0, 0), (0, missing)))
        chunk = audio[..., (start - window_start) * hop : (end - window_start) * hop]
        self._emitted = end
        # Keep only what later chunks can still reach.
        keep_from = max(0, end - self.left)
        if keep_from > self._buffer_start:
            self._buffer = self._buffer[..., keep_from - self._buffer_start :]
            self._buffer_start = keep_from
        return chunk[0] if self._unbatched else chunk


def _is_tensor(array) -> bool:
    return type(array).__module__.startswith("torch")


def _inference(window):
    """torch's inference mode around a torch vocoder's call; nothing for numpy."""
    if _is_tensor(window):
        import torch

        return torch.inference_mode()
    return contextlib.nullcontext()


def stream_decode(vocoder, mel_pieces: Iterable, chunk_frames: int = 16) -> Iterator:
    """Decode an iterable of mel pieces into audio chunks, lazily. Concatenated, they equal `vocoder.decode`."""
    decoder = StreamingDecoder(vocoder, chunk_frames)
    for piece in mel_pieces:
        yield from decoder.push(piece)
    yield from decoder.finish()
