"""Word timestamps: each word of the source text, placed in the audio by the predicted durations.

Every phoneme id of a sentence gets a whole number of mel frames (the acoustic model's durations), so
each phoneme's time is known exactly. The phonemes are grouped into espeak's words (spaces in the
phoneme string; punctuation, which is pause, belongs to no word), and espeak's words are shared among
the source text's tokens by how many spoken words each token normalizes to: "$4.50" is one token read
as four words, and is timed as one span from the start of "four" to the end of "cents". When espeak
joins or splits words so the counts differ, the phoneme words are shared in proportion, which keeps
the spans in order and inside the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from text.normalizer_tables import NON_TERMINAL_ABBREVIATIONS as _ABBREVIATIONS
from text.symbols import BOS, EOS, PAD, PUNCTUATION, SPACE

_TOKEN = re.compile(r"\[\[.*?\]\]|\S+")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+")


@dataclass(frozen=True)
class WordTiming:
    """One word (a token of the source text) and where it is spoken, in seconds."""

    text: str
    start: float
    end: float


def phoneme_word_spans(phonemes: str, symbols, durations: np.ndarray) -> list[tuple[int, int]]:
    """Frame spans [start, end) of espeak's words in a sentence's phoneme string.

    durations: frames per id, aligned with the tokenizer's ids ([BOS] + kept symbols + [EOS]).
    """
    kept = [symbol for symbol in phonemes if symbol in symbols and symbol not in (PAD, BOS, EOS)]
    if len(kept) + 2 != len(durations):
        raise ValueError(f"{len(durations)} durations for {len(kept) + 2} ids")
    ends = np.cumsum(durations)
    spans, current = [], None
    for position, symbol in enumerate(kept, start=1):  # position 0 is BOS
        start, end = int(ends[position - 1]), int(ends[position])
        if symbol == SPACE:
            current = None
        elif symbol in PUNCTUATION:
            continue  # a pause: part of no word
        elif current is None:
            current = [start, end]
            spans.append(current)
        else:
            current[1] = end
    return [tuple(span) for span in spans]


def source_tokens(text: str, normalize) -> list[tuple[str, int]]:
    """(word, spoken-word count) for each token of a sentence's source text that is spoken; the word
    is the token without the punctuation around it ("there," -> "there", "(4%)" -> "4%")."""
    tokens = []
    for token in _TOKEN.findall(text):
        count = 1 if token.startswith("[[") else len(normalize(token).split())
        if count:
            tokens.append((_bare(token), count))
    return tokens


def _bare(token: str) -> str:
    word = token.strip("\"'()[]{}«»“”‘’").rstrip(",;:!?").strip("\"'()[]{}«»“”‘’")
    if word.endswith(".") and not _INITIALISM.fullmatch(word) and word[:-1] not in _ABBREVIATIONS:
        word = word[:-1]  # a sentence end, not "U.S." or "Dr."
    return word or token


def word_timings(text: str, phonemes: str, symbols, durations: np.ndarray, seconds_per_frame: float, normalize, offset: float = 0.0) -> list[WordTiming]:
    """The source tokens of one sentence with their times (seconds, + `offset`)."""
    spans = phoneme_word_spans(phonemes, symbols, durations)
    tokens = source_tokens(text, normalize)
    if not spans or not tokens:
        return []
    total = sum(count for _, count in tokens)
    timings, done = [], 0
    for token, count in tokens:
        first = round(done * len(spans) / total)
        done += count
        last = max(first, round(done * len(spans) / total) - 1)
        first, last = min(first, len(spans) - 1), min(last, len(spans) - 1)
        start, end = spans[first][0], spans[last][1]
        if timings and start * seconds_per_frame + offset < timings[-1].end:  # espeak joined it with the word before
            start = int(round((timings[-1].end - offset) / seconds_per_frame))
        timings.append(WordTiming(token, offset + start * seconds_per_frame, offset + max(start, end) * seconds_per_frame))
    return timings
