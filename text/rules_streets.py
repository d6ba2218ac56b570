"""Normalizer rules for street addresses: street abbreviations after a house number, unit abbreviations
before one.

"12 W. Elm Dr." -> "12 West Elm Drive", "5th St." -> "5th Street", "Ste. 200" -> "Suite 200" (the
number is read later, as a label). `UNIT_WORDS` also tells the abbreviation rules that "St. Apt." is
no saint's name.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule, final_dot

_STREETS = r"Dr\.|St\.|Ave\.|Blvd\.|Rd\.|Ln\.|Ct\.|Pkwy\."
_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West"}
_COMPASS = re.compile(r"\b([NSEW])\.?\s")
_ADDRESS_UNITS = {"Apt.": "Apartment", "Ste.": "Suite", "Bldg.": "Building", "Fl.": "Floor", "Rm.": "Room"}
UNIT_WORDS = r"(?:Apt|Apartment|Ste|Suite|Unit|Bldg|Building|Fl|Floor|Rm|Room)\b"
_CAPITAL_AFTER = re.compile(r"\s+(?!" + UNIT_WORDS + r")[A-Z]")  # a new sentence, not "St. Apt. 5"


def _street(match: re.Match[str]) -> str:
    """After a house number and a name ("12 W. Elm Dr.") or an ordinal ("5th St.") it is the street. The
    splitter never ends a sentence at "Dr.", so its dot is kept before a capital ("Elm Dr. Turn left")."""
    abbr = match.group("abbr")
    street = tables.CONTEXT_ABBREVIATIONS.get(abbr, ("", tables.ABBREVIATIONS.get(abbr)))[1]
    place = _COMPASS.sub(lambda m: _DIRECTIONS[m.group(1)] + " ", match.group("place"))  # "W." is no watt
    return place + street + ("." if _CAPITAL_AFTER.match(match.string, match.end()) else final_dot(match))


def _unit_before_number(match: re.Match[str]) -> str:
    return _ADDRESS_UNITS[match.group("abbr")]  # "Ste. 200" -> "Suite 200", read as a label


RULES: list[Rule] = [
    (re.compile(r"(?P<place>\b\d+[A-Za-z]?\s(?:[A-Z][a-z'-]*\.?\s){1,3}|\b\d+(?:st|nd|rd|th)\s)(?P<abbr>" + _STREETS + r")(?!\w)"), _street),
    (re.compile(r"(?<![\w.])(?P<abbr>" + "|".join(re.escape(u) for u in _ADDRESS_UNITS) + r")(?=\s?#?\d{1,4}[A-Za-z]?\b)"), _unit_before_number),
]
