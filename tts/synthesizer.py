"""`Synthesizer`: text -> audio with an acoustic model and a vocoder, offline, batched, or streamed.

Streaming is the core path for voice agents: text (whole, or pieces such as LLM tokens) is cut into
sentences or clauses; each is encoded whole, and then its mel is decoded in growing windows and its
audio in chunks, each yielded as soon as it is ready. Both decoders are convolutional, so this is
exact: the first audio plays after the encoder, a few dozen mel frames and one vocoder chunk, and the
chunks add up to the offline audio.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

FADE_MS = 3.0
"""Fade at each clause's edges in streaming, so joins between independently generated clauses never click."""

LARGEST_MEL_WINDOW = 256
"""Streaming decodes mel in windows that double up to this many frames: small first for a quick
first chunk, then large, since each window also recomputes the decoder's context at its edges."""


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1] at `sample_rate`."""

    samples: np.ndarray
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def save(self, path: str | Path, format: str | None = None) -> Path:
        """Write a wav or flac file (16-bit PCM); the format comes from the suffix unless given."""
        from tts.audio.io import save_audio

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


def _full_scale(samples: np.ndarray) -> np.ndarray:
    """A copy clipped to [-1, 1]. Voices learned from peak-normalized recordings (the default voice's
    teacher peaks at full scale) overshoot it by a few percent now and then; clipping sample by sample,
    as 16-bit output would anyway, needs no look-ahead, so streamed and whole audio stay identical."""
    return np.clip(samples, -1.0, 1.0)


def to_pcm16(samples: np.ndarray) -> bytes:
    return (_full_scale(samples) * 32767).astype("<i2").tobytes()


@dataclass(frozen=True)
class SynthesisOptions:
    """Per-call settings. A voice may set its own defaults for some of them (`VOICE_DEFAULTS`)."""

    steps: int = 1
    """Flow-map steps (1 or 2 are the product settings), or Euler steps with sampler='euler'."""
    speed: float = 1.0
    temperature: float = 0.667
    """Noise scale: lower is steadier, higher more varied (Matcha/Glow-TTS use 0.667)."""
    seed: int | None = 0
    """Noise seed; the same seed gives the same audio. None draws fresh noise."""
    speaker: int | str | None = None
    sampler: str = "flow_map"


VOICE_DEFAULTS = ("steps", "speed", "temperature")
"""Options an acoustic export may default in its config.json, as {"synthesis": {"temperature": 0.0}}:
the values measured best for that voice (`tts eval --temperature`); a call's own options override them."""


def voice_defaults(settings: dict) -> SynthesisOptions:
    """The options a voice's config.json "synthesis" entry asks for, on top of SynthesisOptions' own."""
    if not isinstance(settings, dict):
        raise ValueError(f'the voice\'s "synthesis" entry must be an object, got {settings!r}')
    unknown = sorted(set(settings) - set(VOICE_DEFAULTS))
    if unknown:
        raise ValueError(f'unknown "synthesis" defaults {unknown} in the voice\'s config; a voice may set {list(VOICE_DEFAULTS)}')
    for name, value in settings.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f'"synthesis" default {name} must be a number, got {value!r}')
    steps = settings.get("steps", 1)
    if settings.get("temperature", 0) < 0 or settings.get("speed", 1) <= 0 or steps < 1 or steps != int(steps):
        raise ValueError(f'"synthesis" defaults out of range: {settings} (temperature >= 0, speed > 0, steps a whole number >= 1)')
    return dataclasses.replace(SynthesisOptions(), **{k: int(v) if k == "steps" else float(v) for k, v in settings.items()})


