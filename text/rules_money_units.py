"""Normalizer rules for amounts: money, cents, percentages, units of measure, heights, sizes, multipliers.

"$12.99" -> "twelve dollars and ninety-nine cents", "5 kg" -> "five kilograms", "5'10"" -> "five feet ten
inches", "1920x1080" -> "nineteen twenty by ten eighty", "10x" -> "ten times". They run before the plain
number rules, so that a number is read together with its currency sign or unit.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule, final_dot
from text.numbers import WRITTEN_NUMBER, cardinal, decimal, is_one, number_words, year

_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(tables.UNITS, key=len, reverse=True))
_OPEN_QUOTE_BEFORE = re.compile(r"(?:^|\s)'\w")
_TIMES_SIGN = re.compile(r"\s?[xX×]\s?")
_EQUALS_AFTER = re.compile(r"\s?=")
_UNIT_AFTER = re.compile(r"\s?(?:" + _UNIT_NAMES + r")(?![\w/])")


def _money(match: re.Match[str]) -> str:
    unit, units, sub, subs = tables.CURRENCIES[match.group("cur")]
    amount, scale = match.group("amount"), match.group("scale")
    if scale:
        return number_words(amount) + " " + tables.SCALE_WORDS[scale] + " " + units
    whole, _, fraction = amount.replace(",", "").partition(".")
    whole_value = int(whole) if whole else 0
    cents = int((fraction + "00")[:2]) if fraction else 0
    if len(fraction) > 2:  # "$0.125": not a price in cents, read the number
        return decimal(amount.replace(",", "")) + " " + units
    parts = []
    if whole_value or not cents:
        parts.append(cardinal(whole_value) + " " + (unit if whole_value == 1 else units))
    if cents:
        parts.append(cardinal(cents) + " " + (sub if cents == 1 else subs))
    return " and ".join(parts)


def _cents(match: re.Match[str]) -> str:
    amount = match.group("amount")
    return number_words(amount) + (" cent" if is_one(amount) else " cents")


def _percent(match: re.Match[str]) -> str:
    sign = "minus " if match.group("neg") else ""
    return sign + number_words(match.group("amount")) + " percent"


def _unit(match: re.Match[str]) -> str:
    amount = match.group("amount")
    singular, plural = tables.UNITS[match.group("unit")]
    sign = "minus " if match.group("neg") else ""
    return sign + number_words(amount) + " " + (singular if is_one(amount) else plural)


def _height(match: re.Match[str]) -> str:
    """5'10" -> "five feet ten inches", 6' -> "six feet"; 5'13 is no height and is left as it is."""
    feet, inches = match.group("ft"), match.group("in1") or match.group("in2")
    if inches and float(inches) >= 12:
        return match.group(0)
    quoted = _OPEN_QUOTE_BEFORE.search(match.string, max(0, match.start() - 40), match.start())
    if match.group(0).endswith("'") and quoted:
        return match.group(0)  # "'buy 6'": a closing quote, not feet
    words = number_words(feet) + (" foot" if feet == "1" else " feet")
    if inches and float(inches) > 0:
        inches = inches if "." in inches else str(int(inches))  # 5'04" -> "four inches"
        words += " " + number_words(inches) + (" inch" if is_one(inches) else " inches")
    return words + final_dot(match)


def _dimension_number(number: str) -> str:
    """Four digits in pairs, as in screen sizes: 1920 -> "nineteen twenty"; others as numbers."""
    return year(int(number)) if len(number) == 4 and number.isdigit() else number_words(number)


def _dimensions(match: re.Match[str]) -> str:
    """"2x4" -> "two by four", "1920x1080" -> "nineteen twenty by ten eighty"; "2 x 3 = 6" is a product."""
    numbers = _TIMES_SIGN.split(match.group(0))
    joiner = " times " if _EQUALS_AFTER.match(match.string, match.end()) else " by "
    last = numbers.pop()
    # A unit after the last number ("10 x 20 ft") is read with it by the unit rule.
    tail = last if _UNIT_AFTER.match(match.string, match.end()) else _dimension_number(last)
    return joiner.join([_dimension_number(n) for n in numbers] + [tail])


def _multiplier(match: re.Match[str]) -> str:
    return number_words(match.group("n")) + " times"  # "10x faster"


RULES: list[Rule] = [
    # Money and amounts with a unit.
    (re.compile(r"(?P<cur>[$€£¥])\s?(?P<amount>" + WRITTEN_NUMBER + r")(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|[kKmMbBtT])\b)?"), _money),
    (re.compile(r"\b(?P<amount>" + WRITTEN_NUMBER + r")\s?¢"), _cents),
    (re.compile(r"(?<![\w.])(?P<neg>-)?(?P<amount>" + WRITTEN_NUMBER + r")\s?%"), _percent),
    # Heights (5'10", 6 ft 2 in) before "ft" is a unit; sizes and multipliers (2x4, 3 × 5, 10x) too.
    (re.compile(r"(?<![\w.'\"°])(?P<ft>\d{1,2})(?:\s?'\s?(?P<in1>\d{1,2}(?:\.\d+)?)(?:\s?(?:\"|''))?(?![\w'])"
                r"|\s?(?:ft\.?|feet|foot)\s?(?P<in2>\d{1,2}(?:\.\d+)?)\s?(?:\"|''|in\b\.?|inch(?:es)?\b)|'(?![\w']))"), _height),
    # A size starts only at its first number (the lookbehinds), so a long failed chain is scanned once.
    (re.compile(r"(?<![\w.×])(?<![xX×]\s)\d+(?:\.\d+)?(?:\s?[xX×]\s?\d+(?:\.\d+)?)+(?!\w)"), _dimensions),
    (re.compile(r"(?<![\w.])(?P<n>" + WRITTEN_NUMBER + r")[xX×](?!\w)(?!\s?[-+=*/^<>(])"), _multiplier),
    (re.compile(r"(?<![\w.])(?P<neg>-)?(?P<amount>" + WRITTEN_NUMBER + r")\s?(?P<unit>" + _UNIT_NAMES + r")(?![\w/])"), _unit),
]
