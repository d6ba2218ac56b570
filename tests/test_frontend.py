import time
import warnings

import pytest

from text import TextFrontend, UnspeakableTextWarning


@pytest.fixture(scope="module")
def frontend():
    return TextFrontend()


def test_sentences_become_normalized_phoneme_ids(frontend):
    segments = frontend("Dr. Smith paid $5. Then he left!")
    assert [s.normalized for s in segments] == ["Doctor Smith paid five dollars.", "Then he left!"]
    assert segments[0].phonemes.startswith("dˈɑːktɚ smˈɪθ")
    assert all(frontend.tokenizer.phonemes(s.ids) == s.phonemes for s in segments)


def test_a_sentence_gets_the_same_ids_alone_and_in_a_paragraph(frontend):
    """No context leaks across sentences."""
    alone = frontend("The weather is nice today.")[0].ids
    inside = frontend("Hello. The weather is nice today. Goodbye.")[1].ids
    assert alone == inside


def test_training_and_inference_phonemize_alike(frontend):
    """The training path (the feature cache's `text_ids`) and inference (`frontend(text)`) give the same
    phonemes, sentence boundaries included; one sentence gets exactly the same ids."""
    from tts.data.features import text_ids

    sentence = "The weather is nice today."
    assert text_ids(frontend, sentence) == frontend(sentence)[0].ids
    transcript = "Dr. Smith paid $12.99 on March 3rd. Is it raining? Yes, a little!"
    segments = frontend(transcript)
    assert len(segments) == 3  # the abbreviation did not end a sentence; the question and exclamation did
    ids = text_ids(frontend, transcript)
    bos, eos = frontend.symbols.id("^"), frontend.symbols.id("$")
    assert ids[0] == bos and ids[-1] == eos and ids.count(bos) == ids.count(eos) == 1
    inner = [segment.ids[1:-1] for segment in segments]
    space = frontend.symbols.id(" ")
    assert ids[1:-1] == inner[0] + [space] + inner[1] + [space] + inner[2]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_raises_value_error(frontend, text):
    with pytest.raises(ValueError, match="empty"):
        frontend(text)


@pytest.mark.parametrize("text", ["...", "\x00\x01", "?!"])
def test_text_with_nothing_to_speak_raises_value_error(frontend, text):
    with pytest.raises(ValueError, match="nothing to speak"):
        frontend(text)


def test_non_string_raises_type_error(frontend):
    with pytest.raises(TypeError):
        frontend(None)


def test_control_characters_are_stripped(frontend):
    assert frontend("Hel\x00lo\x07 there.")[0].normalized == "Hello there."


def test_emoji_and_non_latin_are_dropped_with_one_warning(frontend):
    with pytest.warns(UnspeakableTextWarning) as caught:
        segments = frontend("I love pizza 🍕 very much, привет 你好.")
    assert len(caught) == 1
    assert "🍕" in str(caught[0].message) and "п" in str(caught[0].message)
    assert segments[0].normalized == "I love pizza very much."


def test_emoji_only_text_raises_value_error_after_warning(frontend):
    with pytest.warns(UnspeakableTextWarning), pytest.raises(ValueError, match="nothing to speak"):
        frontend("🍕🍕")


def test_inline_phonemes_pass_through_untouched(frontend):
    segment = frontend("Say [[h ə l ˈoʊ]] to 3 friends.")[0]
    assert "həlˈoʊ" in segment.phonemes
    assert segment.normalized == "Say [[həlˈoʊ]] to three friends."


def test_clause_mode_splits_for_streaming(frontend):
    segments = frontend("When the sun rises over the hills, the birds begin to sing.", clauses=True)
    assert [s.normalized for s in segments] == ["When the sun rises over the hills,", "the birds begin to sing."]


def test_config_records_espeak_version_and_symbols(frontend):
    config = frontend.config()
    assert config["espeak_version"].startswith("1.52")
    assert config["symbols"] == list(frontend.symbols.symbols)


def test_long_input_is_split_into_bounded_pieces():
    frontend = TextFrontend(max_chars=200)
    text = ("The quick brown fox, who was very quick, jumps over the lazy dog " * 400).strip()  # no full stop
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        segments = frontend(text)
    assert time.perf_counter() - start < 20
    assert all(len(s.text) <= 200 for s in segments)
    assert sum(len(s.text) + 1 for s in segments) == len(text) + 1
