"""The English text frontend: raw text -> sentences (or clauses) of phoneme ids.

Pipeline: clean Unicode -> split sentences -> normalize -> espeak-ng phonemes -> ids. Inline phonemes
written as `[[h ə l ˈoʊ]]` skip cleaning, normalization and espeak: the spaces inside only separate
symbols, and the block is one word.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from text.cleaning import clean_and_report, warn_dropped
from text.normalizer import normalize
from text.phonemizer import EspeakPhonemizer
from text.pronunciations import check_phonemes, lexicon_pattern, read_lexicon
from text.splitter import DEFAULT_MAX_CHARS, split_clauses, split_sentences
from text.symbols import BOS, EOS, PAD, SymbolTable
from text.tokenizer import Tokenizer, UnknownSymbolWarning

SPECIAL_SYMBOLS = frozenset((PAD, BOS, EOS))

class NothingToSpeak(ValueError):
    """The text is empty, or holds only punctuation and symbols: there is nothing to say (not malformed)."""


_SURROGATES = re.compile("[\ud800-\udfff]")
"""Lone surrogates: a Python str may hold them, but no encoding (or espeak-ng) can."""


def split_inline(text: str) -> list[str]:
    """Text -> [plain, inline, plain, inline, ..., plain]: the parts outside and inside `[[ ]]`.

    A scan with str.find, in time linear in the text: a pattern such as `\\[\\[(.*?)\\]\\]` searches
    to the end of the text from every unclosed `[[`. An unclosed `[[` is plain text.
    """
    parts, position = [], 0
    while (start := text.find("[[", position)) >= 0 and (end := text.find("]]", start + 2)) >= 0:
        parts += [text[position:start], text[start + 2 : end]]
        position = end + 2
    parts.append(text[position:])
    return parts


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
    """`frontend(text) -> list[Segment]`. Raises `NothingToSpeak` (a ValueError) when the text has nothing to speak."""

    def __init__(
        self,
        symbols: SymbolTable | None = None,
        language: str = "en-us",
        max_chars: int = DEFAULT_MAX_CHARS,
        phonemizer: EspeakPhonemizer | None = None,
        lexicon: dict | str | None = None,
    ):
        self.symbols = symbols or SymbolTable()
        self.lexicon = read_lexicon(lexicon)
        """Words spoken as given instead of as espeak-ng says them (text.pronunciations)."""
        self._lexicon_pattern = lexicon_pattern(self.lexicon)
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
            raise NothingToSpeak(f"text has nothing to speak: {_preview(text)}")
        return segments

    def transcript_ids(self, text: str) -> list[int]:
        """A whole transcript's ids as training uses them: the phonemes of every sentence `__call__`
        gives, space-joined, between one start and one end symbol (a training utterance is one
        recording). For one sentence this is exactly that sentence's `Segment.ids`."""
        return self.tokenizer(" ".join(segment.phonemes for segment in self(text)))

    def split(self, text: str, clauses: bool = False) -> list[str]:
        """Validate and clean `text`, then split it into sentences or clauses (still unnormalized)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text.strip():
            raise NothingToSpeak("text is empty")
        cleaned, dropped = [], _SURROGATES.findall(text)
        text = _SURROGATES.sub("", text)
        for i, part in enumerate(split_inline(text)):
            if i % 2:  # inline phonemes are kept as they are, within the lexicon's bound
                cleaned.append(f"[[{check_phonemes(part, f'inline phonemes {_preview(part)}')}]]")
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
        for i, part in enumerate(split_inline(piece)):
            if i % 2:
                parts.append((self._inline_phonemes(part), True))
            elif part.strip():
                words = normalize(part)
                if words:
                    parts += self._apply_lexicon(words)
        return parts

    def _apply_lexicon(self, words: str) -> list[tuple[str, bool]]:
        """Normalized words -> plain and inline parts, with lexicon words as their phonemes."""
        if self._lexicon_pattern is None:
            return [(words, False)]
        parts, position = [], 0
        for match in self._lexicon_pattern.finditer(words):
            if words[position : match.start()].strip():
                parts.append((words[position : match.start()].strip(), False))
            parts.append((self._inline_phonemes(self.lexicon[match.group(1).lower()]), True))
            position = match.end()
        if words[position:].strip():
            parts.append((words[position:].strip(), False))
        return parts

    def _inline_phonemes(self, block: str) -> str:
        """The symbols of an inline `[[ ]]` block that the model knows; special symbols (padding,
        start, end) never pass, and whatever is dropped is reported."""
        symbols = "".join(block.split())
        kept = "".join(symbol for symbol in symbols if symbol in self.symbols and symbol not in SPECIAL_SYMBOLS)
        if kept != symbols:
            dropped = "".join(dict.fromkeys(symbol for symbol in symbols if symbol not in kept))
            warnings.warn(f"dropped inline phoneme symbol(s) the voice does not have: {dropped!r}", UnknownSymbolWarning, stacklevel=4)
        return kept

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
