"""Normalizer rules for shortened words: abbreviations, initialisms, Roman numerals and acronyms.

"Dr. Smith" -> "Doctor Smith", "St. Louis" -> "Saint Louis", "Miami, Fl." -> "Miami, Florida", "M.D." ->
"M D", "Henry VIII" -> "Henry the eighth", "HTML" -> "H T M L", while "NASA" stays a word. They run after
the number rules, so "5th St." and "Ste. 200" have already been read as addresses.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule, final_dot
from text.numbers import cardinal, ordinal
from text.rules_streets import UNIT_WORDS

_ROMAN_WORDS = "|".join(re.escape(w) for w in sorted(tables.ROMAN_CARDINAL_CONTEXT, key=len, reverse=True))
_ABBREVIATIONS = "|".join(re.escape(a) for a in sorted(tables.ABBREVIATIONS, key=len, reverse=True))
_CONTEXT_ABBREVIATIONS = "|".join(re.escape(a) for a in tables.CONTEXT_ABBREVIATIONS)


def _floor(match: re.Match[str]) -> str:
    """"Miami, Fl." is Florida; "3rd Fl." and "Fl. 3" (done before numbers) are a floor."""
    return (match.group("comma") + "Florida" if match.group("comma") else "Floor") + final_dot(match)


def _initialism(match: re.Match[str]) -> str:
    """"M.D." -> "M D", "B.A." -> "B eh": letter by letter, as acronyms are."""
    return _spell(match.group(0).replace(".", "")) + final_dot(match)


def _abbreviation(match: re.Match[str]) -> str:
    return tables.ABBREVIATIONS[match.group(0)] + final_dot(match)


def _context_abbreviation(match: re.Match[str]) -> str:
    before_name, otherwise = tables.CONTEXT_ABBREVIATIONS[match.group("abbr")]
    return before_name + " " if match.group("name") else otherwise + final_dot(match)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(numeral: str) -> int:
    total = 0
    for i, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _roman(match: re.Match[str]) -> str:
    word, numeral = match.group("word"), match.group("numeral")
    value = _roman_value(numeral)
    if word in tables.ROMAN_CARDINAL_CONTEXT:
        return word + " " + cardinal(value)
    return word + " the " + ordinal(value)  # regnal: "Henry VIII" -> "Henry the eighth"


_CONSONANT_RUN = re.compile(r"[^AEIOU]{3,}")
_ONSETS = frozenset("BL BR CH CL CR DR FL FR GL GR PL PR SC SK SL SM SN SP ST SW TR TW TH SH WH".split())


def _pronounceable(word: str) -> bool:
    """Guess whether an all-caps acronym of 4-5 letters is said as a word (NASA) or spelled (HTML)."""
    if len(word) < 4 or not re.search(r"[AEIOU]", word) or _CONSONANT_RUN.search(word):
        return False
    first_vowel = re.search(r"[AEIOU]", word).start()
    return first_vowel <= 1 or word[:first_vowel] in _ONSETS


def _spell(letters: str) -> str:
    return " ".join(tables.LETTER_NAMES.get(c, c) for c in letters)


def _acronym(match: re.Match[str]) -> str:
    word, suffix = match.group("word"), match.group("suffix") or ""
    if word in tables.SPECIAL_READINGS:
        return tables.SPECIAL_READINGS[word] + suffix
    if word in tables.PRONOUNCEABLE_ACRONYMS or word in tables.EMPHASIS_WORDS or _pronounceable(word):
        return word + suffix
    return _spell(word) + ("'s" if suffix else "")


RULES: list[Rule] = [
    # A capitalized word after "St." is a name ("St. Louis") unless it is an address unit ("Main St. Apt. 5").
    (re.compile(r"(?<![\w.])(?P<abbr>" + _CONTEXT_ABBREVIATIONS + r")(?P<name>\s+(?=[A-Z])(?!" + UNIT_WORDS + r"))?"), _context_abbreviation),
    (re.compile(r"(?P<comma>(?<=[a-z]),\s)?(?<![\w.])Fl\.(?!\w)"), _floor),
    (re.compile(r"(?<![\w.])(?:" + _ABBREVIATIONS + r")(?!\w)"), _abbreviation),
    (re.compile(r"(?<![\w.])[A-Z]\.(?:[A-Z]\.)+(?!\w)"), _initialism),
    (re.compile(r"(?P<word>" + _ROMAN_WORDS + r"|\b[A-Z][a-z]+)\s(?=[IVX]{2})(?P<numeral>(?:X{0,3})(?:IX|IV|V?I{0,3})\b)(?<=[IVX])"), _roman),
    (re.compile(r"\b(?P<word>[A-Z]{2,5})(?P<suffix>'?s)?\b"), _acronym),
]
