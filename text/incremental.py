"""Clauses from text that arrives in pieces (LLM tokens): speak each clause as soon as it is complete.

A clause is complete once text follows its boundary: only then can the sentence splitter tell
"Dr. Smith" from a sentence end, and only then is a short clause known not to merge with the next.

Each `push` costs time in proportion to the new piece: runs of whitespace are collapsed as they arrive
(the splitter reads any run as one space, or as a paragraph break when it holds two newlines), and
what is held back is only the clause still open, which the sentence splitter cuts at `max_chars`.
So the held text never exceeds `max_chars` plus one piece, whatever a client sends.
"""

from __future__ import annotations

import re

from text.splitter import DEFAULT_MAX_CHARS, split_clauses, split_sentences

_WHITESPACE_RUN = re.compile(r"\s+")
_TRAILING_WHITESPACE = re.compile(r"\s*$")


class IncrementalClauseSplitter:
    """`push(piece) -> [complete clauses]`, then `flush() -> [the rest]`."""

    def __init__(self, min_chars: int = 12, max_chars: int = DEFAULT_MAX_CHARS):
        self.min_chars = min_chars
        self.max_chars = max_chars
        self._buffer = ""

    @property
    def pending(self) -> str:
        """The text held back: the clause not yet known to be complete (at most `max_chars` plus one piece)."""
        return self._buffer

    def push(self, piece: str) -> list[str]:
        if not isinstance(piece, str):
            raise TypeError(f"text pieces must be str, got {type(piece).__name__}")
        # The buffer's own trailing whitespace joins the piece's leading whitespace into one run.
        trailing = _TRAILING_WHITESPACE.search(self._buffer).start()
        self._buffer = self._buffer[:trailing] + _collapse(self._buffer[trailing:] + piece)
        if not self._buffer.strip():
            self._buffer = ""
            return []
        clauses = self._split(self._buffer)
        if len(clauses) < 2:
            return []
        # The last clause may still grow; everything before it is final.
        self._buffer = _tail(self._buffer, clauses[-1])
        return clauses[:-1]

    def reset(self) -> None:
        """Drop the text not yet spoken (a cancelled reply)."""
        self._buffer = ""

    def flush(self) -> list[str]:
        clauses = self._split(self._buffer)
        self._buffer = ""
        return clauses

    def _split(self, text: str) -> list[str]:
        if not text.strip():
            return []
        return [c for s in split_sentences(text, self.max_chars) for c in split_clauses(s, self.min_chars)]


def _collapse(text: str) -> str:
    """Each whitespace run as the splitter reads it: a paragraph break (two newlines), a line break, or a space."""
    return _WHITESPACE_RUN.sub(lambda run: "\n\n" if run.group().count("\n") >= 2 else ("\n" if "\n" in run.group() else " "), text)


def _tail(buffer: str, last_clause: str) -> str:
    """The part of `buffer` from where `last_clause` starts (clauses are stripped substrings, in order)."""
    start = buffer.rfind(last_clause)
    return buffer[start:] if start >= 0 else last_clause
