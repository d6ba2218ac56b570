"""Sentence planning: a text (plain or SSML) checked and split into what is spoken, in order, with a
low estimate of its length known before any synthesis."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from text import SymbolTable, TextFrontend
from text.frontend import NothingToSpeak, Segment
from text.ssml import TOKEN, Pause, SpokenPart, UnsupportedSsmlWarning, is_ssml, parse_ssml
from tts.synthesis.options import SPEED_RANGE

LEAST_SECONDS_PER_ID = 0.025
"""A phoneme id (symbols, spaces and punctuation alike) lasts about 0.045-0.05 s at speed 1 in the
default voice; half of that is a floor no English voice goes below, for estimating audio ahead."""
ELLIPSIS_PAUSE_S = 0.35
"""Silence after a sentence that trails off ("Well..."): the model ends it like any other sentence."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of an utterance: the frontend's segment, and its SSML `<prosody>`: a rate factor,
    semitones of pitch, a pitch-range factor and dB of volume (tts.synthesis.options.for_part)."""

    segment: Segment
    rate: float = 1.0
    pitch: float = 0.0
    pitch_range: float = 1.0
    volume: float = 0.0
    emphasis: tuple[float, ...] = ()
    """An `<emphasis>` level per token (text.ssml.TOKEN) of `segment.text`, or () for none."""


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


def plan_utterance(frontend, text: str) -> Utterance:
    """Check and split `text` (plain or SSML) into its sentences and pauses, in speaking order.
    ValueError for malformed SSML, NothingToSpeak when nothing is left to say."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    parts: list = []
    if is_ssml(text):
        ssml = parse_ssml(text)
        if not any(isinstance(part, SpokenPart) for part in ssml):
            raise NothingToSpeak("the SSML has nothing to speak")
        for part in ssml:
            if isinstance(part, Pause):
                parts.append(part)
                continue
            segments = frontend(part.text)
            levels = _emphasis_by_segment(part, segments)
            parts += [Sentence(segment, part.speed, part.pitch, part.pitch_range, part.volume, emphasis) for segment, emphasis in zip(segments, levels)]
    else:
        parts = [Sentence(segment) for segment in frontend(text)]
    # A sentence that trails off ("Well...") is followed by a pause; the model ends it like any other.
    spoken = []
    for part in parts:
        spoken.append(part)
        if isinstance(part, Sentence) and trails_off(part.segment.text):
            spoken.append(Pause(ELLIPSIS_PAUSE_S))
    return Utterance(text, tuple(spoken), frontend)


def _emphasis_by_segment(part: SpokenPart, segments: list[Segment]) -> list[tuple[float, ...]]:
    """A part's emphasis levels shared among its sentences, token by token. Cleaning that drops or
    joins tokens (an emoji, a stray symbol) leaves the counts unequal: then the emphasis is dropped,
    with a warning, rather than put on the wrong words."""
    counts = [len(TOKEN.findall(segment.text)) for segment in segments]
    if not any(part.emphasis):
        return [()] * len(segments)
    if sum(counts) != len(part.emphasis):
        warnings.warn(f"SSML not acted on (text kept): <emphasis> in {part.text[:60]!r}, whose words changed when cleaned", UnsupportedSsmlWarning, stacklevel=3)
        return [()] * len(segments)
    shared, done = [], 0
    for count in counts:
        levels = part.emphasis[done : done + count]
        shared.append(levels if any(levels) else ())
        done += count
    return shared


def trails_off(sentence: str) -> bool:
    return sentence.rstrip("\"')]").endswith(("...", "\u2026"))


def model_frontend(settings, lexicon=None):
    """The text frontend a model was trained with (`FrontendSettings`: its symbol table and language).

    Warns when the espeak-ng in use is not the version its training phonemes came from.
    """
    frontend = TextFrontend(symbols=SymbolTable.from_list(list(settings.symbols)), language=settings.language, lexicon=lexicon)
    if settings.espeak_version and settings.espeak_version != frontend.espeak_version:
        warnings.warn(
            f"this voice was trained with espeak-ng {settings.espeak_version}, but {frontend.espeak_version} is in use; "
            "some words may be pronounced differently",
            stacklevel=3,
        )
    return frontend
