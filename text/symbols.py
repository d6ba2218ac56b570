"""The phoneme and punctuation symbol table that is saved with every model.

Each symbol is one Unicode character of espeak-ng's IPA output (stress marks, length marks and
diacritics are symbols of their own). Ids are positions in the list, so a model's config carries the
list itself and no vocabulary size is ever written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

PAD = "_"
BOS = "^"
EOS = "$"
SPACE = " "
PUNCTUATION = ';:,.!?¡¿—…"«»“”()-\''
# Every symbol espeak-ng's IPA output uses for English (and most other languages), plus the lowercase
# Latin letters it emits for a few sounds.
IPA = (
    "ɑɐɒæɓʙβɔɕçɗɖðʤəɘɚɛɜɝɞɟʄɡɠɢʛɦɧħɥʜɨɪʝɭɬɫɮʟɱɯɰŋɳɲɴøɵɸθœɶʘɹɺɾɻʀʁɽʂʃʈʧʉʊʋⱱʌɣɤʍχʎʏʑʐʒʔʡʕʢ"
    "ǀǁǂǃˈˌːˑʼʴʰʱʲʷˠˤ˞↓↑→↗↘̩̃ᵻ"
)
LETTERS = "abcdefghijklmnopqrstuvwxyz"

DEFAULT_SYMBOLS: tuple[str, ...] = tuple(dict.fromkeys([PAD, BOS, EOS, SPACE, *PUNCTUATION, *LETTERS, *IPA]))


class SymbolTable:
    """Symbol <-> id map. `symbols[i]` has id i; id 0 is padding."""

    def __init__(self, symbols: Iterable[str] = DEFAULT_SYMBOLS):
        self.symbols = tuple(symbols)
        if not self.symbols or self.symbols[0] != PAD:
            raise ValueError(f"the first symbol must be the padding symbol {PAD!r}")
        if len(set(self.symbols)) != len(self.symbols):
            raise ValueError("symbols must be unique")
        if any(len(s) != 1 for s in self.symbols):
            raise ValueError("each symbol must be a single character")
        self._ids = {s: i for i, s in enumerate(self.symbols)}

    def __len__(self) -> int:
        return len(self.symbols)

    def __contains__(self, symbol: str) -> bool:
        return symbol in self._ids

    def id(self, symbol: str) -> int:
        return self._ids[symbol]

    @property
    def pad_id(self) -> int:
        return 0

    def to_list(self) -> list[str]:
        return list(self.symbols)

    @classmethod
    def from_list(cls, symbols: list[str]) -> "SymbolTable":
        return cls(symbols)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SymbolTable) and self.symbols == other.symbols

    def __repr__(self) -> str:
        return f"SymbolTable({len(self)} symbols)"
