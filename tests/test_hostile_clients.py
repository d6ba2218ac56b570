"""What a hostile or careless client sends cannot stall the servers or take their memory.

Each test is one reproduction from an adversarial probe of `tts serve`, `tts wyoming` and `tts synth`,
bounded in time or memory: floods of whitespace, audio made of pauses, giant lexicon entries and
inline phonemes, deep SSML, binary WebSocket frames, malformed Wyoming events, and careless CLI use.
"""

import asyncio
import json
import os
import time
import tracemalloc

import aiohttp
import numpy as np
import pytest
from servers import serve_http as _serve
from servers import with_wyoming as _with_wyoming

from tts.cli import main as cli

FLOOD = [" " * 4000] * 2000
MANY_BREAKS = "<speak>Hi." + '<break time="10s"/>' * 200 + "</speak>"
DEEP_SSML = "<speak>" + "<s>" * 2000 + "Hi." + "</s>" * 2000 + "</speak>"
DEEP_SHORT_SSML = "<speak>" + "<s>" * 500 + "Hi." + "</s>" * 500 + "</speak>"
"""Deep SSML within the servers' 4,096-character limit."""


async def _health_times(session, url, stop: asyncio.Event) -> list[float]:
    """Seconds each /health took, polled every 50 ms until `stop` (a stalled loop shows here)."""
    times = []
    while not stop.is_set():
        start = time.perf_counter()
        async with session.get(f"{url}/health", timeout=aiohttp.ClientTimeout(total=5)) as response:
            assert response.status == 200
        times.append(time.perf_counter() - start)
        await asyncio.sleep(0.05)
    return times


# ---- 1. the whitespace flood ---------------------------------------------------------------------


def test_the_clause_splitter_costs_the_new_text_not_the_buffer():
    from text.incremental import IncrementalClauseSplitter

    splitter = IncrementalClauseSplitter()
    start = time.perf_counter()
    assert splitter.push("Hello") == []
    for piece in FLOOD:
        assert splitter.push(piece) == []
        assert len(splitter.pending) <= 6  # "Hello" and one space: the run was collapsed as it came
    assert time.perf_counter() - start < 2.0
    assert splitter.flush() == ["Hello"]
    # Text without any boundary is held back at most one sentence piece (max_chars) at a time.
    for _ in range(200):
        splitter.push("a" * 4000)
        assert len(splitter.pending) <= splitter.max_chars


def test_collapsing_whitespace_keeps_every_boundary():
    from text.incremental import IncrementalClauseSplitter
    from text.splitter import split_clauses, split_sentences

    text = "First part here.  \n\n  Second one, with a clause;   and more.\nThird line Dr. Smith said.   Done now."
    splitter = IncrementalClauseSplitter()
    clauses = [clause for character in text for clause in splitter.push(character)] + splitter.flush()
    assert clauses == [c for s in split_sentences(text) for c in split_clauses(s)]


