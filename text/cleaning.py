"""Unicode clean-up before normalization: fold what can be spoken, drop what cannot.

Folding keeps meaning: curly quotes become straight ones, dashes become a pause, accented Latin letters
lose their accents, full-width forms become ASCII. Control characters are stripped. Emoji, other
symbols and letters of non-Latin scripts cannot be spoken by an English voice: they are dropped, and one
warning per call says how many and which.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

# Characters that survive folding unchanged although they are not ASCII: the normalizer reads them.
SPOKEN_SYMBOLS = frozenset("€£¥¢°×÷±§¶©®™")

_PUNCTUATION_FOLDS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'",
    "\u2026": "...",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    # En and em dashes and the horizontal bar read as a pause (a dash between digits is a range: see
    # _NUMERIC_RANGE_DASH).
    "\u2013": " - ", "\u2014": " - ", "\u2015": " - ",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u00bf": "", "\u00a1": "",
    "\u2044": "/",  # fraction slash: "½" decomposes to "1⁄2"
}
# Latin letters that Unicode does not decompose into ASCII.
_LETTER_FOLDS = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ð": "th", "Ð": "Th",
    "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H",
}
_FOLDS = {**_PUNCTUATION_FOLDS, **_LETTER_FOLDS}
_FOLD_RE = re.compile("|".join(map(re.escape, sorted(_FOLDS, key=len, reverse=True))))
_SPACES_RE = re.compile(r"[ \t]+")
_MAX_REPORTED = 8


_NUMERIC_RANGE_DASH = re.compile(r"(?<=\d)\s?[\u2013\u2014]\s?(?=\d)")


def clean_text(text: str) -> str:
    """Fold Unicode to speakable ASCII-like text; strip control characters; drop the unspeakable.

    Newlines are kept (they mark line or paragraph breaks); runs of spaces are collapsed. Dropped
    characters are reported in one `UnspeakableTextWarning`.
    """
    cleaned, dropped = clean_and_report(text)
    warn_dropped(dropped)
    return cleaned


def clean_and_report(text: str) -> tuple[str, list[str]]:
    """`clean_text` without the warning: returns (cleaned text, dropped characters)."""
    text = _NUMERIC_RANGE_DASH.sub("-", text)  # "1990–2000" stays a range for the normalizer
    text = _apply_folds(text)
    kept: list[str] = []
    dropped: list[str] = []
    for char in text:
        if char.isascii():
            if char.isprintable() or char == "\n":
                kept.append(char)
            elif char in "\t\r\v\f":
                kept.append("\n" if char in "\r\v\f" else " ")
            # other ASCII control characters are stripped silently
            continue
        if char in SPOKEN_SYMBOLS:
            kept.append(char)
            continue
        folded = _fold_char(char)
        category = unicodedata.category(char)
        if folded is not None:
            kept.append(folded)
        elif category.startswith("Z"):
            kept.append(" ")
        elif not category.startswith("C"):  # control and format characters vanish silently
            dropped.append(char)
    return _SPACES_RE.sub(" ", "".join(kept)), dropped


def warn_dropped(dropped: list[str]) -> None:
    if dropped:
        shown = "".join(dict.fromkeys(dropped))[:_MAX_REPORTED]
        warnings.warn(
            f"dropped {len(dropped)} character(s) that an English voice cannot speak: {shown!r}",
            UnspeakableTextWarning,
            stacklevel=3,
        )


def _apply_folds(text: str) -> str:
    return _FOLD_RE.sub(lambda m: _FOLDS[m.group(0)], text)


def _fold_char(char: str) -> str | None:
    """Compatibility-decompose one non-ASCII character; keep it if that yields Latin/ASCII text."""
    decomposed = unicodedata.normalize("NFKD", char)
    base = _apply_folds("".join(c for c in decomposed if not unicodedata.combining(c)))
    if base and all(c.isascii() and (c.isprintable() or c == " ") for c in base):
        return base
    if base and all(c in _LETTER_FOLDS for c in base):
        return "".join(_LETTER_FOLDS[c] for c in base)
    return None


class UnspeakableTextWarning(UserWarning):
    """Emitted when characters such as emoji or non-Latin letters are dropped from the input."""
