"""A user lexicon: words whose pronunciation overrides espeak-ng's, as IPA phonemes.

A lexicon is a dict {word: phonemes} or a UTF-8 file of `word<TAB>phonemes` lines (`#` starts a
comment). Words match whole words of the normalized text, case-insensitively, so "Nguyen" in a
sentence is spoken as given; the phonemes are written as inline `[[ ]]` phonemes are.
"""

from __future__ import annotations

import re
from pathlib import Path


def read_lexicon(source: dict | str | Path | None) -> dict[str, str]:
    """A lexicon from a dict or a file, with lowercased words; ValueError names a bad line or entry."""
    if source is None:
        return {}
    if isinstance(source, dict):
        entries = list(source.items())
        where = "lexicon"
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
                raise ValueError(f"{path}:{number}: expected word<TAB>phonemes, got {line!r}")
            word, phonemes = line.split("\t", 1)
            entries.append((word, phonemes))
        where = str(path)
    lexicon = {}
    for word, phonemes in entries:
        if not isinstance(word, str) or not isinstance(phonemes, str) or not word.strip() or not phonemes.strip() or "]]" in phonemes:
            raise ValueError(f"{where}: bad entry {word!r} -> {phonemes!r} (a word and its IPA phonemes)")
        lexicon[word.strip().lower()] = " ".join(phonemes.split())
    return lexicon


def lexicon_pattern(lexicon: dict[str, str]) -> re.Pattern | None:
    """One pattern matching any lexicon word as a whole word (longest first), or None for an empty lexicon."""
    if not lexicon:
        return None
    words = sorted(lexicon, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, words)) + r")(?![\w'])", re.IGNORECASE)
