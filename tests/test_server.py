"""The speech server, spoken to by a real HTTP client and a real WebSocket client on loopback."""

import asyncio
import json

import aiohttp
import numpy as np
import pytest
from aiohttp import web
from servers import serve_http as _serve

from tts.server import SpeechServer

LONG = "The first sentence is here. A second one follows it, with a clause. Then a third sentence ends it."


def run(coroutine):
    return asyncio.run(coroutine)


def _offline_pcm(voice, text):
    return np.clip(voice.synthesize(text).samples, -1, 1)


def test_speech_streams_in_chunks_and_matches_offline(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(f"{url}/v1/audio/speech", json={"model": "tts-1", "input": LONG, "voice": "tiny", "response_format": "pcm"}) as response:
                    assert response.status == 200 and response.headers["Content-Type"] == "audio/pcm"
                    pieces = [chunk async for chunk, _ in response.content.iter_chunks()]
                async with session.post(f"{url}/v1/audio/speech", json={"input": "Hello there.", "response_format": "wav"}) as response:
                    wav = await response.read()
                async with session.post(f"{url}/v1/audio/speech", json={"input": "Hello there.", "response_format": "flac"}) as response:
                    flac = await response.read()
            return pieces, wav, flac
        finally:
            await runner.cleanup()

    pieces, wav, flac = run(scenario())
    assert len(pieces) >= 2  # audio arrived while later chunks were still being made
    pcm = np.frombuffer(b"".join(pieces), dtype="<i2") / 32767
    expected = _offline_pcm(tiny_voice, LONG)
    assert len(pcm) == len(expected) and np.abs(pcm - expected).max() < 2e-4
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE" and len(wav) > 44
    assert flac[:4] == b"fLaC"


def test_concurrent_requests_do_not_mix(tiny_voice):
    texts = ["One voice says this.", "Another request says something longer, in two clauses.", "A third, short."]

    async def scenario():
        runner, url = await _serve(tiny_voice, max_concurrent=2)
        try:
            async with aiohttp.ClientSession() as session:

                async def fetch(text):
                    async with session.post(f"{url}/v1/audio/speech", json={"input": text, "response_format": "pcm"}) as response:
                        return await response.read()

                return await asyncio.gather(*(fetch(t) for t in texts))
        finally:
            await runner.cleanup()

    for text, body in zip(texts, run(scenario())):
        pcm = np.frombuffer(body, dtype="<i2") / 32767
        expected = _offline_pcm(tiny_voice, text)
        assert len(pcm) == len(expected) and np.abs(pcm - expected).max() < 2e-4


def test_bad_requests_get_4xx_with_a_message(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice, max_chars=200)
        try:
            async with aiohttp.ClientSession() as session:
                results = []
                for body in [b"{not json", json.dumps({"input": ""}).encode(), json.dumps({"input": "x" * 201}).encode(),
                             json.dumps({"input": "Hi.", "voice": "nobody"}).encode(), json.dumps({"input": "Hi.", "response_format": "ogg"}).encode(),
                             json.dumps({"input": "Hi.", "speed": 9}).encode(), json.dumps(["a list"]).encode()]:
                    async with session.post(f"{url}/v1/audio/speech", data=body, headers={"Content-Type": "application/json"}) as response:
                        results.append((response.status, (await response.json())["error"]["message"]))
                async with session.get(f"{url}/health") as response:
                    health = await response.json()
                async with session.get(f"{url}/v1/voices") as response:
                    voices = await response.json()
                return results, health, voices
        finally:
            await runner.cleanup()

    results, health, voices = run(scenario())
    assert [status for status, _ in results] == [400, 400, 413, 404, 400, 400, 400]
    assert all(message for _, message in results)
    assert health == {"status": "ok", "voices": ["tiny"], "default_voice": "tiny"}
    assert voices["voices"][0]["id"] == "tiny" and voices["voices"][0]["sample_rate"] == 24000


def test_busy_server_answers_429(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice, max_concurrent=1, max_queue=0)
        try:
            async with aiohttp.ClientSession() as session:
                first = await session.post(f"{url}/v1/audio/speech", json={"input": LONG * 3, "response_format": "pcm"})
                await first.content.readany()  # the first synthesis holds the only slot
                async with session.post(f"{url}/v1/audio/speech", json={"input": "Hi.", "response_format": "pcm"}) as second:
                    status = second.status
                first.close()  # disconnect mid-stream: the server stops that synthesis
                await asyncio.sleep(0.3)
                async with session.post(f"{url}/v1/audio/speech", json={"input": "Hi.", "response_format": "pcm"}) as third:
                    return status, third.status
        finally:
            await runner.cleanup()

    assert run(scenario()) == (429, 200)


def test_websocket_speaks_clauses_as_text_arrives(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                    events, audio = [], []
                    ready = await ws.receive_json()
                    await ws.send_json({"type": "config", "voice": "tiny"})
                    for piece in ["Hello there, ", "my good friend. ", "How are", " you"]:
                        await ws.send_json({"type": "text", "text": piece})
                    await ws.send_str("not json")
                    await ws.send_json({"type": "flush"})
                    while True:
                        message = await ws.receive()
                        if message.type == aiohttp.WSMsgType.BINARY:
                            audio.append(message.data)
                            continue
                        event = json.loads(message.data)
                        events.append(event)
                        if event["type"] == "flushed":
                            break
                    await ws.send_json({"type": "close"})
                    closing = await ws.receive_json()
                    return ready, events, audio, closing
        finally:
            await runner.cleanup()

    ready, events, audio, closing = run(scenario())
    assert ready["sample_rate"] == 24000 and ready["format"] == "pcm_s16le"
    clauses = [e["text"] for e in events if e["type"] == "clause"]
    assert " ".join(clauses) == "Hello there, my good friend. How are you" and len(clauses) >= 2
    assert any(e["type"] == "error" for e in events)  # the malformed message was answered, not fatal
    assert len(audio) >= 2 and closing["type"] == "closed"


@pytest.mark.parametrize(
    "body, headers, message",
    [
        ({"input": "..."}, {}, "nothing to speak"),
        ({"input": "\U0001f600"}, {}, "nothing to speak"),
        ({"input": "Hi.", "voice": ["tiny"]}, {}, "'voice' must be a string"),
        ({"input": "Hi.", "response_format": ["wav"]}, {}, "response_format must be one of"),
        ({"input": "Hi.", "speed": float("nan")}, {}, "speed must be from 0.25 to 4"),
        ({"input": "Hi.", "speed": "fast"}, {}, "speed must be a number"),
        ({"input": "Hi.", "speed": 0.01}, {}, "speed must be from 0.25 to 4"),
        ('{"input": "Hi."}', {"Content-Type": "application/json; charset=bogus"}, None),
        ({"input": "1" * 420, "speed": 4.0}, {}, None),  # a long number is read digit by digit (was a 500)
        ("[" * 20_000 + "]" * 20_000, {"Content-Type": "application/json"}, "must be JSON"),
    ],
)
def test_client_mistakes_get_a_4xx_with_the_reason(tiny_voice, body, headers, message):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                data = body if isinstance(body, str) else json.dumps(body, allow_nan=True)
                async with session.post(f"{url}/v1/audio/speech", data=data, headers=headers or {"Content-Type": "application/json"}) as response:
                    return response.status, await response.read()
        finally:
            await runner.cleanup()

    status, payload = run(scenario())
    if message is None:  # a bogus charset is ignored (the JSON decoder finds the encoding); long numbers speak
        assert status == 200 and payload[:4] == b"RIFF"
    else:
        assert status == 400 and message in json.loads(payload)["error"]["message"]


@pytest.mark.parametrize(
    "config, message",
    [
        ({"speed": 0.01}, "speed must be from 0.25 to 4"),
        ({"speed": 0}, "speed must be from 0.25 to 4"),
        ({"speed": "fast"}, "speed must be a number"),
        ({"steps": 64}, "steps must be from 1 to 32"),
        ({"steps": 1.5}, "steps must be a whole number"),
        ({"steps": "2"}, "steps must be a whole number"),
        ({"voice": ["tiny"]}, "unknown voice"),
    ],
)
def test_websocket_config_is_validated_and_the_socket_keeps_working(tiny_voice, config, message):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                    assert (await ws.receive_json())["type"] == "ready"
                    await ws.send_json({"type": "config", **config})
                    error = await ws.receive_json()
                    await ws.send_json({"type": "text", "text": "Hello there."})
                    await ws.send_json({"type": "close"})
                    audio, kinds = b"", []
                    async for reply in ws:
                        if reply.type == aiohttp.WSMsgType.BINARY:
                            audio += reply.data
                        elif reply.type == aiohttp.WSMsgType.TEXT:
                            kinds.append(json.loads(reply.data)["type"])
                    return error, audio, kinds
        finally:
            await runner.cleanup()

    error, audio, kinds = run(scenario())
    assert error["type"] == "error" and message in error["message"]
    assert len(audio) > 1000 and kinds[-1] == "closed"  # refused config, default options still speak


class _Counting:
    """A voice whose streams count the chunks they produce (to see when synthesis stops)."""

    def __init__(self, voice):
        self.voice, self.produced = voice, []

    def __getattr__(self, name):
        return getattr(self.voice, name)

    def _counted(self, chunks):
        for chunk in chunks:
            self.produced.append(1)
            yield chunk

    def stream(self, *args, **kwargs):
        return self._counted(self.voice.stream(*args, **kwargs))

    def open_stream(self, *args, **kwargs):
        stream, counted = self.voice.open_stream(*args, **kwargs), self._counted
        push, flush = stream.push, stream.flush
        stream.push, stream.flush = (lambda text: counted(push(text))), (lambda: counted(flush()))
        return stream


MANY = " ".join(f"This is sentence number {i}, spoken at length so that it takes a while." for i in range(40))


def test_websocket_cancel_stops_the_reply_within_a_chunk_and_is_acknowledged(tiny_voice):
    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                    assert (await ws.receive_json())["type"] == "ready"
                    await ws.send_json({"type": "text", "text": MANY})
                    await ws.send_json({"type": "flush"})
                    while (await ws.receive()).type != aiohttp.WSMsgType.BINARY:
                        pass  # the first audio: the reply is being spoken
                    loop = asyncio.get_running_loop()
                    sent = loop.time()
                    await ws.send_json({"type": "cancel"})
                    after = 0
                    while True:
                        reply = await ws.receive()
                        if reply.type == aiohttp.WSMsgType.BINARY:
                            after += 1
                        elif json.loads(reply.data)["type"] == "cancelled":
                            break
                    latency = loop.time() - sent
                    await ws.send_json({"type": "text", "text": "Still here."})  # the socket keeps working
                    await ws.send_json({"type": "close"})
                    kinds = [json.loads(r.data)["type"] async for r in ws if r.type == aiohttp.WSMsgType.TEXT]
                    return after, latency, kinds
        finally:
            await runner.cleanup()

    after, latency, kinds = run(scenario())
    assert after <= 2  # at most the chunk in flight (and one already queued in the socket)
    assert latency < 2.0 and kinds[-1] == "closed" and "clause" in kinds and "flushed" not in kinds


def test_a_closed_websocket_stops_synthesis_at_once_without_a_traceback(tiny_voice, caplog):
    counting = _Counting(tiny_voice)

    async def scenario():
        runner, url = await _serve(counting)
        try:
            async with aiohttp.ClientSession() as session:
                ws = await session.ws_connect(f"{url}/v1/audio/stream")
                assert (await ws.receive_json())["type"] == "ready"
                await ws.send_json({"type": "text", "text": MANY})
                await ws.send_json({"type": "flush"})
                while (await ws.receive()).type != aiohttp.WSMsgType.BINARY:
                    pass
                start = asyncio.get_running_loop().time()
                await ws.close()
                closed_in = asyncio.get_running_loop().time() - start
                at_close = len(counting.produced)
                await asyncio.sleep(0.5)
                return closed_in, at_close, len(counting.produced)
        finally:
            await runner.cleanup()

    with caplog.at_level("INFO", logger="tts.server"):
        closed_in, at_close, later = run(scenario())
    assert closed_in < 1.0 and later - at_close <= 2
    assert "Traceback" not in caplog.text and "left" in caplog.text


def test_an_abandoned_flac_request_stops_synthesizing(tiny_voice):
    counting = _Counting(tiny_voice)
    produced = counting.produced

    async def scenario():
        runner, url = await _serve(counting)
        port = runner.addresses[0][1]
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            body = json.dumps({"input": MANY, "response_format": "flac"}).encode()
            writer.write(b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            await writer.drain()
            while not produced:
                await asyncio.sleep(0.01)
            writer.close()
            at_close = len(produced)
            await asyncio.sleep(1.0)
            return at_close, len(produced)
        finally:
            await runner.cleanup()

    at_close, later = run(scenario())
    total = sum(1 for _ in tiny_voice.stream(MANY, chunk_frames=4))
    assert later - at_close <= 3 and later < total  # it stopped, far short of the whole reply


def test_half_sent_requests_are_closed_after_the_header_timeout(tiny_voice):
    from tts.server import watch_headers

    async def scenario():
        server = SpeechServer({"tiny": tiny_voice}, "tiny")
        runner = web.AppRunner(server.app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        watchdog = asyncio.create_task(watch_headers(runner, timeout_s=0.5, every_s=0.1))
        try:
            idle = []
            for _ in range(20):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(b"POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\n")  # never finished
                await writer.drain()
                idle.append((reader, writer))
            async with aiohttp.ClientSession() as session:  # a real client is served meanwhile
                async with session.get(f"http://127.0.0.1:{port}/health") as response:
                    healthy = response.status == 200
            closed = await asyncio.gather(*(asyncio.wait_for(reader.read(), 3.0) for reader, _ in idle))
            return healthy, closed, len(runner.server.connections)
        finally:
            watchdog.cancel()
            await runner.cleanup()

    healthy, closed, left = run(scenario())
    assert healthy and all(data == b"" for data in closed)  # each half-sent connection was closed by the server
    assert left <= 1


def test_a_request_is_split_into_sentences_once(tiny_voice, monkeypatch):
    calls = []
    split = tiny_voice.frontend.split
    monkeypatch.setattr(tiny_voice.frontend, "split", lambda text, *a, **k: calls.append(text) or split(text, *a, **k))

    async def scenario():
        runner, url = await _serve(tiny_voice)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(f"{url}/v1/audio/speech", json={"input": LONG, "response_format": "pcm"}) as response:
                    return response.status, await response.read()
        finally:
            await runner.cleanup()

    status, body = run(scenario())
    assert status == 200 and len(body) > 0
    assert calls == [LONG]  # checked and spoken from one split
