"""`Synthesizer`: text -> audio with an acoustic model and a vocoder, offline, batched, or streamed.

Streaming is the core path for voice agents: text (whole, or pieces such as LLM tokens) is cut into
sentences or clauses; each is encoded whole, and then its mel is decoded in growing windows and its
audio in chunks, each yielded as soon as it is ready. Both decoders are convolutional, so this is
exact: the first audio plays after the encoder, a few dozen mel frames and one vocoder chunk, and the
chunks add up to the offline audio.

The networks run in one of two engines (tts.engine), both behind numpy arrays: the CPU runtime (ONNX
Runtime and numpy, no torch) or torch modules. Everything here is the same for both.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from text.frontend import NothingToSpeak, Segment
from text.ssml import Pause, SpokenPart, is_ssml, parse_ssml
from tts.audio.encoding import to_pcm16
from tts.engine.glue import mel_windows, sharpen_mel
from tts.timing import WordTiming, word_timings

FADE_MS = 3.0
"""Fade at each clause's edges in streaming, so joins between independently generated clauses never click."""
LEAST_SECONDS_PER_ID = 0.025
"""A phoneme id (symbols, spaces and punctuation alike) lasts about 0.045-0.05 s at speed 1 in the
default voice; half of that is a floor no English voice goes below, for estimating audio ahead."""
ELLIPSIS_PAUSE_S = 0.35
"""Silence after a sentence that trails off ("Well..."): the model ends it like any other sentence."""


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1] at `sample_rate`, and the words spoken in them."""

    samples: np.ndarray
    sample_rate: int
    words: list[WordTiming] = field(default_factory=list)
    """Each word of the source text with its start and end in seconds (tts.timing)."""

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


@dataclass(frozen=True)
class Sentence:
    """One sentence of an utterance: the frontend's segment, and its SSML `<prosody rate>` factor."""

    segment: Segment
    rate: float = 1.0


@dataclass(frozen=True)
class Utterance:
    """A text checked and split (`Synthesizer.utterance`): its sentences and pauses in speaking order."""

    text: str
    parts: tuple[Sentence | Pause, ...]
    frontend: object = field(default=None, compare=False, repr=False)
    """The frontend that made it: another voice (other symbols) splits `text` again."""

    def least_seconds(self, speed: float = 1.0) -> float:
        """A low estimate of this utterance's audio in seconds, known before any synthesis: its pauses,
        and LEAST_SECONDS_PER_ID for each phoneme id at `speed` (each SSML part at its own rate). A
        server refuses a request whose estimate passes its audio limit before doing any work."""
        seconds = 0.0
        for part in self.parts:
            if isinstance(part, Pause):
                seconds += part.seconds
            else:
                seconds += len(part.segment.ids) * LEAST_SECONDS_PER_ID / max(SPEED_RANGE[0], min(SPEED_RANGE[1], speed * part.rate))
        return seconds


def _full_scale(samples: np.ndarray) -> np.ndarray:
    """A copy clipped to [-1, 1]. Voices learned from peak-normalized recordings (the default voice's
    teacher peaks at full scale) overshoot it by a few percent now and then; clipping sample by sample,
    as 16-bit output would anyway, needs no look-ahead, so streamed and whole audio stay identical."""
    return np.clip(samples, -1.0, 1.0)


MAX_STEPS = 32
"""Most network evaluations one call may ask for (32 Euler steps is the flow-matching reference)."""
SPEED_RANGE = (0.25, 4.0)
"""Speaking-rate factors accepted (OpenAI's range): beyond it speech is unintelligible or minutes long."""
MAX_TEMPERATURE = 2.0
MAX_SHARPEN = 4.0
SAMPLERS = ("flow_map", "euler")


