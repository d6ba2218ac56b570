"""The English text frontend: raw text -> sentences (or clauses) of phoneme ids.

Pipeline: clean Unicode -> split sentences -> normalize -> espeak-ng phonemes -> ids. Inline phonemes
written as `[[h ə l ˈoʊ]]` skip cleaning, normalization and espeak: the spaces inside only separate
symbols, and the block is one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text.cleaning import clean_and_report, warn_dropped
from text.normalizer import normalize
from text.phonemizer import EspeakPhonemizer
from text.splitter import DEFAULT_MAX_CHARS, split_clauses, split_sentences
from text.symbols import SymbolTable
from text.tokenizer import Tokenizer

_INLINE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    """One sentence or clause, ready for the acoustic model."""

    text: str
    """The cleaned source text of this piece."""
    normalized: str
    """What is spoken, in words (inline phonemes kept as written)."""
    phonemes: str
    """IPA with stress marks and punctuation; words separated by spaces."""
    ids: list[int]
    """Symbol ids, with BOS and EOS."""


class TextFrontend:
    """`frontend(text) -> list[Segment]`. Raises `ValueError` when the text has nothing to speak."""

    def __init__(
        self,
        symbols: SymbolTable | None = None,
        language: str = "en-us",
        max_chars: int = DEFAULT_MAX_CHARS,
        phonemizer: EspeakPhonemizer | None = None,
    ):
        self.symbols = symbols or SymbolTable()
        self.language = language
        self.max_chars = max_chars
        self.phonemizer = phonemizer or EspeakPhonemizer(language)
        self.tokenizer = Tokenizer(self.symbols)

    def __call__(self, text: str, clauses: bool = False) -> list[Segment]:
        """Split `text` into sentences (or, with `clauses=True`, clauses) and encode each."""
        pieces = self.split(text, clauses=clauses)
        normalized = [self._normalize_piece(p) for p in pieces]
        plain = [part for parts in normalized for part, inline in parts if not inline]
        spoken = iter(self.phonemizer(plain)) if plain else iter(())
        segments = []
        for piece, parts in zip(pieces, normalized):
            phoneme_parts = [part if inline else next(spoken) for part, inline in parts]
            phonemes = " ".join(p for p in phoneme_parts if p)
            if not any(c.isalpha() for c in phonemes):
                continue  # punctuation alone: nothing to say
            words = " ".join(f"[[{p}]]" if inline else p for p, inline in parts if p)
            segments.append(Segment(piece, words, phonemes, self.tokenizer(phonemes)))
        if not segments:
            raise ValueError(f"text has nothing to speak: {_preview(text)}")
        return segments

    def split(self, text: str, clauses: bool = False) -> list[str]:
        """Validate and clean `text`, then split it into sentences or clauses (still unnormalized)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text.strip():
            raise ValueError("text is empty")
        cleaned, dropped = [], []
        for i, part in enumerate(_INLINE.split(text)):
            if i % 2:  # inline phonemes are kept as they are
                cleaned.append(f"[[{part}]]")
            else:
                clean, lost = clean_and_report(part)
                cleaned.append(clean)
                dropped.extend(lost)
        warn_dropped(dropped)
        sentences = split_sentences("".join(cleaned), self.max_chars)
        if clauses:
            return [clause for sentence in sentences for clause in split_clauses(sentence)]
        return sentences

    def _normalize_piece(self, piece: str) -> list[tuple[str, bool]]:
        """Piece -> [(normalized words or inline phonemes, is_inline)], empty parts removed."""
        parts = []
        for i, part in enumerate(_INLINE.split(piece)):
            if i % 2:
                parts.append(("".join(part.split()), True))
            elif part.strip():
                words = normalize(part)
                if words:
                    parts.append((words, False))
        return parts

    @property
    def espeak_version(self) -> str:
        return self.phonemizer.version

    def config(self) -> dict:
        """Frontend settings a model must be trained and run with; saved in each model's config."""
        return {
            "language": self.language,
            "phonemizer": "espeak-ng",
            "espeak_version": self.espeak_version,
            "max_chars": self.max_chars,
            "symbols": self.symbols.to_list(),
        }


def _preview(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