class Synthesizer:
    """Built by `tts.load()`. Methods: `synthesize`, `synthesize_batch`, `stream`."""

    def __init__(self, acoustic, vocoder, device: str | torch.device = "cpu", dtype: torch.dtype | None = None, name: str = ""):
        self.device = torch.device(device)
        self.dtype = dtype or default_dtype(self.device)
        """Compute precision. Weights stay float32; lower precisions run under `torch.autocast`,
        which keeps numerically delicate ops (norms, exp, the inverse FFT) in float32."""
        if self.dtype not in (torch.float32, torch.bfloat16, torch.float16):
            raise ValueError(f"dtype must be float32, bfloat16 or float16, got {self.dtype}")
        self.frontend = model_frontend(acoustic)
        self.acoustic = acoustic.to(self.device, torch.float32).eval()
        self.vocoder = vocoder.to(self.device).eval()
        if self.vocoder.mel_config.n_mels != acoustic.config.mel.n_mels or self.vocoder.hop_length != acoustic.config.mel.hop_length:
            raise ValueError("the vocoder's mel settings do not match the acoustic model's")
        self.speakers: list[str] = list(acoustic.extra.get("speakers", []))
        self.defaults = voice_defaults(acoustic.extra.get("synthesis", {}))
        """Options used where a call gives none: SynthesisOptions' defaults, with the voice's own on top."""
        self.name = name
        self.graphs: list[str] = []
        """Networks running as ONNX graphs (set by `tts.load`), e.g. 'acoustic/decoder'; the rest run in torch."""

    def _precision(self):
        """The context every model call runs in (entered per call: a generator must not hold it across
        a yield): the compute precision, and one torch thread when ONNX graphs do the heavy work."""
        stack = contextlib.ExitStack()
        if self.dtype != torch.float32:
            stack.enter_context(torch.autocast(self.device.type, dtype=self.dtype))
        if self.graphs:
            stack.enter_context(_torch_threads(1))
        return stack

    @property
    def runtime(self) -> str:
        """What runs the networks, for reports: 'torch', or 'ONNX Runtime for acoustic/encoder, ...'."""
        return f"ONNX Runtime for {', '.join(self.graphs)}" if self.graphs else "torch"

    @property
    def sample_rate(self) -> int:
        return self.vocoder.sample_rate

    def _options(self, options: dict) -> SynthesisOptions:
        """A call's options on top of the voice's defaults."""
        unknown = sorted(set(options) - {field.name for field in dataclasses.fields(SynthesisOptions)})
        if unknown:
            raise TypeError(f"unknown synthesis options {unknown}")
        return dataclasses.replace(self.defaults, **options)

    # ---- offline --------------------------------------------------------------------------------
    def synthesize(self, text: str, **options) -> Audio:
        """One text (any length: it is split into sentences, batched through the model) -> Audio."""
        return self.synthesize_batch([text], **options)[0]

    def synthesize_batch(self, texts: list[str], batch_size: int = 16, **options) -> list[Audio]:
        """Texts -> one Audio each. Sentences of all texts go through the acoustic model in padded
        batches of `batch_size`; each result equals `synthesize` of that text alone."""
        opts = self._options(options)
        if isinstance(texts, str):
            raise TypeError("synthesize_batch takes a list of texts; use synthesize for one text")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        segments = [self.frontend(text) for text in texts]
        flat = [(i, segment) for i, text_segments in enumerate(segments) for segment in text_segments]
        # Sorting by length keeps padding small; results are put back in order below.
        order = sorted(range(len(flat)), key=lambda k: len(flat[k][1].ids))
        mels: list[torch.Tensor | None] = [None] * len(flat)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            for k, mel in zip(chunk, self._mels([flat[k][1].ids for k in chunk], opts)):
                mels[k] = mel
        pieces: list[list[np.ndarray]] = [[] for _ in texts]
        for (i, _), mel in zip(flat, mels):
            pieces[i].append(self._vocode(mel))
        return [Audio(np.concatenate(p), self.sample_rate) for p in pieces]

    def _mels(self, id_lists: list[list[int]], opts: SynthesisOptions) -> list[torch.Tensor]:
        """Phoneme id lists -> mel (n_mels, T_i) each, in one padded acoustic-model call."""
        inputs = self._prepare(id_lists, opts)
        with self._precision():
            mel = self.acoustic.decode(inputs, opts.steps, opts.sampler)
        return [mel[row, :, : int(inputs.lengths[row])].float() for row in range(len(id_lists))]

    def _prepare(self, id_lists: list[list[int]], opts: SynthesisOptions):
        """Phoneme id lists -> the acoustic model's `DecoderInputs` for them as one padded batch."""
        lengths = torch.tensor([len(ids) for ids in id_lists], device=self.device)
        padded = torch.zeros(len(id_lists), int(lengths.max()), dtype=torch.long, device=self.device)
        for row, ids in enumerate(id_lists):
            padded[row, : len(ids)] = torch.tensor(ids, device=self.device)
        speakers = self._speaker_ids(opts.speaker, len(id_lists))
        with self._precision():
            return self.acoustic.prepare(padded, lengths, speed=opts.speed, temperature=opts.temperature, speakers=speakers, seed=opts.seed)

    def _vocode(self, mel: torch.Tensor) -> np.ndarray:
        # One item at a time: in a padded batch the vocoder's convolutions would see the padding
        # frames near each item's end, and batch output would no longer equal single output.
        with self._precision():
            return _full_scale(self.vocoder.decode(mel[None])[0].float().cpu().numpy())

    def _speaker_ids(self, speaker, count: int) -> torch.Tensor | None:
        if speaker is None:
            return None
        if isinstance(speaker, str):
            if speaker not in self.speakers:
                raise ValueError(f"unknown speaker {speaker!r}; this voice has {self.speakers or 'one unnamed speaker'}")
            speaker = self.speakers.index(speaker)
        return torch.full((count,), int(speaker), dtype=torch.long, device=self.device)

    # ---- streaming ------------------------------------------------------------------------------
    def stream(self, text: str | Iterable[str], chunk_frames: int = 16, **options) -> Iterator[AudioChunk]:
        """Yield audio chunks while synthesizing.

        A whole `text` is spoken sentence by sentence, exactly as `synthesize` speaks it: the
        concatenated chunks equal its audio. An iterable of pieces (e.g. LLM tokens) is cut into
        clauses as they complete, and each clause is spoken as soon as it is; clause edges get a
        short fade, since neighbouring clauses are generated apart.
        """
        from text.incremental import IncrementalClauseSplitter

        opts = self._options(options)
        if isinstance(text, str):
            for index, segment in enumerate(self.frontend(text)):
                yield from self._stream_segment(segment.ids, segment.text, index, chunk_frames, 0, opts)
            return
        for index, clause in enumerate(_clauses_from_pieces(text, IncrementalClauseSplitter())):
            yield from self.stream_clause(clause, index, chunk_frames, **options)

    def stream_clause(self, clause: str, index: int = 0, chunk_frames: int = 16, **options) -> Iterator[AudioChunk]:
        """Speak one clause as chunks, with short fades at its edges; nothing for a clause with no words."""
        opts = self._options(options)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a stray token is not worth a warning mid-stream
                segments = self.frontend(clause)
        except ValueError:
            return  # punctuation or symbols alone: nothing to say
        fade = int(self.sample_rate * FADE_MS / 1000)
        for segment in segments:
            yield from self._stream_segment(segment.ids, clause, index, chunk_frames, fade, opts)

    def _stream_segment(self, ids: list[int], text: str, index: int, chunk_frames: int, fade: int, opts: SynthesisOptions) -> Iterator[AudioChunk]:
        """Speak one sentence: encode it whole, then decode mel and audio window by window.

        Every audio chunk but the last has `chunk_frames` frames; the first mel window is just large
        enough for the vocoder's first chunk (its frames plus the vocoder's right context).
        """
        from vocoder.streaming import StreamingDecoder

        inputs = self._prepare([ids], opts)
        total = int(inputs.lengths[0])
        vocoder = StreamingDecoder(self.vocoder, chunk_frames)
        count = -(-total // chunk_frames)
        produced = 0
        for start, end in mel_windows(total, first=chunk_frames + vocoder.right):
            with self._precision():
                mel = self.acoustic.decode(inputs, opts.steps, opts.sampler, start, end)[0].float()
            chunks = vocoder.push(mel)
            if end == total:
                chunks = vocoder.finish()  # `push` is lazy: `finish` yields its chunks too, and the rest
            for chunk in _computed_in(self._precision, chunks):
                last = produced == count - 1
                yield self._chunk(chunk.float().cpu().numpy(), text, index, last, fade if produced == 0 else 0, fade if last else 0)
                produced += 1

    def _chunk(self, samples: np.ndarray, clause: str, index: int, last: bool, fade_in: int, fade_out: int) -> AudioChunk:
        samples = _full_scale(samples)
        if fade_in:
            n = min(fade_in, len(samples))
            samples[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
        if fade_out:
            n = min(fade_out, len(samples))
            samples[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)
        return AudioChunk(samples, self.sample_rate, clause, index, last)

    def time_to_first_audio(self, text: str, **options) -> float:
        """Seconds from the call to the first streamed chunk (for benchmarks)."""
        start = time.perf_counter()
        next(iter(self.stream(text, **options)))
        return time.perf_counter() - start


def model_frontend(acoustic):
    """The text frontend an acoustic model was trained with: its saved symbol table and language.

    Warns when the espeak-ng in use is not the version its training phonemes came from.
    """
    from text import SymbolTable, TextFrontend

    frontend_config = acoustic.extra.get("frontend", {})
    symbols = SymbolTable.from_list(frontend_config["symbols"]) if "symbols" in frontend_config else SymbolTable()
    if len(symbols) != acoustic.config.n_vocab:
        raise ValueError(f"the model's vocabulary ({acoustic.config.n_vocab}) does not match its symbol table ({len(symbols)})")
    frontend = TextFrontend(symbols=symbols, language=frontend_config.get("language", "en-us"))
    trained_with = frontend_config.get("espeak_version")
    if trained_with and trained_with != frontend.espeak_version:
        warnings.warn(
            f"this voice was trained with espeak-ng {trained_with}, but {frontend.espeak_version} is in use; "
            "some words may be pronounced differently",
            stacklevel=3,
        )
    return frontend


@contextlib.contextmanager
def _torch_threads(count: int):
    """torch's intra-op threads set to `count` inside the block. With ONNX graphs torch runs only the
    glue between them, and its idle OpenMP threads spin-wait, taking the cores from ONNX Runtime's
    (RTF 0.018 instead of 0.0105 on 2 cores)."""
    before = torch.get_num_threads()
    if before == count:
        yield
        return
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def default_dtype(device: torch.device) -> torch.dtype:
    """float32 on CPUs, float16 on GPUs.

    bfloat16 on a CPU with native bfloat16 halves the time of a long repeated sentence, but oneDNN
    builds its kernels for each new input shape, and every new sentence is one: over held-out
    sentences it was slower to first audio than float32 (benchmarks/synthesis_speed.py, `tts eval`).
    """
    return torch.float32 if device.type == "cpu" else torch.float16


def mel_windows(total: int, first: int) -> Iterator[tuple[int, int]]:
    """[start, end) frame windows covering [0, total): `first` frames, then doubling up to LARGEST_MEL_WINDOW."""
    start, size = 0, max(1, first)
    while start < total:
        end = min(total, start + size)
        yield start, end
        start, size = end, min(2 * size, LARGEST_MEL_WINDOW)


def _computed_in(context, iterator: Iterator) -> Iterator:
    """Advance a lazy iterator inside a fresh `context()` per item, so no context is held across a yield."""
    while True:
        with context():
            item = next(iterator, None)
        if item is None:
            return
        yield item


def _clauses_from_pieces(pieces: Iterable[str], splitter) -> Iterator[str]:
    for piece in pieces:
        yield from splitter.push(piece)
    yield from splitter.flush()
