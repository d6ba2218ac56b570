"""A user lexicon: words whose pronunciation overrides espeak-ng's, as IPA phonemes.

A lexicon is a dict {word: phonemes} or a UTF-8 file of `word<TAB>phonemes` lines (`#` starts a
comment). Words match whole words of the normalized text, case-insensitively, so "Nguyen" in a
sentence is spoken as given; the phonemes are written as inline `[[ ]]` phonemes are.

Limits, checked when the lexicon is read (each a ValueError that names the file and line): a word of
at most MAX_WORD_CHARS characters, at most MAX_PHONEME_SYMBOLS phoneme symbols per entry (the bound
inline `[[ ]]` phonemes and SSML `<phoneme>` share), and at most MAX_ENTRIES entries: every word of
every sentence is matched against all of them.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_PHONEME_SYMBOLS = 100
"""Most phoneme symbols (spaces aside) in one lexicon entry or one inline block: a long English word
has about 30 with its stress marks; a whole phrase fits."""
MAX_WORD_CHARS = 100
MAX_ENTRIES = 10_000
"""Most lexicon entries: the matcher is one alternation of all words (0.1 s to build at this size)."""


def check_phonemes(phonemes: str, where: str) -> str:
    """`phonemes` with its whitespace runs made single spaces; ValueError (naming `where`) past
    MAX_PHONEME_SYMBOLS symbols."""
    symbols = sum(len(token) for token in phonemes.split())
    if symbols > MAX_PHONEME_SYMBOLS:
        raise ValueError(f"{where}: {symbols} phoneme symbols; at most {MAX_PHONEME_SYMBOLS} per word or [[ ]] block (split it into words)")
    return " ".join(phonemes.split())


def read_lexicon(source: dict | str | Path | None) -> dict[str, str]:
    """A lexicon from a dict or a file, with lowercased words; ValueError names a bad line or entry."""
    if source is None:
        return {}
    if isinstance(source, dict):
        entries = [(f"lexicon entry {word!r}"[:120], word, phonemes) for word, phonemes in source.items()]
    else:
        path = Path(source)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            raise FileNotFoundError(f"lexicon not found: {path}") from None
        except UnicodeDecodeError as error:
            raise ValueError(f"{path}: not UTF-8 text ({error.reason})") from None
        entries = []
        for number, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            if "\t" not in line:
                raise ValueError(f"{path}:{number}: expected word<TAB>phonemes, got {line[:80]!r}")
            word, phonemes = line.split("\t", 1)
            entries.append((f"{path}:{number}", word, phonemes))
    if len(entries) > MAX_ENTRIES:
        raise ValueError(f"{entries[MAX_ENTRIES][0]}: the lexicon has {len(entries)} entries; at most {MAX_ENTRIES}")
    lexicon = {}
    for where, word, phonemes in entries:
        if not isinstance(word, str) or not isinstance(phonemes, str) or not word.strip() or not phonemes.strip() or "]]" in phonemes:
            raise ValueError(f"{where}: bad entry {word!r:.60} -> {phonemes!r:.60} (a word and its IPA phonemes)")
        if len(word.strip()) > MAX_WORD_CHARS:
            raise ValueError(f"{where}: the word is {len(word.strip())} characters; at most {MAX_WORD_CHARS}")
        lexicon[word.strip().lower()] = check_phonemes(phonemes, where)
    return lexicon


def lexicon_pattern(lexicon: dict[str, str]) -> re.Pattern | None:
    """One pattern matching any lexicon word as a whole word (longest first), or None for an empty lexicon."""
    if not lexicon:
        return None
    words = sorted(lexicon, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, words)) + r")(?![\w'])", re.IGNORECASE)
