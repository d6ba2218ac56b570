"""Word timestamps: each source word placed by the predicted durations, in order, inside the audio,
the same whole and streamed, and sent over the WebSocket before the audio they cover."""

import asyncio
import json

import numpy as np

from text.normalizer import normalize
from tts.synthesis.word_timing import phoneme_word_spans, source_tokens, word_timings

TEXT = "Hello there, how are you today? It costs $4.50 on March 3rd."


def test_words_follow_the_durations_exactly(tiny_voice):
    segment = tiny_voice.frontend("Hello there, how are you today?")[0]
    durations = tiny_voice.acoustic.prepare([segment.ids], speed=1.0, temperature=0.0).durations[0]
    spans = phoneme_word_spans(segment.phonemes, tiny_voice.frontend.symbols, durations)
    assert len(spans) == 6  # espeak's words: one per source word here
    frame = tiny_voice.vocoder.hop_length / tiny_voice.sample_rate
    words = tiny_voice.synthesize("Hello there, how are you today?", temperature=0.0).words
    assert [w.text for w in words] == ["Hello", "there", "how", "are", "you", "today"]
    for word, (start, end) in zip(words, spans):
        assert np.isclose(word.start, start * frame) and np.isclose(word.end, end * frame)
    # The first word starts after the start symbol's frames; "there," ends before its comma's pause.
    assert words[0].start == durations[0] * frame


def test_a_number_read_as_several_words_is_one_span(tiny_voice):
    audio = tiny_voice.synthesize(TEXT)
    words = audio.words
    assert [w.text for w in words] == ["Hello", "there", "how", "are", "you", "today", "It", "costs", "$4.50", "on", "March", "3rd"]
    assert {word: count for _, word, count in source_tokens("It costs $4.50.", normalize)}["$4.50"] == len(normalize("$4.50").split()) > 1
    starts, ends = [w.start for w in words], [w.end for w in words]
    assert all(a <= b for a, b in zip(starts, ends)) and all(a <= b for a, b in zip(ends, starts[1:]))
    assert 0 < starts[0] and ends[-1] <= audio.duration
    price = words[8]
    assert price.end - price.start > 2 * (words[9].end - words[9].start)  # four spoken words


def test_streamed_chunks_carry_the_words_that_start_in_them(tiny_voice):
    whole = tiny_voice.synthesize(TEXT).words
    elapsed, streamed = 0.0, []
    for chunk in tiny_voice.stream(TEXT, chunk_frames=8):
        end = elapsed + len(chunk.samples) / chunk.sample_rate
        for word in chunk.words:
            assert elapsed - 1e-9 <= word.start < end + 1e-9
        streamed += chunk.words
        elapsed = end
    assert [(w.text, round(w.start, 6), round(w.end, 6)) for w in streamed] == [(w.text, round(w.start, 6), round(w.end, 6)) for w in whole]
    pieces = [w for chunk in tiny_voice.stream(iter(["Hello there, ", "how are you ", "today?"])) for w in chunk.words]
    assert [w.text for w in pieces] == ["Hello", "there", "how", "are", "you", "today"]
    assert all(a.end <= b.start + 1e-9 for a, b in zip(pieces, pieces[1:]))


def test_proportional_sharing_keeps_order_when_counts_differ():
    symbols = {c for c in "abc ,"}
    # Three espeak words for two source tokens (one of which normalizes to one word): shared in order.
    timings = word_timings("ab cd", "ab ca bb", symbols, np.array([1, 2, 2, 1, 3, 3, 1, 2, 2, 1]), 0.01, lambda t: t)
    assert [t.text for t in timings] == ["ab", "cd"]
    assert timings[0].start < timings[0].end <= timings[1].start < timings[1].end


def test_the_websocket_sends_words_before_their_audio(tiny_voice):
    import aiohttp
    from aiohttp import web

    from tts.server import SpeechServer

    async def scenario():
        runner = web.AppRunner(SpeechServer({"tiny": tiny_voice}, "tiny", chunk_frames=8).app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"http://127.0.0.1:{runner.addresses[0][1]}/v1/audio/stream") as ws:
                    await ws.receive_json()
                    await ws.send_json({"type": "text", "text": "Hello there, how are you today?"})
                    await ws.send_json({"type": "close"})
                    events, audio = [], 0
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.BINARY:
                            audio += len(message.data) // 2
                            events.append(("audio", audio / 24000))
                        else:
                            data = json.loads(message.data)
                            if data["type"] == "words":
                                events.append(("words", data["words"], audio / 24000))
                    return events, audio / 24000
        finally:
            await runner.cleanup()

    events, seconds = asyncio.run(scenario())
    words = [w for event in events if event[0] == "words" for w in event[1]]
    assert [w["text"] for w in words] == ["Hello", "there", "how", "are", "you", "today"]
    for event in events:
        if event[0] == "words":  # announced before the audio they start in has been sent
            assert all(w["start"] >= event[2] - 1e-3 for w in event[1])
    assert words[-1]["end"] <= seconds + 1e-3
