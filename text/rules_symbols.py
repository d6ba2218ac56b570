"""Normalizer rules for the symbols left after every other rule: "and/or", slashes, dashes, "&", "+", ...

"a/b" -> "a slash b", "x -- y" -> "x, y", "&" -> "and". They run last, when every symbol that belongs to
an address, a time, an amount or a number has already been read with it.
"""

from __future__ import annotations

import re

from text import normalizer_tables as tables
from text.normalizer_rule import Rule


def _symbol(match: re.Match[str]) -> str:
    return tables.SYMBOLS[match.group(0)]


RULES: list[Rule] = [
    (re.compile(r"\band/or\b"), lambda m: "and or"),
    (re.compile(r"(?<=\w)/(?=\w)"), lambda m: " slash "),
    (re.compile(r"\s-+\s|--+"), lambda m: ", "),
    (re.compile("|".join(re.escape(s) for s in tables.SYMBOLS)), _symbol),
]
