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
from functools import lru_cache

import numpy as np

from text.normalizer_tables import NON_TERMINAL_ABBREVIATIONS as _ABBREVIATIONS
from text.ssml import TOKEN
from text.symbols import BOS, EOS, PAD, PUNCTUATION, SPACE

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


def source_tokens(text: str, normalize) -> list[tuple[int, str, int]]:
    """(index among all tokens, word, spoken-word count) for each token of a sentence's source text
    that is spoken; the word is the token without the punctuation around it ("there," -> "there")."""
    tokens = []
    for index, token in enumerate(TOKEN.findall(text)):
        count = 1 if token.startswith("[[") else _spoken_words(normalize, token)
        if count:
            tokens.append((index, _bare(token), count))
    return tokens


@lru_cache(maxsize=8192)
def _spoken_words(normalize, token: str) -> int:
    """How many words `normalize` makes of one token. Cached: every sentence's tokens are counted for
    its word times, and most are common words (579 normalizer calls for 60 sentences, 2% of synthesis)."""
    return len(normalize(token).split())


def _bare(token: str) -> str:
    word = token.strip("\"'()[]{}«»“”‘’").rstrip(",;:!?").strip("\"'()[]{}«»“”‘’")
    if word.endswith(".") and not _INITIALISM.fullmatch(word) and word[:-1] not in _ABBREVIATIONS:
        word = word[:-1]  # a sentence end, not "U.S." or "Dr."
    return word or token


def token_spans(text: str, phonemes: str, symbols, durations: np.ndarray, normalize) -> list[tuple[int, str, int, int]]:
    """(index among the text's tokens, word, first frame, end frame) of each spoken token of one
    sentence; with a duration of 1 per id, the frames are id positions."""
    spans = phoneme_word_spans(phonemes, symbols, durations)
    tokens = source_tokens(text, normalize)
    if not spans or not tokens:
        return []
    total = sum(count for _, _, count in tokens)
    placed, done = [], 0
    for index, token, count in tokens:
        first = round(done * len(spans) / total)
        done += count
        last = max(first, round(done * len(spans) / total) - 1)
        first, last = min(first, len(spans) - 1), min(last, len(spans) - 1)
        start, end = spans[first][0], spans[last][1]
        if placed and start < placed[-1][3]:  # espeak joined it with the word before
            start = placed[-1][3]
        placed.append((index, token, start, max(start, end)))
    return placed


def word_timings(text: str, phonemes: str, symbols, durations: np.ndarray, seconds_per_frame: float, normalize, offset: float = 0.0) -> list[WordTiming]:
    """The source tokens of one sentence with their times (seconds, + `offset`)."""
    return [
        WordTiming(token, offset + start * seconds_per_frame, offset + end * seconds_per_frame)
        for _, token, start, end in token_spans(text, phonemes, symbols, durations, normalize)
    ]


def id_levels(text: str, phonemes: str, symbols, n_ids: int, levels: tuple[float, ...], normalize) -> np.ndarray:
    """A level per phoneme id (N,) from a level per token of `text` (`text.ssml.TOKEN`): each spoken
    token's phonemes take its level; spaces, punctuation, BOS and EOS take 0."""
    out = np.zeros(n_ids, dtype=np.float32)
    for index, _, start, end in token_spans(text, phonemes, symbols, np.ones(n_ids, dtype=np.int64), normalize):
        out[start:end] = levels[index]
    return out
