"""Several voices in one server, by name: `tts serve` and `tts wyoming` take `--voice [NAME=]VOICE` again
and again, and HTTP, the WebSocket and Wyoming pick a voice by its name."""

import asyncio
import json
import shutil
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import pytest
from aiohttp import web

import tts
from tts.cli import main as cli
from tts.server import SpeechServer

TEXT = "Hello there, how are you today?"


@pytest.fixture(scope="module")
def fast_voice_dir(tiny_voice_dir, tmp_path_factory):
    """The tiny voice again, defaulting to twice the speed: the same weights, audio half as long."""
    root = tmp_path_factory.mktemp("fast") / "fast"
    shutil.copytree(tiny_voice_dir, root)
    config_path = root / "acoustic" / "config.json"
    config = json.loads(config_path.read_text())
    config["synthesis"] = {**config.get("synthesis", {}), "speed": 2.0}
    config_path.write_text(json.dumps(config))
    return root


@pytest.fixture(scope="module")
def two_voices(tiny_voice, fast_voice_dir):
    return {"slow": tiny_voice, "fast": tts.load(fast_voice_dir, device="cpu")}


@pytest.mark.parametrize("command, target", [("serve", "tts.server.serve"), ("wyoming", "tts.wyoming_server.serve_wyoming")])
def test_cli_serves_each_voice_by_name_with_the_first_as_default(tiny_voice_dir, fast_voice_dir, monkeypatch, capsys, command, target):
    served = []
    monkeypatch.setattr(target, lambda voices, default, *args, **kwargs: served.append((voices, default)))
    assert cli([command, "--voice", f"slow={tiny_voice_dir}", "--voice", str(fast_voice_dir), "--threads", "1"]) == 0
    (voices, default), = served
    assert list(voices) == ["slow", "fast"] and default == "slow"  # unnamed: by its directory's name
    assert voices["fast"].defaults.speed == 2.0 and voices["slow"].defaults.speed == 1.0

    # Two voices under one name, or a name that is not one, are refused before anything is served.
    assert cli([command, "--voice", str(fast_voice_dir), "--voice", str(fast_voice_dir)]) == 2
    assert "two voices would be served as 'fast'" in capsys.readouterr().err
    assert cli([command, "--voice", f"my voice={fast_voice_dir}"]) == 2
    assert "expected NAME=VOICE" in capsys.readouterr().err
    assert len(served) == 1


def test_http_and_websocket_speak_with_the_voice_named(two_voices):
    async def scenario():
        runner = web.AppRunner(SpeechServer(two_voices, "slow", chunk_frames=8).app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        try:
            async with aiohttp.ClientSession() as session:
                listed = await (await session.get(f"{url}/v1/voices")).json()
                lengths = {}
                for name in ("slow", "fast", "alloy", None):
                    body = {"input": TEXT, "response_format": "pcm", **({"voice": name} if name else {})}
                    async with session.post(f"{url}/v1/audio/speech", json=body) as response:
                        assert response.status == 200
                        lengths[name] = len(await response.read())
                async with session.post(f"{url}/v1/audio/speech", json={"input": TEXT, "voice": "nobody"}) as response:
                    unknown = response.status, await response.text()
                streamed = {}
                for name in ("slow", "fast"):
                    async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
                        assert (await ws.receive_json())["type"] == "ready"
                        await ws.send_json({"type": "config", "voice": name})
                        await ws.send_json({"type": "text", "text": TEXT})
                        await ws.send_json({"type": "flush"})
                        audio = 0
                        while True:
                            message = await ws.receive()
                            if message.type == aiohttp.WSMsgType.BINARY:
                                audio += len(message.data)
                            elif json.loads(message.data)["type"] == "flushed":
                                break
                        streamed[name] = audio
            return listed, lengths, unknown, streamed
        finally:
            await runner.cleanup()

    listed, lengths, unknown, streamed = asyncio.run(scenario())
    assert sorted(v["id"] for v in listed["voices"]) == ["fast", "slow"]
    # The default voice answers OpenAI's names and a request that names none.
    assert lengths["alloy"] == lengths[None] == lengths["slow"]
    assert 0.4 < lengths["fast"] / lengths["slow"] < 0.6
    assert unknown[0] == 404 and "fast" in unknown[1] and "slow" in unknown[1]
    # Streamed clause by clause, the same voice within a few frames of its whole reply.
    assert abs(streamed["slow"] / lengths["slow"] - 1) < 0.02 and 0.4 < streamed["fast"] / streamed["slow"] < 0.6


def test_wyoming_lists_every_voice_and_speaks_with_the_one_named(two_voices):
    from wyoming.audio import AudioChunk
    from wyoming.client import AsyncTcpClient
    from wyoming.info import Describe, Info
    from wyoming.server import AsyncServer
    from wyoming.tts import Synthesize, SynthesizeVoice

    from tts.wyoming_server import make_handler_factory

    async def scenario():
        server = AsyncServer.from_uri("tcp://127.0.0.1:0")
        task = asyncio.create_task(server.run(make_handler_factory(two_voices, "slow", ThreadPoolExecutor(2), chunk_frames=8)))
        while getattr(server, "_server", None) is None:
            await asyncio.sleep(0.01)
        client = AsyncTcpClient("127.0.0.1", server._server.sockets[0].getsockname()[1])
        await client.connect()
        try:
            await client.write_event(Describe().event())
            info = Info.from_event(await asyncio.wait_for(client.read_event(), 30))
            samples = {}
            for name in ("slow", "fast"):
                await client.write_event(Synthesize(text=TEXT, voice=SynthesizeVoice(name=name)).event())
                samples[name] = 0
                while (event := await asyncio.wait_for(client.read_event(), 30)).type != "audio-stop":
                    if AudioChunk.is_type(event.type):
                        samples[name] += len(AudioChunk.from_event(event).audio) // 2
            return info, samples
        finally:
            await client.disconnect()
            task.cancel()

    info, samples = asyncio.run(scenario())
    assert sorted(v.name for v in info.tts[0].voices) == ["fast", "slow"]
    assert 0.4 < samples["fast"] / samples["slow"] < 0.6
