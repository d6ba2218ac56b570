import pytest

from text.splitter import split_clauses, split_sentences


def test_splits_sentences_on_terminal_punctuation():
    assert split_sentences("Hello there. How are you? Fine!") == ["Hello there.", "How are you?", "Fine!"]


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith arrived late.",
        "It costs 3.5 dollars today.",
        "Mr. and Mrs. Jones left.",
        "J. K. Rowling wrote it.",
        "Cats vs. Dogs is a film.",
        "The U.S. Army marched.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text):
    assert split_sentences(text) == [text]


def test_closing_quotes_stay_with_their_sentence():
    assert split_sentences('He said "stop." Then he left.') == ['He said "stop."', "Then he left."]


def test_blank_lines_end_a_sentence():
    assert split_sentences("A title\n\nThe body text.") == ["A title", "The body text."]


def test_long_sentences_are_cut_at_clause_marks_or_spaces():
    text = ", ".join(["some words here"] * 100) + "."
    pieces = split_sentences(text, max_chars=100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces) == text
    assert all(p.endswith(",") for p in pieces[:-1])


def test_a_giant_word_is_cut_hard():
    pieces = split_sentences("x" * 1000, max_chars=100)
    assert [len(p) for p in pieces] == [100] * 10


def test_clauses_split_at_commas_and_merge_short_pieces():
    assert split_clauses("Well, I think so, but on the other hand; maybe not.") == [
        "Well, I think so,",
        "but on the other hand; maybe not.",  # "maybe not." is short: merged backwards
    ]
    assert split_clauses("Well, I think so, but on the other hand; maybe not.", min_chars=5)[-1] == "maybe not."
    assert split_clauses("Yes, no.") == ["Yes, no."]
    assert split_clauses("It costs 1,000 dollars.") == ["It costs 1,000 dollars."]
