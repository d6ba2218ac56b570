"""English text frontend: normalization, espeak-ng phonemes, symbol table, sentence splitting.

Importing this package loads nothing heavy; espeak-ng starts on the first phonemization.
"""

from text.cleaning import UnspeakableTextWarning, clean_text
from text.frontend import NothingToSpeak, Segment, TextFrontend
from text.normalizer import normalize
from text.phonemizer import EspeakPhonemizer, PhonemizerUnavailableError
from text.splitter import split_clauses, split_sentences
from text.symbols import SymbolTable
from text.tokenizer import Tokenizer, UnknownSymbolWarning

__all__ = [
    "EspeakPhonemizer",
    "NothingToSpeak",
    "PhonemizerUnavailableError",
    "Segment",
    "SymbolTable",
    "TextFrontend",
    "Tokenizer",
    "UnknownSymbolWarning",
    "UnspeakableTextWarning",
    "clean_text",
    "normalize",
    "split_clauses",
    "split_sentences",
]
