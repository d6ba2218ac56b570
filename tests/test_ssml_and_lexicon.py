"""SSML, a user lexicon and pauses: golden results for each element, through the public API."""

import numpy as np
import pytest

import tts
from text import TextFrontend
from text.ssml import Pause, SpokenPart, UnsupportedSsmlWarning, parse_ssml


@pytest.mark.parametrize(
    "markup, expected",
    [
        ('<speak>Hi <break time="300ms"/> there</speak>', [SpokenPart("Hi"), Pause(0.3), SpokenPart("there")]),
        ('<speak>A<break strength="strong"/>B</speak>', [SpokenPart("A"), Pause(0.55), SpokenPart("B")]),
        ('<speak><say-as interpret-as="characters">ABC</say-as></speak>', [SpokenPart("A B C")]),
        ('<speak><say-as interpret-as="cardinal">1,234</say-as></speak>', [SpokenPart("one thousand two hundred thirty-four")]),
        ('<speak><say-as interpret-as="ordinal">21</say-as></speak>', [SpokenPart("twenty-first")]),
        ('<speak><say-as interpret-as="digits">1234</say-as></speak>', [SpokenPart("one two three four")]),
        ('<speak><say-as interpret-as="telephone">555-0199</say-as></speak>', [SpokenPart("five five five, zero one nine nine")]),
        ('<speak><say-as interpret-as="date" format="mdy">03/05/2024</say-as></speak>', [SpokenPart("March fifth twenty twenty-four")]),
        ('<speak><say-as interpret-as="date" format="dmy">05/03/2024</say-as></speak>', [SpokenPart("March fifth twenty twenty-four")]),
        ('<speak><phoneme alphabet="ipa" ph="təmˈɑːtoʊ">tomato</phoneme></speak>', [SpokenPart("[[təmˈɑːtoʊ]]")]),
        ('<speak><sub alias="World Wide Web">WWW</sub></speak>', [SpokenPart("World Wide Web")]),
        ('<speak>a <prosody rate="slow">b</prosody> <prosody rate="150%">c</prosody></speak>', [SpokenPart("a"), SpokenPart("b", 0.8), SpokenPart("c", 1.5)]),
        ("<speak>Tom &amp; Jerry</speak>", [SpokenPart("Tom & Jerry")]),
    ],
)
def test_each_element_parses_to_its_golden_parts(markup, expected):
    assert parse_ssml(markup) == expected


def test_unknown_elements_are_dropped_with_one_warning_and_their_text_kept():
    with pytest.warns(UnsupportedSsmlWarning, match="<audio>, <voice>") as caught:
        parts = parse_ssml("<speak><audio>very</audio> <voice name='x'>good</voice> <audio>!</audio></speak>")
    assert len(caught) == 1 and parts == [SpokenPart("very good!")]


@pytest.mark.parametrize(
    "markup, message",
    [("<speak>unclosed", "malformed SSML"), ("<voice>x</voice>", "<speak> at its root"), ('<speak><break time="soon"/></speak>', "break time"),
     ('<speak><prosody rate="warp">x</prosody></speak>', "prosody rate"), ('<speak><emphasis level="huge">x</emphasis></speak>', "emphasis level")],
)
def test_malformed_ssml_is_a_value_error(markup, message, tiny_voice):
    with pytest.raises(ValueError, match=message):
        parse_ssml(markup)
    if markup.startswith("<speak"):  # the API reads it as SSML too, and refuses it the same way
        with pytest.raises(ValueError, match=message):
            tiny_voice.synthesize(markup)


def test_ssml_is_spoken_with_its_breaks_and_rates(tiny_voice):
    plain = tiny_voice.synthesize("Hello. World.")
    audio = tiny_voice.synthesize('<speak>Hello. <break time="700ms"/> World.</speak>')
    assert [w.text for w in audio.words] == ["Hello", "World"]
    gap = audio.words[1].start - audio.words[0].end
    assert gap > 0.7 and abs(audio.duration - (plain.duration + 0.7)) < 0.05
    silence = audio.samples[int((audio.words[0].end + 0.15) * 24000) : int((audio.words[1].start - 0.15) * 24000)]
    assert silence.size and np.abs(silence).max() == 0
    slow = tiny_voice.synthesize('<speak><prosody rate="x-slow">Hello there, my friend.</prosody></speak>')
    assert slow.duration > 1.4 * tiny_voice.synthesize("Hello there, my friend.").duration
    streamed = np.concatenate([c.samples for c in tiny_voice.stream('<speak>Hello. <break time="700ms"/> World.</speak>')])
    assert len(streamed) == len(audio.samples) and np.abs(streamed - audio.samples).max() < 1e-4
    same = tiny_voice.synthesize('<speak><sub alias="World Wide Web">WWW</sub></speak>')
    assert np.array_equal(same.samples, tiny_voice.synthesize("World Wide Web").samples)


def test_ellipses_and_dashes_pause(tiny_voice):
    assert tiny_voice.synthesize("Well... I see.").duration > tiny_voice.synthesize("Well. I see.").duration + 0.3
    dash = TextFrontend()("It was good \u2014 maybe great.")[0]
    assert "," in dash.phonemes  # read as a comma's pause


def test_a_lexicon_overrides_espeak(tiny_voice_dir, tmp_path):
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text("# name\tpronunciation\nNguyen\tŋwˈɪn\n")
    voice = tts.load(tiny_voice_dir, lexicon=lexicon)
    segment = voice.frontend("Mr. Nguyen is here, nguyen too.")[0]
    assert segment.phonemes.count("ŋwˈɪn") == 2
    by_dict = tts.load(tiny_voice_dir, lexicon={"nguyen": "ŋwˈɪn"}).frontend("Mr. Nguyen is here, nguyen too.")[0]
    assert by_dict.ids == segment.ids
    assert np.array_equal(voice.synthesize("Nguyen").samples, voice.synthesize("[[ŋwˈɪn]]").samples)
    lexicon.write_text("no tab here\n")
    with pytest.raises(ValueError, match=r"lexicon\.tsv:1: expected word<TAB>phonemes"):
        tts.load(tiny_voice_dir, lexicon=lexicon)


def test_the_server_refuses_malformed_ssml_with_a_400(tiny_voice):
    import asyncio
    import json

    import aiohttp
    from aiohttp import web

    from tts.server import SpeechServer

    async def scenario():
        runner = web.AppRunner(SpeechServer({"tiny": tiny_voice}, "tiny").app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1/audio/speech"
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(url, json={"input": "<speak>Hello <break time='x'/></speak>"}) as bad:
                    refused = (bad.status, json.loads(await bad.read())["error"]["message"])
                async with session.post(url, json={"input": "<speak>Hello <break time='200ms'/> there.</speak>", "response_format": "pcm"}) as good:
                    spoken = (good.status, len(await good.read()))
                return refused, spoken
        finally:
            await runner.cleanup()

    (status, message), (ok, size) = asyncio.run(scenario())
    assert status == 400 and "break time" in message
    assert ok == 200 and size > 0.2 * 24000 * 2
