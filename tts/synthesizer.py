"""`Synthesizer`: text -> audio with an acoustic model and a vocoder, offline, batched, or streamed.

Streaming is the core path for voice agents: text (whole, or pieces such as LLM tokens) is cut into
sentences or clauses; each is encoded whole, and then its mel is decoded in growing windows and its
audio in chunks, each yielded as soon as it is ready. Both decoders are convolutional, so this is
exact: the first audio plays after the encoder, a few dozen mel frames and one vocoder chunk, and the
chunks add up to the offline audio. `stream` is the one public path: whole synthesis, batches, the
CLI and the servers all go through it or through the sentence path it shares (`_chunks`).

The networks run in one of two engines (tts.engine), both behind numpy arrays: the CPU runtime (ONNX
Runtime and numpy, no torch) or torch modules. Everything here is the same for both. The parts live
in tts.synthesis: options, sentence planning, streaming decode, results and word timing.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Iterator

import numpy as np

from text.normalizer import normalize
from text.ssml import Pause, UnsupportedSsmlWarning
from tts.audio.resampling import resample
from tts.engine.sharpening import sharpen_mel
from tts.synthesis.audio import Audio, AudioChunk, full_scale, resampled_stream
from tts.synthesis.options import (
    SynthesisOptions,
    check_chunk_frames,
    for_part,
    voice_defaults,
)
from tts.synthesis.planning import Sentence, Utterance, model_frontend, plan_utterance
from tts.synthesis.streaming import (
    CHUNK_FRAMES,
    FIRST_CHUNK_FRAMES,
    SpeechStream,
    mel_windows,
    vocoded,
)
from tts.synthesis.word_timing import WordTiming, id_levels, word_timings
from vocoder.streaming import StreamingDecoder

FADE_MS = 3.0
"""Fade at each clause's edges in streaming, so joins between independently generated clauses never click."""

__all__ = ["Audio", "AudioChunk", "SpeechStream", "SynthesisOptions", "Synthesizer", "Utterance"]


