"""The OpenAI-compatible endpoint, spoken to by the official `openai` SDK against the real server on
loopback: every response format, SSE streaming, OpenAI's voice names, /v1/models, sample rates."""

import asyncio
import base64
import io
import json
import threading

import numpy as np
import openai
import pytest
import soundfile as sf
from aiohttp import web

from tts.server import SpeechServer

TEXT = "Hello there, this is a test of the speech endpoint."


@pytest.fixture(scope="module")
def client(tiny_voice):
    loop = asyncio.new_event_loop()
    started = threading.Event()
    state = {}

    async def start():
        runner = web.AppRunner(SpeechServer({"tiny": tiny_voice}, "tiny", chunk_frames=8).app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["runner"], state["port"] = runner, runner.addresses[0][1]
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    started.wait(30)
    yield openai.OpenAI(base_url=f"http://127.0.0.1:{state['port']}/v1", api_key="not-needed", max_retries=0)
    asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)


def _pcm(client, **extra) -> np.ndarray:
    data = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="pcm", **extra).content
    return np.frombuffer(data, dtype="<i2")


def test_every_response_format_decodes_to_the_same_speech(client, tiny_voice):
    pcm = _pcm(client)
    assert len(pcm) == len(tiny_voice.synthesize(TEXT).samples)
    for response_format in ("wav", "flac", "mp3", "opus"):
        data = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format=response_format).content
        samples, rate = sf.read(io.BytesIO(data))
        assert rate == 24000, response_format
        assert abs(len(samples) - len(pcm)) < 0.1 * len(pcm), response_format  # codecs pad their frames
    import av

    data = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="aac").content
    decoded = sum(frame.samples for frame in av.open(io.BytesIO(data)).decode(audio=0))
    assert abs(decoded - len(pcm)) < 0.1 * len(pcm)


def test_sse_streams_base64_audio_deltas_and_a_done_event(client):
    pcm = _pcm(client).tobytes()
    events = []
    with client.audio.speech.with_streaming_response.create(model="tts-1", voice="alloy", input=TEXT, response_format="pcm", stream_format="sse") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[len("data: ") :]))
    kinds = [event["type"] for event in events]
    assert kinds[-1] == "speech.audio.done" and set(kinds[:-1]) == {"speech.audio.delta"} and len(kinds) > 2
    assert b"".join(base64.b64decode(event["audio"]) for event in events[:-1]) == pcm


def test_voice_names_speed_instructions_and_models(client):
    base = _pcm(client)
    for voice in ("alloy", "echo", "nova", "tiny"):
        assert np.array_equal(np.frombuffer(client.audio.speech.create(model="tts-1", voice=voice, input=TEXT, response_format="pcm").content, dtype="<i2"), base)
    faster = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="pcm", speed=2.0, instructions="Speak cheerfully.").content
    assert len(faster) // 2 < 0.7 * len(base)
    assert {"tts-1", "gpt-4o-mini-tts", "tiny"} <= {model.id for model in client.models.list()}
    with pytest.raises(openai.NotFoundError, match="unknown voice"):
        client.audio.speech.create(model="tts-1", voice="nobody", input=TEXT)
    with pytest.raises(openai.BadRequestError, match="speed must be from 0.25 to 4"):
        client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, speed=8.0)


def test_nothing_to_speak_is_a_400_with_a_message(client):
    for text in ("...", "\U0001f600"):
        with pytest.raises(openai.BadRequestError, match="nothing to speak"):
            client.audio.speech.create(model="tts-1", voice="alloy", input=text)


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 44100, 48000])
def test_sample_rates_are_resampled_on_the_server(client, tiny_voice, rate):
    from tts.audio.resampling import resample

    pcm = _pcm(client, extra_body={"sample_rate": rate}) / 32767
    native = np.concatenate([chunk.samples for chunk in tiny_voice.stream(TEXT, chunk_frames=8)])
    expected = np.clip(resample(native, 24000, rate), -1, 1)
    assert len(pcm) == len(expected) and np.abs(pcm - expected).max() < 2 / 32767
    wav = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="wav", extra_body={"sample_rate": rate}).content
    assert int.from_bytes(wav[24:28], "little") == rate


def test_mulaw_telephony_audio(client):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        audioop = pytest.importorskip("audioop")  # the reference encoder; gone from Python 3.13

    data = client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="pcm_mulaw").content
    pcm = _pcm(client, extra_body={"sample_rate": 8000})
    assert data == audioop.lin2ulaw(pcm.tobytes(), 2)
    with pytest.raises(openai.BadRequestError, match="pcm_mulaw is 8 kHz"):
        client.audio.speech.create(model="tts-1", voice="alloy", input=TEXT, response_format="pcm_mulaw", extra_body={"sample_rate": 16000})
