"""Clauses from text that arrives in pieces (LLM tokens): speak each clause as soon as it is complete.

A clause is complete once text follows its boundary: only then can the sentence splitter tell
"Dr. Smith" from a sentence end, and only then is a short clause known not to merge with the next.
"""

from __future__ import annotations

from text.splitter import DEFAULT_MAX_CHARS, split_clauses, split_sentences


class IncrementalClauseSplitter:
    """`push(piece) -> [complete clauses]`, then `flush() -> [the rest]`."""

    def __init__(self, min_chars: int = 12, max_chars: int = DEFAULT_MAX_CHARS):
        self.min_chars = min_chars
        self.max_chars = max_chars
        self._buffer = ""

    def push(self, piece: str) -> list[str]:
        if not isinstance(piece, str):
            raise TypeError(f"text pieces must be str, got {type(piece).__name__}")
        self._buffer += piece
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


def _tail(buffer: str, last_clause: str) -> str:
    """The part of `buffer` from where `last_clause` starts (clauses are stripped substrings, in order)."""
    start = buffer.rfind(last_clause)
    return buffer[start:] if start >= 0 else last_clause
