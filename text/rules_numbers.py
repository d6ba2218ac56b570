"""Normalizer rules for numbers without a unit: phone, flight and label numbers, ordinals, decades,
ranges, fractions, scores, years, signs, and last every number still left.

"(555) 123-4567" -> "five five five, one two three, four five six seven", "Room 1234" -> "Room twelve
thirty-four", "22nd" -> "twenty-second", "1990s" -> "nineteen nineties", "3/4" -> "three quarters",
"-5" -> "minus five". After these rules no digit is left in the text.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule
from text.numbers import WRITTEN_NUMBER, cardinal, digits, number_words, ordinal, year

_LABELS = "|".join(re.escape(w) for w in sorted(tables.NUMBER_LABELS, key=len, reverse=True))
_FLIGHT_AFTER = re.compile(
    r"\s(?:to|from|departs|departed|departing|arrives|arrived|arriving|leaves|left|lands|landed|boards"
    r"|(?:is|was) (?:delayed|cancell?ed|on time|boarding))\b"
)
_ODDS_BEFORE = re.compile(r"\b[Oo]dds\s(?:(?:of|are|at|were|is|was|now|about|around|stand|stood)\s){0,2}$")
_ODDS_AFTER = re.compile(r"\s(?:odds|shot|favou?rites?|underdogs?|outsiders?)\b")
_DATE_BEFORE = re.compile(
    r"\b(?:on|until|till|since|due|before|after|from|through|thru|dated"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day),?\s$"
)
_NOT_A_DATE_AFTER = re.compile(r"\s(?:of|cups?|inch|inches|miles?|pounds?|teaspoons?|tablespoons?|tsp|tbsp)\b")


def _ordinal(match: re.Match[str]) -> str:
    return ordinal(int(match.group("n").replace(",", "")))


def _phone(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    return ", ".join(digits(g) for g in groups)


def _pairs(number: str) -> str:
    """Read a label number the way people say it: 1234 -> "twelve thirty-four", 447 -> "four forty-seven"."""
    if number.startswith("0") or len(number) > 4:
        return digits(number)
    if len(number) <= 2:
        return cardinal(int(number))
    head, tail = number[:-2], number[-2:]
    if tail == "00":
        return cardinal(int(head)) + " hundred"
    tail_words = ("oh " + cardinal(int(tail))) if tail.startswith("0") else cardinal(int(tail))
    return cardinal(int(head)) + " " + tail_words


def _label_number(match: re.Match[str]) -> str:
    label = match.group("label")
    spoken = "number" if label == "#" or label.lower() == "no." else label
    return spoken + " " + _pairs(match.group("n"))


def _spell_code(code: str) -> str:
    return " ".join(cardinal(int(c)) if c.isdigit() else tables.LETTER_NAMES.get(c, c) for c in code)


def _flight(match: re.Match[str]) -> str:
    """"flight UA 1234" -> "flight U eh twelve thirty-four". Outside the word "flight" only a known
    airline code counts, and only glued to its number ("DL452") or in a travel phrase ("on AA 100")."""
    pre, code, number = match.group("pre") or "", match.group("code"), match.group("n")
    if not pre.lower().startswith("flight"):
        glued = not match.group("space") and len(number) >= 2
        travel = pre or _FLIGHT_AFTER.match(match.string, match.end())
        if code not in tables.AIRLINE_CODES or not (glued or travel):
            return match.group(0)
    return pre + _spell_code(code) + " " + _pairs(number)


def _range(match: re.Match[str]) -> str:
    a, b = match.group("a"), match.group("b")
    if len(a) == 4 and len(b) == 4 and all(_looks_like_year(x) for x in (a, b)):
        return year(int(a)) + " to " + year(int(b))
    return number_words(a) + " to " + number_words(b)


def _looks_like_year(text: str) -> bool:
    return len(text) == 4 and 1100 <= int(text) <= 2099


def _year(match: re.Match[str]) -> str:
    return year(int(match.group(0)))


def _decade(match: re.Match[str]) -> str:
    """"1990s" -> "nineteen nineties", "80s" -> "eighties"."""
    number = match.group("n")
    words = year(int(number)) if len(number) == 4 else cardinal(int(number))
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + "s"


def _fraction(match: re.Match[str]) -> str:
    numerator, denominator = int(match.group("a")), int(match.group("b"))
    if _is_split(match.group("a"), match.group("b")):
        a, b = cardinal(numerator), cardinal(denominator)
        return a + (" " if "-" in a + b else "-") + b  # "50/50" -> "fifty-fifty"
    if _odds_context(match):
        return cardinal(numerator) + " to " + cardinal(denominator)  # "3/1 odds" -> "three to one"
    if _date_context(match) and 1 <= numerator <= 12 and 1 <= denominator <= 31:
        return tables.MONTHS[numerator - 1] + " " + ordinal(denominator)  # "due 12/25"
    if denominator == 0 or denominator > 100:
        return cardinal(numerator) + " slash " + cardinal(denominator)
    if denominator == 2:
        name = "half" if numerator == 1 else "halves"
    elif denominator == 4:
        name = "quarter" if numerator == 1 else "quarters"
    else:
        name = ordinal(denominator) + ("" if numerator == 1 else "s")
    return cardinal(numerator) + " " + name


def _odds_context(match: re.Match[str]) -> bool:
    """The word "odds" just before ("odds of 5/2") or a betting word just after ("a 3/1 shot")."""
    before = _ODDS_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
    return before is not None or _ODDS_AFTER.match(match.string, match.end()) is not None


def _is_split(a: str, b: str) -> bool:
    """A share of a hundred in fives, said with a hyphen: 50/50, 60/40, 80/20."""
    return len(a) == len(b) == 2 and int(a) + int(b) == 100 and int(a) % 5 == 0


def _date_context(match: re.Match[str]) -> bool:
    """"on 12/25", "until 3/4": a month and day after a word that introduces a date, not "3/4 of"."""
    before = _DATE_BEFORE.search(match.string, max(0, match.start() - 12), match.start())
    return before is not None and _NOT_A_DATE_AFTER.match(match.string, match.end()) is None


def _signed_number(match: re.Match[str]) -> str:
    return match.group("pre") + "minus " + number_words(match.group("n"))


def _number(match: re.Match[str]) -> str:
    return number_words(match.group(0))


RULES: list[Rule] = [
    # Numbers that are labels or digit strings.
    (re.compile(r"\(?\b(\d{3})\)?[-.\s](\d{3})[-.](\d{4})\b"), _phone),
    (re.compile(r"(?<!\d)\+(\d{1,3})[-.\s](\d{3})[-.\s](\d{3})[-.\s](\d{4})\b"), _phone),
    (re.compile(r"\b(\d{3})-(\d{4})\b"), _phone),
    (re.compile(r"(?P<pre>\b(?:[Ff]lights?|on|aboard|boarding|board|took|take|booked|catch|caught)\s(?:(?:number|no\.|#)\s?)?)?"
                r"(?<![\w.])(?P<code>[A-Z][A-Z0-9]|\d[A-Z])(?P<space>\s?)(?P<n>\d{1,4})\b"), _flight),
    (re.compile(r"(?P<label>(?<![\w.])(?:" + _LABELS + r"))\s?(?P<n>\d+)\b"), _label_number),
    # Ordinals, decades, ranges, fractions, years, signs, then every remaining number.
    (re.compile(r"\b(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"), _ordinal),
    (re.compile(r"(?<![\w'])'?(?P<n>(?:1[1-9]|20)?\d0)'?s\b"), _decade),
    (re.compile(r"\b(?P<a>\d+)-(?P<b>\d+)\b"), _range),
    (re.compile(r"\b24/7\b"), lambda m: "twenty-four seven"),
    (re.compile(r"(?<![\d/])\b(?P<a>\d{1,3})/(?P<b>\d{1,3})\b(?!/)"), _fraction),
    (re.compile(r"\b(?P<a>\d+):(?P<b>\d+)\b"), lambda m: m.group("a") + " to " + m.group("b")),  # a score
    (re.compile(r"(?<![\d.,])(?:1[1-9]\d\d|20\d\d)(?![\d.,]\d)"), _year),
    (re.compile(r"(?P<pre>^|[\s(])-(?P<n>" + WRITTEN_NUMBER + r")"), _signed_number),
    (re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"), lambda m: " "),  # MP3 -> MP 3
    (re.compile(WRITTEN_NUMBER), _number),
]