class Synthesizer:
    """Built by `tts.load()`. Methods: `stream` and `open_stream` (the core), `synthesize`,
    `synthesize_batch`, `utterance`, `options`, `mels`.

    acoustic, vocoder: engines (see tts.engine): the CPU runtime's `OnnxAcoustic` and `OnnxVocos`, or
    the torch engine's `TorchAcoustic` and `TorchVocoder`, in any combination.
    """

    def __init__(self, acoustic, vocoder, name: str = "", lexicon=None):
        voice = acoustic.voice  # the typed config.json (tts.model.voice_config.VoiceConfig)
        self.frontend = model_frontend(voice.frontend, lexicon)
        self.acoustic = acoustic
        self.vocoder = vocoder
        mel = acoustic.config.mel
        if vocoder.mel_config.n_mels != mel.n_mels or vocoder.hop_length != mel.hop_length:
            raise ValueError("the vocoder's mel settings do not match the acoustic model's")
        self.speakers: list[str] = list(voice.speakers)
        self.defaults = voice_defaults(voice.synthesis)
        """Options used where a call gives none: SynthesisOptions' defaults, with the voice's own on top."""
        self.name = name

    @property
    def device(self) -> str:
        """Where the acoustic model runs: 'cpu', 'cuda', ..."""
        return self.acoustic.device

    @property
    def dtype(self) -> str:
        """The acoustic model's compute precision: 'float32', 'bfloat16' or 'float16'."""
        return self.acoustic.dtype

    @property
    def graphs(self) -> list[str]:
        """Networks running as ONNX graphs, e.g. 'acoustic/decoder'; empty when torch runs them all."""
        return [f"acoustic/{name}" for name in self.acoustic.graphs] + [f"vocoder/{name}" for name in self.vocoder.graphs]

    @property
    def runtime(self) -> str:
        """What runs the networks, for reports: 'torch', or 'ONNX Runtime for acoustic/encoder, ...'."""
        torch_parts = [part for part, engine in (("acoustic", self.acoustic), ("vocoder", self.vocoder)) if not engine.graphs]
        graphs = f"ONNX Runtime for {', '.join(self.graphs)}" if self.graphs else ""
        torch = f"torch for {' and '.join(torch_parts)}" if self.graphs and torch_parts else "torch"
        return graphs if not torch_parts else (f"{graphs}; {torch}" if graphs else torch)

    @property
    def sample_rate(self) -> int:
        return self.vocoder.sample_rate

    @property
    def steerable(self) -> bool:
        """Whether the voice has prosody conditioning, which the pitch and pitch_range options need."""
        return bool(self.acoustic.config.prosody.enabled)

    def options(self, **options) -> SynthesisOptions:
        """A call's options on top of the voice's defaults, checked (ValueError names a bad one); the
        server and CLI check what they are sent with this before any work starts."""
        unknown = sorted(set(options) - {field.name for field in dataclasses.fields(SynthesisOptions)})
        if unknown:
            raise TypeError(f"unknown synthesis options {unknown}")
        resolved = dataclasses.replace(self.defaults, **options)
        self._speaker_id(resolved.speaker)  # an unknown speaker name fails here too
        if not self.steerable and (resolved.pitch != 0.0 or resolved.pitch_range != 1.0):
            raise ValueError(f"{self.name or 'this voice'} has no prosody conditioning: pitch and pitch_range need a voice trained with it")
        return resolved

    def resolve_options(self, options: SynthesisOptions | None, overrides: dict) -> SynthesisOptions:
        """A call's options, checked once: keywords on top of the voice's defaults, or options already
        checked by `options()` (a caller that checked them before any work passes them on)."""
        if options is None:
            return self.options(**overrides)
        if not isinstance(options, SynthesisOptions):
            raise TypeError(f"options must be a SynthesisOptions (from voice.options()), got {type(options).__name__}")
        if overrides:
            raise TypeError(f"give options= or keyword options, not both (got {sorted(overrides)})")
        return options

    # ---- one utterance ------------------------------------------------------------------------
    def utterance(self, text: str | Utterance) -> Utterance:
        """Check and split `text` (plain or SSML) into what is spoken, in order: its sentences and
        pauses. ValueError for malformed SSML or nothing to speak. `synthesize`, `synthesize_batch`
        and `stream` take the result in place of the text, so a caller that checks a request first
        (the server, batch runs) does not run the frontend twice."""
        if isinstance(text, Utterance):
            return text if text.frontend is self.frontend else self.utterance(text.text)
        return plan_utterance(self.frontend, text)

    # ---- offline --------------------------------------------------------------------------------
    def synthesize(self, text: str | Utterance, options: SynthesisOptions | None = None, **overrides) -> Audio:
        """One text (any length: it is split into sentences, batched through the model) -> Audio."""
        return self.synthesize_batch([text], options=options, **overrides)[0]

    def synthesize_batch(self, texts: list[str | Utterance], batch_size: int = 16, options: SynthesisOptions | None = None, **overrides) -> list[Audio]:
        """Texts -> one Audio each: the chunks `stream` would yield for each text, joined, with each
        sentence's mel generated whole. Sentences of all texts go through the acoustic model in padded
        batches of `batch_size`; each result equals `synthesize` of that text alone."""
        opts = self.resolve_options(options, overrides)
        if isinstance(texts, (str, Utterance)):
            raise TypeError("synthesize_batch takes a list of texts; use synthesize for one text")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        utterances = [self.utterance(text) for text in texts]
        generated = self._generate_batched(utterances, opts, batch_size)
        rate = opts.sample_rate or self.sample_rate
        audios = []
        for u, utterance in enumerate(utterances):
            chunks = list(self._chunks(utterance, opts, [0.0], generated=lambda k, u=u: generated[u, k]))
            samples = np.concatenate([chunk.samples for chunk in chunks]) if chunks else np.zeros(0, dtype=np.float32)
            audios.append(Audio(self._resampled(samples, rate), rate, [word for chunk in chunks for word in chunk.words]))
        return audios

    def _generate_batched(self, utterances: list[Utterance], opts: SynthesisOptions, batch_size: int) -> dict:
        """(utterance index, part index) -> (mel (n_mels, T), frames per id (N,)) of every sentence,
        from padded batches of sentences that share a speed, pitch and pitch range (SSML parts may differ)."""
        todo = [(u, k, part) for u, utterance in enumerate(utterances) for k, part in enumerate(utterance.parts) if isinstance(part, Sentence)]
        by_delivery: dict[tuple, list] = {}
        for item in todo:
            part_opts = self._for_part(opts, item[2])
            by_delivery.setdefault((part_opts.speed, part_opts.pitch, part_opts.pitch_range), []).append((part_opts, item))
        generated = {}
        for same in by_delivery.values():
            same.sort(key=lambda entry: len(entry[1][2].segment.ids))  # similar lengths: little padding
            for first in range(0, len(same), batch_size):
                part_opts, batch = same[first][0], [item for _, item in same[first : first + batch_size]]
                results = self._mels_and_durations([part.segment.ids for _, _, part in batch], part_opts, [self._emphasis(part) for _, _, part in batch])
                generated.update({(u, k): result for (u, k, _), result in zip(batch, results)})
        return generated

    def _for_part(self, opts: SynthesisOptions, part: Sentence, warn: bool = True) -> SynthesisOptions:
        if warn and not self.steerable and (part.pitch != 0.0 or part.pitch_range != 1.0):
            warnings.warn("SSML not acted on (text kept): prosody pitch and range (this voice has no prosody conditioning)", UnsupportedSsmlWarning, stacklevel=3)
        return for_part(opts, part, self.steerable)

    def _words(self, segment, durations: np.ndarray, offset: float) -> list[WordTiming]:
        seconds_per_frame = self.vocoder.hop_length / self.sample_rate
        return word_timings(segment.text, segment.phonemes, self.frontend.symbols, durations[: len(segment.ids)], seconds_per_frame, normalize, offset)

    def _resampled(self, samples: np.ndarray, rate: int) -> np.ndarray:
        return full_scale(resample(samples, self.sample_rate, rate)) if rate != self.sample_rate else samples

    def mels(self, text: str, options: SynthesisOptions | None = None, **overrides) -> list[np.ndarray]:
        """The log-mel (n_mels, T) of each sentence of `text`, as `synthesize` would vocode it (for
        another vocoder, or to inspect the acoustic model), sharpened as `sharpen` asks."""
        opts = self.resolve_options(options, overrides)
        return [sharpen_mel(mel, opts.sharpen) for mel in self._mels([segment.ids for segment in self.frontend(text)], opts)]

    def _mels(self, id_lists: list[list[int]], opts: SynthesisOptions) -> list[np.ndarray]:
        """Phoneme id lists -> mel (n_mels, T_i) each, in one padded acoustic-model call."""
        return [mel for mel, _ in self._mels_and_durations(id_lists, opts)]

    def _mels_and_durations(self, id_lists: list[list[int]], opts: SynthesisOptions, emphasis: list | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Phoneme id lists -> (mel (n_mels, T_i), frames per id (N_i,)) each, in one padded call."""
        inputs = self._prepare(id_lists, opts, emphasis)
        mel = self.acoustic.generate(inputs, opts.steps, opts.sampler)
        return [(mel[row, :, : inputs.lengths[row]], inputs.durations[row, : len(id_lists[row])]) for row in range(len(id_lists))]

    def _prepare(self, id_lists: list[list[int]], opts: SynthesisOptions, emphasis: list | None = None):
        """Phoneme id lists -> the acoustic engine's prepared decoder inputs for them as one padded batch;
        `emphasis`: a level per id for each list (or None)."""
        return self.acoustic.prepare(
            id_lists, speed=opts.speed, temperature=opts.temperature, speaker=self._speaker_id(opts.speaker), seed=opts.seed,
            pitch=opts.pitch, pitch_range=opts.pitch_range, emphasis=emphasis,
        )

    def _emphasis(self, part: Sentence) -> np.ndarray:
        """A sentence's `<emphasis>` levels per phoneme id (zeros where it has none)."""
        segment = part.segment
        if not part.emphasis:
            return np.zeros(len(segment.ids), dtype=np.float32)
        return id_levels(segment.text, segment.phonemes, self.frontend.symbols, len(segment.ids), part.emphasis, normalize)

    def _speaker_id(self, speaker) -> int | None:
        if speaker is None:
            return None
        if isinstance(speaker, str):
            if speaker not in self.speakers:
                raise ValueError(f"unknown speaker {speaker!r}; this voice has {self.speakers or 'one unnamed speaker'}")
            return self.speakers.index(speaker)
        return int(speaker)

    # ---- streaming ------------------------------------------------------------------------------
    def stream(self, text: str | Utterance | Iterable[str], chunk_frames: int = CHUNK_FRAMES, options: SynthesisOptions | None = None, **overrides) -> Iterator[AudioChunk]:
        """Yield audio chunks while synthesizing: the one public path from text to audio.

        A whole `text` is spoken sentence by sentence, as `synthesize` speaks it: it is checked and
        split here, before the first chunk is asked for (ValueError at the call), and the concatenated
        chunks equal its audio. An iterable of pieces (e.g. LLM tokens) is cut into clauses as they
        complete, and each clause is spoken as soon as it is (`open_stream`); clause edges get a short
        fade, since neighbouring clauses are generated apart. Options are checked once, here: as
        keywords, or as `options`, a `SynthesisOptions` already checked (`options()`).
        """
        opts = self.resolve_options(options, overrides)
        check_chunk_frames(chunk_frames)
        if isinstance(text, (str, Utterance)):
            chunks = self._chunks(self.utterance(text), opts, [0.0], chunk_frames)
            if opts.sample_rate in (None, self.sample_rate):
                return chunks
            return resampled_stream(chunks, self.sample_rate, opts.sample_rate)
        return SpeechStream(self, opts, chunk_frames).speak(text)

    def open_stream(self, chunk_frames: int = CHUNK_FRAMES, options: SynthesisOptions | None = None, **overrides) -> SpeechStream:
        """A stream that text is pushed into as it arrives (a WebSocket, Wyoming, an LLM's tokens):
        `push(text)` and `flush()` yield the audio of each clause as it completes. Options are
        checked once, here, for everything the stream speaks."""
        check_chunk_frames(chunk_frames)
        return SpeechStream(self, self.resolve_options(options, overrides), chunk_frames)

    # ---- the one path from sentences to audio -----------------------------------------------------
    def _chunks(self, utterance: Utterance, opts: SynthesisOptions, elapsed: list, chunk_frames: int | None = None, generated=None) -> Iterator[AudioChunk]:
        """An utterance's chunks, sentence by sentence, pauses as silence: streamed in `chunk_frames`
        chunks, or with `generated(part index)` (a sentence's batched mel and durations) each whole."""
        index, label = 0, ""
        for k, part in enumerate(utterance.parts):
            if isinstance(part, Pause):
                yield self._silence(part.seconds, label, max(0, index - 1), elapsed)
                continue
            part_opts = self._for_part(opts, part, warn=generated is None)  # a batch warned when it generated
            label = part.segment.text
            if generated is None:
                yield from self._speak(part.segment, label, index, part_opts, elapsed, chunk_frames, 0, emphasis=self._emphasis(part))
            else:  # generated in a batch, emphasis and all
                yield from self._speak(part.segment, label, index, part_opts, elapsed, chunk_frames, 0, generated(k))
            index += 1

    def _speak(
        self, segment, text: str, index: int, opts: SynthesisOptions, elapsed: list, chunk_frames: int | None, fade: int, generated=None, emphasis=None
    ) -> Iterator[AudioChunk]:
        """Speak one sentence. Streamed (`chunk_frames` set): encode it whole, then generate its mel in
        growing windows and vocode it chunk by chunk, every chunk but the first (at most
        FIRST_CHUNK_FRAMES) and the last `chunk_frames` frames, the first window just large enough
        for the vocoder's first chunk (its frames plus the vocoder's right context). Whole (`chunk_frames` None): one chunk, from the mel and durations
        `generated` in a batch. Either way the chunks concatenate to the same audio (windows are exact,
        up to float rounding)."""
        ids = segment.ids
        if generated is None:
            inputs = self._prepare([ids], opts, None if emphasis is None else [emphasis])
            total, durations = int(inputs.lengths[0]), inputs.durations[0, : len(ids)]
            first_chunk = min(chunk_frames, FIRST_CHUNK_FRAMES)
            window = first_chunk + self.vocoder.context_frames[1]
            mels = (self.acoustic.generate(inputs, opts.steps, opts.sampler, start, end)[0] for start, end in mel_windows(total, window))
        else:
            mel, durations = generated
            total, mels = mel.shape[-1], iter([mel])
        frames = chunk_frames or max(1, total)
        first_chunk = min(frames, FIRST_CHUNK_FRAMES) if chunk_frames else frames
        vocoder = StreamingDecoder(self.vocoder, frames, first_chunk)
        pending = self._words(segment, durations, elapsed[0])
        count, produced = 1 + -(-max(0, total - first_chunk) // frames), 0
        gain = np.float32(10 ** (opts.volume / 20))
        for chunk in vocoded(vocoder, (sharpen_mel(mel, opts.sharpen) for mel in mels)):
            last = produced == count - 1
            out = self._chunk(chunk * gain if opts.volume else chunk, text, index, last, fade if produced == 0 else 0, fade if last else 0)
            ends_at = elapsed[0] + len(out.samples) / self.sample_rate
            starting = [word for word in pending if word.start < ends_at or last]
            pending = pending[len(starting) :]
            elapsed[0] = ends_at
            yield dataclasses.replace(out, words=starting) if starting else out
            produced += 1

    def _clause(self, clause: str, index: int, opts: SynthesisOptions, elapsed: list, chunk_frames: int) -> Iterator[AudioChunk]:
        """Speak one streamed clause as chunks, with short fades at its edges; nothing for a clause
        with no words (punctuation or symbols alone)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a stray token is not worth a warning mid-stream
                segments = self.frontend(clause)
        except ValueError:
            return
        fade = int(self.sample_rate * FADE_MS / 1000)
        for segment in segments:
            yield from self._speak(segment, clause, index, opts, elapsed, chunk_frames, fade)

    def _silence(self, seconds: float, clause: str, index: int, elapsed: list) -> AudioChunk:
        samples = np.zeros(int(seconds * self.sample_rate), dtype=np.float32)
        elapsed[0] += len(samples) / self.sample_rate
        return AudioChunk(samples, self.sample_rate, clause, index, True)

    def _chunk(self, samples: np.ndarray, clause: str, index: int, last: bool, fade_in: int, fade_out: int) -> AudioChunk:
        samples = full_scale(samples)
        if fade_in:
            n = min(fade_in, len(samples))
            samples[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
        if fade_out:
            n = min(fade_out, len(samples))
            samples[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)
        return AudioChunk(samples, self.sample_rate, clause, index, last)