@dataclass(frozen=True)
class SynthesisOptions:
    """Per-call settings, checked when made: every entry point (API, CLI, server) goes through here,
    so the same ranges hold everywhere. A voice may set its own defaults for some (`VOICE_DEFAULTS`)."""

    steps: int = 1
    """Flow-map steps (1 or 2 are the product settings), or Euler steps with sampler='euler'; 1 to MAX_STEPS."""
    speed: float = 1.0
    """Speaking rate, in SPEED_RANGE; 2.0 speaks twice as fast."""
    temperature: float = 0.667
    """Noise scale, 0 to MAX_TEMPERATURE: lower is steadier, higher more varied (Matcha/Glow-TTS use 0.667)."""
    seed: int | None = 0
    """Noise seed (a whole number >= 0); the same seed gives the same audio. None draws fresh noise."""
    sharpen: float = 1.0
    """Spectral sharpening of the mel before the vocoder (`tts.engine.glue.sharpen_mel`), 0 to
    MAX_SHARPEN: 1 leaves it as generated, higher restores harmonic and formant detail."""
    speaker: int | str | None = None
    sampler: str = "flow_map"
    sample_rate: int | None = None
    """Output rate (tts.audio.resampling.SAMPLE_RATES); None: the voice's own (24 kHz)."""

    def __post_init__(self) -> None:
        _check_whole("steps", self.steps, 1, MAX_STEPS)
        _check_real("speed", self.speed, *SPEED_RANGE)
        _check_real("temperature", self.temperature, 0.0, MAX_TEMPERATURE)
        _check_real("sharpen", self.sharpen, 0.0, MAX_SHARPEN)
        if self.seed is not None:
            _check_whole("seed", self.seed, 0, 2**63 - 1)
        if self.speaker is not None and not isinstance(self.speaker, str):
            _check_whole("speaker", self.speaker, 0, 2**31 - 1)
        if self.sampler not in SAMPLERS:
            raise ValueError(f"sampler must be one of {list(SAMPLERS)}, got {self.sampler!r}")
        if self.sample_rate is not None:
            from tts.audio.resampling import check_rate

            check_rate(self.sample_rate)


