"""Hostile text: every input the frontend was once slow, crashed or leaked special ids on.

Each case is a regression test; the generators that found them feed the property tests
(tests/test_frontend_properties.py). Scaling over many pathological kinds is measured by
benchmarks/frontend_pathological.py.
"""

import time
import warnings

import pytest

from text import TextFrontend
from text.frontend import split_inline
from text.splitter import split_sentences
from text.symbols import BOS, EOS, PAD
from text.tokenizer import UnknownSymbolWarning

FRONTEND = TextFrontend()
SPECIAL_IDS = {FRONTEND.symbols.id(s) for s in (PAD, BOS, EOS)}


def speak(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FRONTEND(text)


@pytest.mark.parametrize("unit", [".", "!", "?", ".!?", "[[ "])
def test_long_runs_take_linear_time(unit):
    # Quadratic before: 10,000 dots took 10 s and 100,000 characters of "[[ " 108 s. A 100x margin
    # over today's time keeps this a hang guard, not a speed test.
    text = "Hello " + unit * (60_000 // len(unit))
    start = time.perf_counter()
    speak(text)
    assert time.perf_counter() - start < 10.0


def test_runs_of_marks_split_as_before():
    assert split_sentences("Wait... What?! Yes.") == ["Wait...", "What?!", "Yes."]
    assert split_sentences("A." + "." * 50 + " B.") == ["A." + "." * 50, "B."]


def test_inline_split_matches_the_first_closing_brackets():
    assert split_inline("a [[x y]] b [[z]]") == ["a ", "x y", " b ", "z", ""]
    assert split_inline("[[[a]] [[ unclosed") == ["", "[a", " [[ unclosed"]
    assert split_inline("no inline") == ["no inline"]


def test_punctuation_only_sentences_do_not_lose_lines():
    # phonemizer returned fewer lines than sentences for runs of dots (401 suffice): a KeyError once.
    segments = speak("Hello there.\n\n" + "." * 401 + "\n\nGood morning.\n\n" + "!" * 399 + "\n\nBye.")
    assert [s.text for s in segments] == ["Hello there.", "Good morning.", "Bye."]


def test_lone_surrogates_are_dropped_like_other_unspeakable_characters():
    with pytest.warns(UserWarning, match="dropped"):
        segments = FRONTEND("Hi \ud800 there [[h\udc00ə]] now.")
    assert segments and "\ud800" not in segments[0].text
    assert FRONTEND.tokenizer.phonemes(segments[0].ids).count("ə") >= 1


@pytest.mark.parametrize("inline", ["[[$$$]]", "[[^]]", "[[_]]", "[[h^ə$l_oʊ]]"])
def test_inline_phonemes_never_inject_special_ids(inline):
    for segment in speak(f"Say {inline} now."):
        assert segment.ids[0] == FRONTEND.symbols.id(BOS) and segment.ids[-1] == FRONTEND.symbols.id(EOS)
        assert not SPECIAL_IDS & set(segment.ids[1:-1])


def test_unknown_inline_symbols_warn_every_time():
    frontend = TextFrontend()
    for _ in range(2):
        with pytest.warns(UnknownSymbolWarning, match="ж"):
            frontend("Say [[ж]] now.")


@pytest.mark.parametrize("text", ["." * 1000, "!?" * 300, "[[ж]]", "[[]]", "\ud800\udfff", "😀" * 50])
def test_nothing_to_speak_is_the_documented_error(text):
    with pytest.raises(ValueError, match="nothing to speak|empty"):
        speak(text)
