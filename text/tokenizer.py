"""Phoneme strings -> integer ids for the acoustic model."""

from __future__ import annotations

import warnings

from text.symbols import BOS, EOS, PAD, SymbolTable


class UnknownSymbolWarning(UserWarning):
    """A phoneme symbol the model's table does not have was dropped."""


class Tokenizer:
    """`tokenizer("həlˈoʊ") -> [BOS, h, ə, l, ˈ, o, ʊ, EOS]` as ids.

    Symbols missing from the table are dropped; each distinct one is reported once per tokenizer.
    Padding, start and end symbols inside `phonemes` are dropped too: only the tokenizer places them.
    """

    def __init__(self, symbols: SymbolTable | None = None, add_bos_eos: bool = True):
        self.symbols = symbols or SymbolTable()
        self.add_bos_eos = add_bos_eos and BOS in self.symbols and EOS in self.symbols
        self._reported: set[str] = set()

    def __call__(self, phonemes: str) -> list[int]:
        ids = [self.symbols.id(BOS)] if self.add_bos_eos else []
        unknown = []
        for symbol in phonemes:
            if symbol in (PAD, BOS, EOS):
                continue
            if symbol in self.symbols:
                ids.append(self.symbols.id(symbol))
            elif symbol not in self._reported:
                unknown.append(symbol)
                self._reported.add(symbol)
        if unknown:
            warnings.warn(
                f"dropped phoneme symbol(s) not in the model's table: {''.join(unknown)!r}",
                UnknownSymbolWarning,
                stacklevel=2,
            )
        if self.add_bos_eos:
            ids.append(self.symbols.id(EOS))
        return ids

    def phonemes(self, ids: list[int]) -> str:
        """Ids -> phoneme string, without padding, BOS and EOS."""
        return "".join(self.symbols.symbols[i] for i in ids if self.symbols.symbols[i] not in (BOS, EOS, "_"))
