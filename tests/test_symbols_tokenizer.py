import warnings

import pytest

from text import SymbolTable, Tokenizer, UnknownSymbolWarning
from text.symbols import BOS, EOS, PAD


def test_symbol_table_roundtrips_through_a_list():
    table = SymbolTable()
    assert SymbolTable.from_list(table.to_list()) == table
    assert table.id(PAD) == table.pad_id == 0


@pytest.mark.parametrize("symbols", [["a", "_"], ["_", "a", "a"], ["_", "ab"]])
def test_symbol_table_rejects_bad_lists(symbols):
    with pytest.raises(ValueError):
        SymbolTable(symbols)


def test_tokenizer_encodes_with_bos_eos_and_decodes_back():
    tokenizer = Tokenizer()
    ids = tokenizer("həlˈoʊ, wˈɜːld!")
    assert ids[0] == tokenizer.symbols.id(BOS) and ids[-1] == tokenizer.symbols.id(EOS)
    assert tokenizer.phonemes(ids) == "həlˈoʊ, wˈɜːld!"


def test_unknown_symbols_are_dropped_with_one_warning():
    tokenizer = Tokenizer(SymbolTable(["_", "^", "$", " ", "a", "b"]))
    with pytest.warns(UnknownSymbolWarning, match="'z'"):
        first = tokenizer("azb")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        second = tokenizer("zab")  # the same unknown symbol again: no second warning
    assert tokenizer.phonemes(first) == "ab" and tokenizer.phonemes(second) == "ab"


def test_a_model_table_without_bos_eos_encodes_plainly():
    tokenizer = Tokenizer(SymbolTable(["_", "a"]))
    assert tokenizer("aa") == [1, 1]
