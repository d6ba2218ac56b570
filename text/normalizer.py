"""English text normalization: written forms (numbers, money, dates, symbols, ...) to spoken words.

`normalize(text)` takes one cleaned sentence (see `text.cleaning`) and returns words espeak-ng reads
well. This module holds the order of the rules and the final tidying of spaces and commas; the rules
themselves, each a compiled regex whose replacement is a small function, are in the `text.rules_*`
modules, and the word tables they read in `text.normalizer_tables`. Rules run in a fixed order, most
specific first: URLs and e-mail before anything reads dots, times and dates before plain numbers, money
and units before bare symbols, and acronyms last. Every rule is a single left-to-right pass, so the whole
is linear in the length of the text.
"""

from __future__ import annotations

import re

from text import (
    rules_money_units,
    rules_numbers,
    rules_streets,
    rules_symbols,
    rules_times_dates,
    rules_urls_emails,
    rules_words,
)
from text.normalizer_rule import Rule

RULES: list[Rule] = [
    *rules_urls_emails.RULES,  # addresses, before anything reads their dots, slashes and digits
    *rules_times_dates.RULES,  # times and dates, before their digits are read as plain numbers
    *rules_streets.RULES,  # "12 Elm Dr." is a street, "Ste. 200" a suite (read as a label below)
    *rules_money_units.RULES,  # amounts with a currency or a unit, before the bare numbers
    *rules_numbers.RULES,  # labels and digit strings, ordinals, fractions, years, then every number left
    *rules_words.RULES,  # abbreviations, initialisms, Roman numerals, acronyms
    *rules_symbols.RULES,  # symbols left over
]

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_COMMAS = re.compile(r"(?:,\s*){2,}")
_LEADING_COMMA = re.compile(r"^[\s,]+")
_PAUSE_BEFORE_STOP = re.compile(r"[,;:]+\s*(?=[.!?])")
_SPACES = re.compile(r"[ \t]+")


def normalize(text: str) -> str:
    """One cleaned sentence -> the words to speak. "$12.99" -> "twelve dollars and ninety-nine cents"."""
    ends_with_pause = text.rstrip().endswith((",", ";", ":"))
    if _is_shouting(text):
        text = text.lower()
    for pattern, replace in RULES:
        text = pattern.sub(replace, text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_COMMAS.sub(", ", text)
    text = _LEADING_COMMA.sub("", text)
    text = _PAUSE_BEFORE_STOP.sub("", text)
    text = text.strip()
    # A comma made from a closing bracket is no pause at the very end; one the writer put there is.
    return text if ends_with_pause else text.rstrip(",").strip()


def _is_shouting(text: str) -> bool:
    """A sentence written all in capitals is read as words, not spelled acronym by acronym."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return len(words) >= 4 and all(w.isupper() for w in words)