def _check_whole(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, got {value}")


def _check_real(name: str, value, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not (math.isfinite(value) and low <= value <= high):  # NaN fails every comparison
        raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value}")


VOICE_DEFAULTS = ("steps", "speed", "temperature", "sharpen")
"""Options an acoustic export may default in its config.json, as {"synthesis": {"temperature": 0.0}}:
the values measured best for that voice (`tts eval --temperature`, `--sharpen`); a call's own options override them."""


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
    if isinstance(steps, float) and steps.is_integer():
        settings = {**settings, "steps": int(steps)}
    try:
        return dataclasses.replace(SynthesisOptions(), **{k: v if k == "steps" else float(v) for k, v in settings.items()})
    except ValueError as error:
        raise ValueError(f'"synthesis" default out of range in the voice\'s config: {error}') from None


class Synthesizer:
    """Built by `tts.load()`. Methods: `synthesize`, `synthesize_batch`, `stream`.

    acoustic, vocoder: engines (see tts.engine): the CPU runtime's `OnnxAcoustic` and `OnnxVocos`, or
    the torch engine's `TorchAcoustic` and `TorchVocoder`, in any combination.
    """

    def __init__(self, acoustic, vocoder, name: str = "", lexicon=None):
        voice = acoustic.voice  # the typed config.json (tts.voice_config.VoiceConfig)
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

    def options(self, **options) -> SynthesisOptions:
        """A call's options on top of the voice's defaults, checked (ValueError names a bad one); the
        server and CLI check what they are sent with this before any work starts."""
        unknown = sorted(set(options) - {field.name for field in dataclasses.fields(SynthesisOptions)})
        if unknown:
            raise TypeError(f"unknown synthesis options {unknown}")
        resolved = dataclasses.replace(self.defaults, **options)
        self._speaker_id(resolved.speaker)  # an unknown speaker name fails here too
        return resolved

    # ---- one utterance ------------------------------------------------------------------------
    def utterance(self, text: str | Utterance) -> Utterance:
        """Check and split `text` (plain or SSML) into what is spoken, in order: its sentences and
        pauses. ValueError for malformed SSML or nothing to speak. `synthesize`, `synthesize_batch`
        and `stream` take the result in place of the text, so a caller that checks a request first
        (the server, batch runs) does not run the frontend twice."""
        if isinstance(text, Utterance):
            return text if text.frontend is self.frontend else self.utterance(text.text)
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        parts: list = []
        if is_ssml(text):
            for part in self._ssml_parts(text):
                if isinstance(part, Pause):
                    parts.append(part)
                    continue
                parts += [Sentence(segment, part.speed) for segment in self.frontend(part.text)]
        else:
            parts = [Sentence(segment) for segment in self.frontend(text)]
        # A sentence that trails off ("Well...") is followed by a pause; the model ends it like any other.
        spoken = []
        for part in parts:
            spoken.append(part)
            if isinstance(part, Sentence) and _trails_off(part.segment.text):
                spoken.append(Pause(ELLIPSIS_PAUSE_S))
        return Utterance(text, tuple(spoken), self.frontend)

    # ---- offline --------------------------------------------------------------------------------
    def synthesize(self, text: str | Utterance, **options) -> Audio:
        """One text (any length: it is split into sentences, batched through the model) -> Audio."""
        return self.synthesize_batch([text], **options)[0]

    def synthesize_batch(self, texts: list[str | Utterance], batch_size: int = 16, **options) -> list[Audio]:
        """Texts -> one Audio each: the chunks `stream` would yield for each text, joined, with each
        sentence's mel generated whole. Sentences of all texts go through the acoustic model in padded
        batches of `batch_size`; each result equals `synthesize` of that text alone."""
        opts = self.options(**options)
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
        from padded batches of sentences that share a speed (SSML parts may differ)."""
        todo = [(u, k, part) for u, utterance in enumerate(utterances) for k, part in enumerate(utterance.parts) if isinstance(part, Sentence)]
        by_speed: dict[float, list] = {}
        for item in todo:
            by_speed.setdefault(_part_speed(opts, item[2].rate), []).append(item)
        generated = {}
        for speed, same in by_speed.items():
            same.sort(key=lambda item: len(item[2].segment.ids))  # similar lengths: little padding
            for first in range(0, len(same), batch_size):
                batch = same[first : first + batch_size]
                results = self._mels_and_durations([part.segment.ids for _, _, part in batch], dataclasses.replace(opts, speed=speed))
                generated.update({(u, k): result for (u, k, _), result in zip(batch, results)})
        return generated

    def _ssml_parts(self, markup: str) -> list:
        """SSML -> [SpokenPart | Pause]; ValueError for malformed markup or nothing to speak."""
        parts = parse_ssml(markup)
        if not any(isinstance(part, SpokenPart) for part in parts):
            raise NothingToSpeak("the SSML has nothing to speak")
        return parts

    def _words(self, segment, durations: np.ndarray, offset: float) -> list[WordTiming]:
        from text.normalizer import normalize

        seconds_per_frame = self.vocoder.hop_length / self.sample_rate
        return word_timings(segment.text, segment.phonemes, self.frontend.symbols, durations[: len(segment.ids)], seconds_per_frame, normalize, offset)

    def _resampled(self, samples: np.ndarray, rate: int) -> np.ndarray:
        from tts.audio.resampling import resample

        return _full_scale(resample(samples, self.sample_rate, rate)) if rate != self.sample_rate else samples

    def mels(self, text: str, **options) -> list[np.ndarray]:
        """The log-mel (n_mels, T) of each sentence of `text`, as `synthesize` would vocode it (for
        another vocoder, or to inspect the acoustic model), sharpened as `sharpen` asks."""
        opts = self.options(**options)
        return [sharpen_mel(mel, opts.sharpen) for mel in self._mels([segment.ids for segment in self.frontend(text)], opts)]

    def _mels(self, id_lists: list[list[int]], opts: SynthesisOptions) -> list[np.ndarray]:
        """Phoneme id lists -> mel (n_mels, T_i) each, in one padded acoustic-model call."""
        return [mel for mel, _ in self._mels_and_durations(id_lists, opts)]

    def _mels_and_durations(self, id_lists: list[list[int]], opts: SynthesisOptions) -> list[tuple[np.ndarray, np.ndarray]]:
        """Phoneme id lists -> (mel (n_mels, T_i), frames per id (N_i,)) each, in one padded call."""
        inputs = self._prepare(id_lists, opts)
        mel = self.acoustic.generate(inputs, opts.steps, opts.sampler)
        return [(mel[row, :, : inputs.lengths[row]], inputs.durations[row, : len(id_lists[row])]) for row in range(len(id_lists))]

    def _prepare(self, id_lists: list[list[int]], opts: SynthesisOptions):
        """Phoneme id lists -> the acoustic engine's prepared decoder inputs for them as one padded batch."""
        return self.acoustic.prepare(id_lists, speed=opts.speed, temperature=opts.temperature, speaker=self._speaker_id(opts.speaker), seed=opts.seed)

    def _speaker_id(self, speaker) -> int | None:
        if speaker is None:
            return None
        if isinstance(speaker, str):
            if speaker not in self.speakers:
                raise ValueError(f"unknown speaker {speaker!r}; this voice has {self.speakers or 'one unnamed speaker'}")
            return self.speakers.index(speaker)
        return int(speaker)

    # ---- streaming ------------------------------------------------------------------------------
    def stream(self, text: str | Utterance | Iterable[str], chunk_frames: int = 16, **options) -> Iterator[AudioChunk]:
        """Yield audio chunks while synthesizing.

        A whole `text` is spoken sentence by sentence, as `synthesize` speaks it: it is checked and
        split here, before the first chunk is asked for (ValueError at the call), and the concatenated
        chunks equal its audio. An iterable of pieces (e.g. LLM tokens) is cut into clauses as they
        complete, and each clause is spoken as soon as it is; clause edges get a short fade, since
        neighbouring clauses are generated apart.
        """
        opts = self.options(**options)
        if chunk_frames < 1:
            raise ValueError(f"chunk_frames must be >= 1, got {chunk_frames}")
        if isinstance(text, (str, Utterance)):
            chunks = self._chunks(self.utterance(text), opts, [0.0], chunk_frames)
        else:
            chunks = self._clause_chunks(text, chunk_frames, {**options, "sample_rate": None})
        if opts.sample_rate in (None, self.sample_rate):
            return chunks
        return resampled_stream(chunks, self.sample_rate, opts.sample_rate)

    def _clause_chunks(self, pieces: Iterable[str], chunk_frames: int, options: dict) -> Iterator[AudioChunk]:
        from text.incremental import IncrementalClauseSplitter

        elapsed = [0.0]  # seconds of audio yielded so far: word times count from the stream's start
        for index, clause in enumerate(_clauses_from_pieces(pieces, IncrementalClauseSplitter())):
            yield from self.stream_clause(clause, index, chunk_frames, start_time=elapsed, **options)

    def stream_clause(self, clause: str, index: int = 0, chunk_frames: int = 16, start_time: float | list | None = None, **options) -> Iterator[AudioChunk]:
        """Speak one clause as chunks, with short fades at its edges; nothing for a clause with no words.

        start_time: seconds of audio already streamed before this clause (word times count from
        there); a one-item list is advanced in place as chunks are yielded."""
        opts = self.options(**options)
        elapsed = start_time if isinstance(start_time, list) else [float(start_time or 0.0)]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a stray token is not worth a warning mid-stream
                segments = self.frontend(clause)
        except ValueError:
            return  # punctuation or symbols alone: nothing to say
        fade = int(self.sample_rate * FADE_MS / 1000)
        for segment in segments:
            yield from self._speak(segment, clause, index, opts, elapsed, chunk_frames, fade)

    # ---- the one path from sentences to audio -----------------------------------------------------
    def _chunks(self, utterance: Utterance, opts: SynthesisOptions, elapsed: list, chunk_frames: int | None = None, generated=None) -> Iterator[AudioChunk]:
        """An utterance's chunks, sentence by sentence, pauses as silence: streamed in `chunk_frames`
        chunks, or with `generated(part index)` (a sentence's batched mel and durations) each whole."""
        index, label = 0, ""
        for k, part in enumerate(utterance.parts):
            if isinstance(part, Pause):
                yield self._silence(part.seconds, label, max(0, index - 1), elapsed)
                continue
            part_opts = dataclasses.replace(opts, speed=_part_speed(opts, part.rate))
            label = part.segment.text
            yield from self._speak(part.segment, label, index, part_opts, elapsed, chunk_frames, 0, None if generated is None else generated(k))
            index += 1

    def _speak(
        self, segment, text: str, index: int, opts: SynthesisOptions, elapsed: list, chunk_frames: int | None, fade: int, generated=None
    ) -> Iterator[AudioChunk]:
        """Speak one sentence. Streamed (`chunk_frames` set): encode it whole, then generate its mel in
        growing windows and vocode it chunk by chunk, every chunk but the last `chunk_frames` frames,
        the first window just large enough for the vocoder's first chunk (its frames plus the
        vocoder's right context). Whole (`chunk_frames` None): one chunk, from the mel and durations
        `generated` in a batch. Either way the chunks concatenate to the same audio (windows are exact,
        up to float rounding)."""
        from vocoder.streaming import StreamingDecoder

        ids = segment.ids
        if generated is None:
            inputs = self._prepare([ids], opts)
            total, durations = int(inputs.lengths[0]), inputs.durations[0, : len(ids)]
            first = chunk_frames + self.vocoder.context_frames[1]
            mels = (self.acoustic.generate(inputs, opts.steps, opts.sampler, start, end)[0] for start, end in mel_windows(total, first))
        else:
            mel, durations = generated
            total, mels = mel.shape[-1], iter([mel])
        frames = chunk_frames or max(1, total)
        vocoder = StreamingDecoder(self.vocoder, frames)
        pending = self._words(segment, durations, elapsed[0])
        count, produced = -(-total // frames), 0
        for chunk in _vocoded(vocoder, (sharpen_mel(mel, opts.sharpen) for mel in mels)):
            last = produced == count - 1
            out = self._chunk(chunk, text, index, last, fade if produced == 0 else 0, fade if last else 0)
            ends_at = elapsed[0] + len(out.samples) / self.sample_rate
            starting = [word for word in pending if word.start < ends_at or last]
            pending = pending[len(starting) :]
            elapsed[0] = ends_at
            yield dataclasses.replace(out, words=starting) if starting else out
            produced += 1

    def _silence(self, seconds: float, clause: str, index: int, elapsed: list) -> AudioChunk:
        samples = np.zeros(int(seconds * self.sample_rate), dtype=np.float32)
        elapsed[0] += len(samples) / self.sample_rate
        return AudioChunk(samples, self.sample_rate, clause, index, True)

    def _chunk(self, samples: np.ndarray, clause: str, index: int, last: bool, fade_in: int, fade_out: int) -> AudioChunk:
        samples = _full_scale(samples)
        if fade_in:
            n = min(fade_in, len(samples))
            samples[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
        if fade_out:
            n = min(fade_out, len(samples))
            samples[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)
        return AudioChunk(samples, self.sample_rate, clause, index, last)


def model_frontend(settings, lexicon=None):
    """The text frontend a model was trained with (`FrontendSettings`: its symbol table and language).

    Warns when the espeak-ng in use is not the version its training phonemes came from.
    """
    from text import SymbolTable, TextFrontend

    frontend = TextFrontend(symbols=SymbolTable.from_list(list(settings.symbols)), language=settings.language, lexicon=lexicon)
    if settings.espeak_version and settings.espeak_version != frontend.espeak_version:
        warnings.warn(
            f"this voice was trained with espeak-ng {settings.espeak_version}, but {frontend.espeak_version} is in use; "
            "some words may be pronounced differently",
            stacklevel=3,
        )
    return frontend


def _part_speed(opts: SynthesisOptions, rate: float) -> float:
    """The speed of an SSML part: the call's speed times its `<prosody rate>`, kept in SPEED_RANGE."""
    return min(SPEED_RANGE[1], max(SPEED_RANGE[0], opts.speed * rate))


def _vocoded(vocoder, mels: Iterable) -> Iterator:
    """Mel pieces -> audio chunks through a StreamingDecoder, each chunk as soon as it can be made."""
    for mel in mels:
        yield from vocoder.push(mel)
    yield from vocoder.finish()


def _trails_off(sentence: str) -> bool:
    return sentence.rstrip("\"')]").endswith(("...", "\u2026"))


def resampled_stream(chunks: Iterable[AudioChunk], rate: int, target: int) -> Iterator[AudioChunk]:
    """Chunks at `rate` -> the same chunks at `target`, each as soon as it comes, through one stream
    resampler: concatenated, they equal the whole audio resampled. The resampler's last few
    milliseconds (its filter delay) follow as one more short chunk of the last clause."""
    from tts.audio.resampling import StreamResampler

    resampler = StreamResampler(rate, target)
    last = None
    for chunk in chunks:
        last = dataclasses.replace(chunk, samples=_full_scale(resampler.push(chunk.samples)), sample_rate=target)
        yield last
    tail = _full_scale(resampler.finish())
    if last is not None and len(tail):
        yield dataclasses.replace(last, samples=tail, words=[])


def _clauses_from_pieces(pieces: Iterable[str], splitter) -> Iterator[str]:
    for piece in pieces:
        yield from splitter.push(piece)
    yield from splitter.flush()
