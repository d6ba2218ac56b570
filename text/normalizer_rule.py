"""What one normalizer rule is, and the one helper the rule modules share.

A rule is a compiled regex and the function that turns each of its matches into spoken words;
`text.normalizer` runs the rules of the `rules_*` modules in order. `final_dot` is for the rules that
read an abbreviation whose own dot may also be the sentence's full stop.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = tuple["re.Pattern[str]", Callable[["re.Match[str]"], str]]


def final_dot(match: re.Match[str]) -> str:
    """Keep the sentence's full stop when an abbreviation's own dot ended the text ("at 7 p.m.")."""
    return "." if match.group(0).endswith(".") and match.end() == len(match.string) else ""
