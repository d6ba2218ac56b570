"""Sentence and clause splitting for long text and streaming.

A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets) followed by a space and a
capital letter, digit or quote, or at a blank line. A dot after a title or other known abbreviation
("Dr.", "Mr.", "vs."), after a single initial ("J. K. Rowling") or inside a number ("3.5") never ends a
sentence. Sentences longer than `max_chars` are cut at the last clause mark or space before the limit,
so every later stage sees bounded pieces and the whole runs in time linear in the text's length.
"""

from __future__ import annotations

import re

from text.normalizer_tables import NON_TERMINAL_ABBREVIATIONS

DEFAULT_MAX_CHARS = 400
"""The longest sentence piece, in characters, that the frontend passes on (the one place this limit is set)."""

# A match may start only at the first mark of a run (the lookbehind): otherwise a long run of marks
# with no sentence after it is rescanned from every one of its positions, in quadratic time.
_BOUNDARY = re.compile(r"""(?<![.!?])([.!?]+)(["')\]]*)(\s+)(?=["'(\[]?[A-Z0-9])|\n[^\S\n]*\n""")
_WORD_BEFORE = re.compile(r"(\S+)$")
_CLAUSE_MARK = re.compile(r"(?<=[,;:])\s+")


def split_sentences(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Text -> sentences (stripped, non-empty, each at most `max_chars` characters)."""
    if max_chars < 20:
        raise ValueError(f"max_chars must be at least 20, got {max_chars}")
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(1) == "." and _is_abbreviation(text, match.start(), start):
            continue
        end = match.end(2) if match.group(1) else match.start()
        _append_bounded(sentences, text[start:end], max_chars)
        start = match.end()
    _append_bounded(sentences, text[start:], max_chars)
    return sentences


def _is_abbreviation(text: str, dot: int, sentence_start: int) -> bool:
    # Look back at most 20 characters: enough for any abbreviation, and keeps the scan linear.
    word = _WORD_BEFORE.search(text, max(sentence_start, dot - 20), dot)
    if word is None:
        return False
    token = word.group(1).lstrip("\"'([")
    return token in NON_TERMINAL_ABBREVIATIONS or (len(token) == 1 and token.isupper()) or "." in token


def _append_bounded(sentences: list[str], sentence: str, max_chars: int) -> None:
    sentence = " ".join(sentence.split())
    while len(sentence) > max_chars:
        cut = _cut_point(sentence, max_chars)
        sentences.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        sentences.append(sentence)


def _cut_point(sentence: str, max_chars: int) -> int:
    """Index to cut an over-long sentence: after the last clause mark, else the last space, else hard;
    never inside inline `[[ ]]` phonemes (cut there, a block would be read as its letters)."""
    spans = _inline_spans(sentence, max_chars)
    window = sentence[:max_chars]
    for start, end in spans:  # marks and spaces inside a block are not places to cut
        window = window[:start] + "x" * (min(end, max_chars) - start) + window[min(end, max_chars) :]
    for marks in (",;:", " "):
        cut = max(window.rfind(m) for m in marks)
        if cut > max_chars // 4:
            return cut + 1
    for start, end in spans:
        if start < max_chars < end:
            return start if start > 0 else end
    return max_chars


def _inline_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of each `[[ ... ]]` block that starts before `limit`, found with str.find (linear)."""
    spans, position = [], 0
    while (start := text.find("[[", position, limit)) >= 0 and (end := text.find("]]", start + 2)) >= 0:
        spans.append((start, end + 2))
        position = end + 2
    return spans


def split_clauses(sentence: str, min_chars: int = 12) -> list[str]:
    """Sentence -> clauses at commas, semicolons and colons, for streaming.

    Clauses shorter than `min_chars` are merged with the next one, so no chunk is a lone word.
    """
    pieces = [p for p in _CLAUSE_MARK.split(sentence.strip()) if p]
    clauses: list[str] = []
    pending = ""
    for piece in pieces:
        pending = f"{pending} {piece}".strip() if pending else piece
        if len(pending) >= min_chars:
            clauses.append(pending)
            pending = ""
    if pending:
        if clauses and len(pending) < min_chars:
            clauses[-1] = f"{clauses[-1]} {pending}"
        else:
            clauses.append(pending)
    return clauses
