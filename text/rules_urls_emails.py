"""Normalizer rules for web addresses: URLs and e-mail addresses read out part by part.

"www.example.com/docs" -> "w w w dot example dot com slash docs". These rules run first, before any
other rule reads the dots, slashes and digits inside an address.
"""

from __future__ import annotations

import re

from text.normalizer_rule import Rule
from text.numbers import number_words

_TLD_WORDS = {"com": "com", "org": "org", "net": "net", "io": "I O", "ai": "A I", "edu": "E D U", "gov": "gov"}


def _read_address(text: str) -> str:
    """"www.example.com/docs" -> "w w w dot example dot com slash docs"."""
    out = []
    for part in re.split(r"([./:@\-_?=&#])", text):
        if part in (".",):
            out.append("dot")
        elif part == "/":
            out.append("slash")
        elif part == "@":
            out.append("at")
        elif part == "-":
            out.append("dash")
        elif part == "_":
            out.append("underscore")
        elif part in (":", "?", "=", "&", "#", ""):
            continue
        elif part.lower() == "www":
            out.append("w w w")
        elif part.lower() in _TLD_WORDS and out and out[-1] == "dot":
            out.append(_TLD_WORDS[part.lower()])
        elif part.isdigit():
            out.append(number_words(part))
        else:
            out.append(part)
    return " ".join(out)


def _url(match: re.Match[str]) -> str:
    address = re.sub(r"^[a-zA-Z]+://", "", match.group(0)).rstrip("/")
    return " " + _read_address(address) + " "


def _email(match: re.Match[str]) -> str:
    return " " + _read_address(match.group(0)) + " "


RULES: list[Rule] = [
    (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), _email),
    (re.compile(r"\b(?:https?://|www\.)[^\s,;!?\"')]+|\b[a-zA-Z0-9-]+\.(?:com|org|net|io|ai|edu|gov)\b(?:/[^\s,;!?\"')]*)?"), _url),
]