def test_a_websocket_whitespace_flood_does_not_stall_the_server(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                stop = asyncio.Event()
                health = asyncio.create_task(_health_times(session, url, stop))
                async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                    await ws.receive_json()
                    start = time.perf_counter()
                    await ws.send_json({"type": "text", "text": "Hello"})
                    for piece in FLOOD:
                        await ws.send_json({"type": "text", "text": piece})
                    await ws.send_json({"type": "flush"})
                    events = []
                    while not events or events[-1].get("type") != "flushed":
                        message = await ws.receive(timeout=10)
                        if message.type == aiohttp.WSMsgType.TEXT:
                            events.append(json.loads(message.data))
                    elapsed = time.perf_counter() - start
                stop.set()
                return elapsed, events, await health
        finally:
            await runner.cleanup()

    elapsed, events, health = asyncio.run(scenario())
    assert elapsed < 2.0
    assert [e["text"] for e in events if e["type"] == "clause"] == ["Hello"]
    # The flood may be read within two polls on a fast machine: what counts is that no poll stalled.
    assert health and max(health) < 1.0


def test_a_wyoming_whitespace_flood_is_answered_in_time(tiny_voice):
    from wyoming.audio import AudioStop
    from wyoming.tts import (
        SynthesizeChunk,
        SynthesizeStart,
        SynthesizeStop,
        SynthesizeStopped,
    )

    async def talk(client):
        start = time.perf_counter()
        await client.write_event(SynthesizeStart().event())
        await client.write_event(SynthesizeChunk(text="Hello").event())
        for piece in FLOOD:
            await client.write_event(SynthesizeChunk(text=piece).event())
        await client.write_event(SynthesizeStop().event())
        types = []
        while not types or types[-1] != "synthesize-stopped":
            types.append((await asyncio.wait_for(client.read_event(), 10)).type)
        return time.perf_counter() - start, types

    elapsed, types = asyncio.run(_with_wyoming(tiny_voice, talk))
    assert elapsed < 3.0
    assert types[-2:] == [AudioStop().event().type, SynthesizeStopped().event().type]


# ---- 2. audio made of pauses ---------------------------------------------------------------------


@pytest.mark.parametrize("response_format", ["mp3", "flac"])
def test_audio_made_of_breaks_is_refused_before_any_work(tiny_voice, response_format):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                stop = asyncio.Event()
                health = asyncio.create_task(_health_times(session, url, stop))
                start = time.perf_counter()
                body = {"input": MANY_BREAKS, "response_format": response_format, "sample_rate": 48000}
                async with session.post(f"{url}/v1/audio/speech", json=body) as response:
                    status, answer = response.status, await response.json()
                elapsed = time.perf_counter() - start
                stop.set()
                return status, answer, elapsed, await health
        finally:
            await runner.cleanup()

    status, answer, elapsed, health = asyncio.run(scenario())
    assert status == 413 and "the limit is 600 s" in answer["error"]["message"]
    assert elapsed < 1.0 and max(health) < 1.0


def test_the_audio_limit_counts_what_is_spoken_too(tiny_voice):
    """Digits read one by one pass a low estimate; the audio counted while speaking stops them."""

    async def scenario():
        runner, url = await _serve(tiny_voice, max_audio_s=15.0)
        try:
            async with aiohttp.ClientSession() as session:
                body = {"input": "<speak><say-as interpret-as='digits'>" + "7" * 60 + "</say-as></speak>", "response_format": "flac"}
                async with session.post(f"{url}/v1/audio/speech", json=body) as response:
                    whole = response.status, await response.json()
                async with session.post(f"{url}/v1/audio/speech", json={**body, "response_format": "pcm"}) as response:
                    streamed = response.status, len(await response.read())
            return whole, streamed
        finally:
            await runner.cleanup()

    (status, answer), (stream_status, stream_bytes) = asyncio.run(scenario())
    assert status == 413 and "more than 15 s of audio" in answer["error"]["message"]
    assert stream_status == 200 and 12 * 24000 * 2 < stream_bytes <= 15.0 * 24000 * 2  # cut at the limit


def test_mp3_and_flac_are_encoded_in_memory_that_does_not_grow_with_the_samples():
    from tts.audio.encoding import encoder

    second = (0.3 * np.sin(np.arange(48000, dtype=np.float32) / 9)).astype(np.float32)
    for response_format in ("mp3", "flac"):
        audio = encoder(response_format, 48000)
        tracemalloc.start()
        sent = sum(len(audio.encode(second)) for _ in range(200))  # 200 s at 48 kHz: 38 MB of float samples
        data = audio.finish()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        encoded = sent + len(data)
        assert encoded > 10_000 and peak < 3 * encoded + 5_000_000, (response_format, peak, encoded)
        if response_format == "mp3":  # streamed: the bytes left for the end are a frame or two
            assert sent > 0.95 * encoded


# ---- 3, 5, 7. lexicon entries and inline phonemes have bounds ---------------------------------------


def test_a_giant_lexicon_entry_is_a_one_line_error_that_names_the_line(tiny_voice_dir, tmp_path, capsys):
    lexicon = tmp_path / "lex.tsv"
    lexicon.write_text("# names\nnguyen\tŋ w ˈi ə n\nzork\t" + "hə" * 10000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    assert cli(["synth", "The zork.", "--voice", str(tiny_voice_dir), "--lexicon", str(lexicon), "-o", str(tmp_path / "x.wav")]) == 2
    assert time.perf_counter() - start < 5.0
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and f"{lexicon}:3:" in error and "20000 phoneme symbols" in error
    assert "config.json" not in error  # the lexicon's fault, not the voice's


@pytest.mark.parametrize(
    "lexicon, message",
    [
        ({"zork": "h ə " * 60}, "lexicon entry 'zork': 120 phoneme symbols"),
        ({"z" * 101: "h ə"}, "the word is 101 characters"),
        ({f"w{i}": "h ə" for i in range(10_001)}, "the lexicon has 10001 entries; at most 10000"),
    ],
)
def test_lexicon_limits_are_checked_when_it_loads(tiny_voice_dir, lexicon, message):
    import tts

    with pytest.raises(ValueError, match=message):
        tts.load(tiny_voice_dir, device="cpu", lexicon=lexicon)


def test_long_inline_phonemes_are_refused_and_short_ones_are_never_cut(tiny_voice):
    with pytest.raises(ValueError, match="240 phoneme symbols; at most 100"):
        tiny_voice.utterance("[[" + "h ə " * 120 + "]]")
    with pytest.raises(ValueError, match="phoneme symbols; at most 100"):
        tiny_voice.utterance('<speak><phoneme ph="' + "h ə " * 120 + '">x</phoneme></speak>')
    # A block that straddles the sentence splitter's 400-character cut stays whole.
    block = "[[" + "h ə " * 45 + "]]"
    utterance = tiny_voice.utterance("word " * 70 + block + " and the end.")
    texts = [part.segment.text for part in utterance.parts]
    assert len(texts) == 2 and "".join(block.split()) in "".join(" ".join(texts).split())
    assert all(text.count("[[") == text.count("]]") for text in texts)


# ---- 4 and the XML prolog: SSML that is deep, or a document ---------------------------------------


def test_deep_ssml_is_a_one_line_error(tiny_voice_dir, tmp_path, capsys):
    assert cli(["synth", DEEP_SSML, "--voice", str(tiny_voice_dir), "-o", str(tmp_path / "x.wav")]) == 2
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "nested more than 64 elements deep" in error


def test_an_xml_prolog_is_ssml_and_a_doctype_is_refused(tiny_voice):
    plain = tiny_voice.synthesize("<speak>Hello <break time='200ms'/> there.</speak>").samples
    prolog = tiny_voice.synthesize("<?xml version='1.0' encoding='UTF-8'?>\n<speak>Hello <break time='200ms'/> there.</speak>").samples
    assert np.array_equal(plain, prolog)
    with pytest.raises(ValueError, match="document type"):
        tiny_voice.utterance('<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY x "secret">]><speak>&x;</speak>')
    with pytest.raises(ValueError, match="document type"):
        tiny_voice.utterance('<!DOCTYPE speak SYSTEM "file:///etc/passwd"><speak>Hi.</speak>')


# ---- 6. binary WebSocket frames --------------------------------------------------------------------


def test_a_binary_websocket_frame_gets_an_error_and_the_socket_keeps_working(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                    await ws.receive_json()
                    await ws.send_bytes(json.dumps({"type": "text", "text": "Hi there."}).encode())
                    error = await ws.receive_json(timeout=5)
                    await ws.send_json({"type": "text", "text": "Hi there."})
                    await ws.send_json({"type": "flush"})
                    kinds = []
                    while "flushed" not in kinds:
                        message = await ws.receive(timeout=10)
                        kinds.append("audio" if message.type == aiohttp.WSMsgType.BINARY else json.loads(message.data)["type"])
                    return error, kinds
        finally:
            await runner.cleanup()

    error, kinds = asyncio.run(scenario())
    assert error["type"] == "error" and "binary frames are not read" in error["message"]
    assert "audio" in kinds


# ---- 8. Wyoming answers bad requests with its error event ---------------------------------------------


def test_wyoming_answers_bad_requests_with_an_error_event_and_stays_open(tiny_voice):
    from wyoming.event import Event
    from wyoming.info import Describe

    bad = [
        Event("synthesize", {"text": 12345}),
        Event("synthesize", {}),
        Event("synthesize", {"text": "Hi.", "voice": {"name": 7}}),
        Event("synthesize", {"text": DEEP_SHORT_SSML}),
        Event("synthesize", {"text": MANY_BREAKS}),
        Event("synthesize", {"text": "x" * 5000}),
        Event("synthesize-chunk", {"text": None}),  # within a stream, after synthesize-start
    ]

    async def talk(client):
        answers = []
        for event in bad:
            if event.type == "synthesize-chunk":
                await client.write_event(Event("synthesize-start", {}))  # starts a stream: no answer
            await client.write_event(event)
            answers.append(await asyncio.wait_for(client.read_event(), 10))
        await client.write_event(Describe().event())
        answers.append(await asyncio.wait_for(client.read_event(), 10))
        return answers

    answers = asyncio.run(_with_wyoming(tiny_voice, talk))
    assert [a.type for a in answers] == ["error"] * len(bad) + ["info"]
    messages = [a.data["text"] for a in answers[:-1]]
    assert "'text' must be a string, got 12345" in messages[0] and "got None" in messages[1]
    assert "nested more than 64" in messages[3] and "the limit is 600 s" in messages[4] and "the limit is 4096" in messages[5]


# ---- 9, 10. the batch CLI ------------------------------------------------------------------------------


def test_batch_skip_messages_go_to_stderr(tiny_voice_dir, tmp_path, capfd):
    lines = tmp_path / "lines.txt"
    lines.write_text("".join(f"{i}|...\n" for i in range(50)) + "ok|Hello there.\n")
    assert cli(["synth", "--voice", str(tiny_voice_dir), "--file", str(lines), "--out-dir", str(tmp_path / "out"), "--quiet"]) == 1
    out, err = capfd.readouterr()
    assert out == "" and err.count("skipped") == 50


def test_an_unwritable_out_dir_fails_before_the_voice_loads(tmp_path, monkeypatch, capsys):
    import tts

    monkeypatch.setattr(tts, "load", lambda *a, **k: pytest.fail("loaded the voice before checking --out-dir"))
    lines = tmp_path / "lines.txt"
    lines.write_text("Hello there.\n")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert cli(["synth", "--file", str(lines), "--out-dir", str(blocker / "out")]) == 2
    assert "not a writable folder" in capsys.readouterr().err
    # Permission bits too (root ignores them, so the check is simulated for this folder alone).
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **k: False if str(path) == str(readonly) else real_access(path, mode, **k))
    assert cli(["synth", "--file", str(lines), "--out-dir", str(readonly)]) == 2
    assert "not a writable folder" in capsys.readouterr().err


# ---- the soak: many bad requests, and the server is as it was ---------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


BAD_BODIES = [
    b"{", b"[]", b'{"input": 5}', b'{"input": ""}', json.dumps({"input": MANY_BREAKS, "response_format": "mp3"}).encode(),
    json.dumps({"input": DEEP_SHORT_SSML}).encode(), json.dumps({"input": "Hi.", "speed": "NaN"}).encode(),
    json.dumps({"input": "[[" + "h ə " * 120 + "]]"}).encode(), json.dumps({"input": "x" * 5000}).encode(),
    json.dumps({"input": "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b 'c'>]><speak>&b;</speak>"}).encode(),
]
BAD_MESSAGES = ["not json", json.dumps({"type": "nope"}), json.dumps({"type": "text", "text": 5}), json.dumps({"type": "config", "speed": -1}), b"\x00binary"]


def test_a_soak_of_bad_requests_leaves_the_server_as_it_was(tiny_voice):
    from wyoming.event import Event

    async def soak(session, url, client, rounds):
        for i in range(rounds):
            body = BAD_BODIES[i % len(BAD_BODIES)]
            async with session.post(f"{url}/v1/audio/speech", data=body, headers={"Content-Type": "application/json"}) as response:
                assert 400 <= response.status < 500
                await response.read()
        async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
            await ws.receive_json()
            for i in range(rounds):
                message = BAD_MESSAGES[i % len(BAD_MESSAGES)]
                await (ws.send_bytes(message) if isinstance(message, bytes) else ws.send_str(message))
                assert (await ws.receive_json(timeout=5))["type"] == "error"
        for i in range(rounds):
            await client.write_event(Event("synthesize", {"text": [12345, None, DEEP_SHORT_SSML][i % 3]}))
            assert (await asyncio.wait_for(client.read_event(), 10)).type == "error"

    async def talk(client):
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                await soak(session, url, client, 60)  # warm-up: first allocations, caches, pools
                before = _rss_mb()
                await soak(session, url, client, 340)  # 1,020 bad requests and messages
                after = _rss_mb()
                cpu = time.process_time()
                await asyncio.sleep(0.5)
                idle_cpu = time.process_time() - cpu
                async with session.get(f"{url}/health") as response:
                    healthy = response.status == 200
                return before, after, idle_cpu, healthy
        finally:
            await runner.cleanup()

    before, after, idle_cpu, healthy = asyncio.run(_with_wyoming(tiny_voice, talk))
    assert healthy and after < 1.2 * before, (before, after)
    assert idle_cpu < 0.1  # nothing left running once the clients stopped
