"""Numbers as English words (American style: "two thousand five", no "and").

num2words does the spelling; this module only fixes the style and adds readings it lacks
(digit-by-digit strings, decimals read digit by digit after "point"), and reads a number as it is
written ("1,234", "3.5", "007": `WRITTEN_NUMBER`, `number_words`).
"""

from __future__ import annotations

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Beyond this many digits a number is read digit by digit: nobody says "one quintillion ...".
MAX_CARDINAL_DIGITS = 15

WRITTEN_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 200,000 | 12.99 | 7
"""A number as written, in the normalizer's rules: with or without thousands separators and decimals."""


def _num2words(value: int, to: str) -> str:
    from num2words import num2words

    return num2words(value, lang="en", to=to)


def _american(words: str) -> str:
    return words.replace(",", "").replace(" and ", " ")


def cardinal(value: int) -> str:
    """12 -> "twelve", -7 -> "minus seven", 200000 -> "two hundred thousand"."""
    if value < 0:
        return "minus " + cardinal(-value)
    if len(str(value)) > MAX_CARDINAL_DIGITS:
        return digits(str(value))
    return _american(_num2words(value, "cardinal"))


def ordinal(value: int) -> str:
    """1 -> "first", 22 -> "twenty-second", 103 -> "one hundred third"."""
    if value < 0:
        return "minus " + ordinal(-value)
    if len(str(value)) > MAX_CARDINAL_DIGITS:
        return digits(str(value))
    return _american(_num2words(value, "ordinal"))


def year(value: int) -> str:
    """1990 -> "nineteen ninety", 2005 -> "two thousand five", 1905 -> "nineteen oh five"."""
    if not 1000 <= value <= 9999 or value % 1000 < 10:
        return cardinal(value)  # 2000-2009 read as plain numbers
    return _american(_num2words(value, "year")).replace("oh-", "oh ")


def digits(text: str) -> str:
    """"0420" -> "zero four two zero"; non-digits are ignored."""
    return " ".join(_DIGITS[int(c)] for c in text if c in "0123456789")


def decimal(text: str) -> str:
    """"3.14" -> "three point one four", "-0.5" -> "minus zero point five", "12." -> "twelve"."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-+").partition(".")
    whole_words = cardinal(int(whole.replace(",", ""))) if whole else "zero"
    words = whole_words + (" point " + digits(fraction) if fraction else "")
    return ("minus " + words) if negative else words


def number_words(text: str) -> str:
    """Any unsigned number as written ("1,234", "3.5", "007") to words."""
    text = text.replace(",", "")
    if "." in text:
        return decimal(text)
    if len(text) > 1 and text.startswith("0"):
        return digits(text)
    return cardinal(int(text))


def is_one(text: str) -> bool:
    """"1", "1.0", "1.00": an amount whose unit is said in the singular."""
    return text.replace(",", "") in ("1", "1.0", "1.00")
