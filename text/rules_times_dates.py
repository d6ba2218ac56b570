"""Normalizer rules for times and dates: clock times, a.m./p.m., weekday and month names, dates.

"7:45 pm" -> "seven forty-five p m", "Mon-Fri" -> "Monday to Friday", "Jan. 5th, 2024" -> "January
fifth, twenty twenty-four", "3/14/2024" -> "March fourteenth, twenty twenty-four". They run before the
number rules, which would otherwise read the digits of a time or date as plain numbers.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule, final_dot
from text.numbers import cardinal, ordinal, year

_MONTH = r"(?P<month>" + "|".join(tables.MONTHS) + "|" + "|".join(tables.MONTH_ABBREVIATIONS) + r")\.?"
_AMPM = r"(?P<ampm>[ap]\.?m\.?|[AP]\.?M\.?)(?![a-zA-Z])"
_MONTH_WORDS = "|".join(tables.MONTHS + tuple(tables.MONTH_ABBREVIATIONS))
_WEEKDAYS = "|".join(sorted(tables.WEEKDAY_ABBREVIATIONS, key=len, reverse=True))
_SHORT_NAMES = "|".join(sorted({**tables.WEEKDAY_ABBREVIATIONS, **tables.MONTH_ABBREVIATIONS}, key=len, reverse=True))
# Context looked at by the replacement functions; each looks only a bounded distance either side.
_DAY_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:on|next|this|last|every|until|till|through|thru|from|to|by|[Cc]losed|[Oo]pen)|(?:" + _WEEKDAYS
    + r"|day)\.?,?(?:\s(?:and|or|&|to|through|thru))?)\s$"
)
_DAY_CONTEXT_AFTER = re.compile(r",|\s?[-&/]|\s(?:\d|(?:at|morning|afternoon|evening|night|" + _MONTH_WORDS + r")\b)")


def _clock(hours: int, minutes: int) -> str:
    if minutes == 0:
        return cardinal(hours) + " o'clock"
    if minutes < 10:
        return cardinal(hours) + " oh " + cardinal(minutes)
    return cardinal(hours) + " " + cardinal(minutes)


def _time(match: re.Match[str]) -> str:
    hours, minutes = int(match.group("h")), int(match.group("m"))
    if hours > 24 or minutes > 59:
        return match.group(0).replace(":", " ")  # not a time: a ratio or a score, read the numbers
    suffix = match.group("ampm")
    words = _clock(hours, minutes)
    if suffix:
        words = (cardinal(hours) if minutes == 0 else words) + " " + _ampm(suffix)
    if match.group("s"):
        words += " and " + cardinal(int(match.group("s"))) + " seconds"
    return words + final_dot(match)


def _hour_ampm(match: re.Match[str]) -> str:
    words = cardinal(int(match.group("h"))) + " " + _ampm(match.group("ampm"))
    return words + final_dot(match)


def _ampm(suffix: str) -> str:
    """"a.m." -> "eh m", "PM" -> "p m": letter names, since espeak reads a lone "a" as the article and
    "seven a m" is heard as "seven at M"."""
    return " ".join(tables.LETTER_NAMES.get(c, c.lower()) for c in suffix.upper() if c != ".")


def _month_name(text: str) -> str:
    text = text.rstrip(".")
    return tables.MONTH_ABBREVIATIONS.get(text, text)


def _short_name(text: str) -> str:
    """"Mon" -> "Monday", "Sept" -> "September"."""
    return tables.WEEKDAY_ABBREVIATIONS.get(text) or tables.MONTH_ABBREVIATIONS[text]


def _name_range(match: re.Match[str]) -> str:
    """"Mon-Fri" -> "Monday to Friday", "Jan.-Mar." -> "January to March"; mixed kinds are left alone."""
    a, b = match.group("a"), match.group("b")
    if (a in tables.WEEKDAY_ABBREVIATIONS) != (b in tables.WEEKDAY_ABBREVIATIONS):
        return match.group(0)
    return _short_name(a) + " to " + _short_name(b) + final_dot(match)


def _weekday(match: re.Match[str]) -> str:
    day = match.group("day")
    if day == "Sun" and match.group(0).endswith(".") and not _sunday_context(match):
        return match.group(0)  # "Look at the Sun.": the star, not the day
    return tables.WEEKDAY_ABBREVIATIONS[day] + final_dot(match)


def _sunday_context(match: re.Match[str]) -> bool:
    """"Sun." is Sunday beside a date, a time, another weekday or a word like "on" or "every"."""
    before = _DAY_CONTEXT_BEFORE.search(match.string, max(0, match.start() - 24), match.start())
    return before is not None or _DAY_CONTEXT_AFTER.match(match.string, match.end()) is not None


def _month_abbreviation(match: re.Match[str]) -> str:
    return tables.MONTH_ABBREVIATIONS[match.group("month")] + final_dot(match)


def _month_day(match: re.Match[str]) -> str:
    words = _month_name(match.group("month")) + " " + ordinal(int(match.group("day")))
    if match.group("year"):
        words += ", " + year(int(match.group("year")))
    return words


def _day_of_month(match: re.Match[str]) -> str:
    return ordinal(int(match.group("day"))) + " of " + _month_name(match.group("month")) + final_dot(match)


def _month_year(match: re.Match[str]) -> str:
    return _month_name(match.group("month")) + " " + year(int(match.group("year")))


def _numeric_date(match: re.Match[str]) -> str:
    month, day = int(match.group("month")), int(match.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0).replace("/", " slash ").replace("-", " ")
    return tables.MONTHS[month - 1] + " " + ordinal(day) + ", " + year(int(match.group("year")))


RULES: list[Rule] = [
    # Times: 7:45, 7:45 pm, 19:30:15, 7 pm; a range before one: "9am-5pm", "9-11 a.m." -> "9am to 5pm".
    (re.compile(r"(?<![\d:])(?P<a>\d{1,2}(?::\d{2})?(?:\s?[aApP]\.?[mM]\.?)?)\s?-\s?(?=\d{1,2}(?::\d{2})?\s?[aApP]\.?[mM](?![a-zA-Z]))"),
     lambda m: m.group("a") + " to "),
    (re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s?" + _AMPM + ")?"), _time),
    (re.compile(r"\b(?P<h>1[0-2]|0?[1-9])\s?" + _AMPM), _hour_ampm),
    # Short weekday and month names, before the dates read what follows them: Mon-Fri, Sat., Wed., Jan.
    (re.compile(r"(?<![\w.])(?P<a>" + _SHORT_NAMES + r")\.?\s?-\s?(?P<b>" + _SHORT_NAMES + r")\.?(?!\w)"), _name_range),
    (re.compile(r"(?<![\w.])(?P<day>" + _WEEKDAYS + r")(?:\.|(?=,\s(?:\d{1,2}\b|(?:" + _MONTH_WORDS + r")\b)))(?!\w)"), _weekday),
    # Dates: March 3rd, Jan. 5th, 2024 | 3rd of March | March 2024 | 3/14/2024 | 2024-03-14.
    (re.compile(r"\b" + _MONTH + r"\s(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s(?P<year>\d{4})\b)?"), _month_day),
    (re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\sof\s" + _MONTH), _day_of_month),
    (re.compile(r"\b" + _MONTH + r",?\s(?P<year>1[1-9]\d\d|20\d\d)\b"), _month_year),
    (re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>\d{4})\b"), _numeric_date),
    (re.compile(r"\b(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"), _numeric_date),
    (re.compile(r"(?<![\w.])(?P<month>" + "|".join(tables.MONTH_ABBREVIATIONS) + r")\.(?!\w)"), _month_abbreviation),
]
