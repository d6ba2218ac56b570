"""Voice-agent frameworks against `tts serve` on loopback, through their own OpenAI TTS classes, set up
as the README shows: Pipecat's `OpenAITTSService` in a pipeline, LiveKit Agents' `openai.TTS` whole
(`synthesize`) and sentence by sentence (`StreamAdapter`, what an `AgentSession` wraps it in).

Each test reads the request the framework sent (a middleware records it), checks the server answered
in what the framework assumes (16-bit mono at 24 kHz: neither sends a sample rate), that the audio is
the tiny voice's speech for the text, and that it arrived while it was being made (the voice's chunks
are spaced out so that streaming shows on a fast CPU). Needs `pip install ".[agents]"`.
"""

import asyncio
import json
import time

import numpy as np
import pytest
from aiohttp import web

from tts.server import OPENAI_VOICES, SpeechServer

try:  # part of the dev extra: a missing framework fails the run instead of skipping it
    import livekit.plugins.openai  # noqa: F401
    import pipecat.services.openai.tts  # noqa: F401
except ImportError as error:
    raise ImportError(f'{error}; the agent-framework tests need pip install -e ".[dev]" (its "agents" extra)') from None

TEXT = "Hello there, this is a voice agent speaking. It answers in two sentences."
RATE = 24000
CHUNK_DELAY_S = 0.01
"""Seconds between the voice's chunks (about 43 ms of audio each): a real-time voice, not a burst."""


class PacedVoice:
    """The tiny voice, each streamed chunk `delay` seconds after the last."""

    def __init__(self, voice, delay: float):
        self._voice, self._delay = voice, delay

    def __getattr__(self, name):
        return getattr(self._voice, name)

    def stream(self, *args, **kwargs):
        for chunk in self._voice.stream(*args, **kwargs):
            time.sleep(self._delay)
            yield chunk


async def _serve(voice):
    """The speech server on a free loopback port: (runner, base URL, the requests it answered)."""
    answered = []

    @web.middleware
    async def record(request, handler):
        body = await request.read()  # aiohttp keeps it for the handler
        response = await handler(request)
        answered.append({"path": request.path, "body": json.loads(body) if body else None, "status": response.status, "done": time.monotonic()})
        return response

    app = SpeechServer({"tiny": PacedVoice(voice, CHUNK_DELAY_S)}, "tiny", chunk_frames=4).app()
    app.middlewares.append(record)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/v1", answered


def _speech(answered) -> dict:
    (request,) = [request for request in answered if request["path"] == "/v1/audio/speech"]
    assert request["status"] == 200, request
    return request


def _check_audio(samples: np.ndarray, voice, text: str = TEXT) -> None:
    """The tiny voice's speech for `text` at 24 kHz: its length (codecs pad a little) and not silence."""
    expected = voice.synthesize(text)
    assert expected.sample_rate == RATE
    assert abs(len(samples) - len(expected.samples)) < 0.05 * len(expected.samples) + 2048
    assert len(samples) / RATE > 1.0  # two sentences: over a second of audio
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 1e-3


def test_pipecat_openai_tts_service(tiny_voice):
    from pipecat.frames.frames import ErrorFrame, TTSAudioRawFrame, TTSSpeakFrame
    from pipecat.pipeline.pipeline import Pipeline
    from pipecat.processors.frame_processor import FrameProcessor
    from pipecat.services.openai.tts import OpenAITTSService
    from pipecat.tests.utils import run_test

    class Arrivals(FrameProcessor):
        """Notes when each audio frame comes out of the TTS service."""

        def __init__(self):
            super().__init__()
            self.times = []

        async def process_frame(self, frame, direction):
            await super().process_frame(frame, direction)
            if isinstance(frame, TTSAudioRawFrame):
                self.times.append(time.monotonic())
            await self.push_frame(frame, direction)

    async def scenario():
        runner, base_url, answered = await _serve(tiny_voice)
        try:
            tts = OpenAITTSService(
                base_url=base_url, api_key="unused", sample_rate=24000,
                settings=OpenAITTSService.Settings(model="gpt-4o-mini-tts", voice="alloy"),
            )
            arrivals = Arrivals()
            down, up = await asyncio.wait_for(run_test(Pipeline([tts, arrivals]), frames_to_send=[TTSSpeakFrame(TEXT)]), 15)
            return down, up, arrivals.times, answered
        finally:
            await runner.cleanup()

    down, up, times, answered = asyncio.run(scenario())
    assert not [frame for frame in [*down, *up] if isinstance(frame, ErrorFrame)]
    request = _speech(answered)
    assert request["body"]["response_format"] == "pcm" and request["body"]["voice"] == "alloy"
    assert "sample_rate" not in request["body"]  # Pipecat takes OpenAI's 24 kHz for granted
    audio = [frame for frame in down if isinstance(frame, TTSAudioRawFrame)]
    assert {(frame.sample_rate, frame.num_channels) for frame in audio} == {(RATE, 1)}
    _check_audio(np.frombuffer(b"".join(frame.audio for frame in audio), dtype="<i2") / 32767, tiny_voice)
    # Pipecat reads the body in 0.5 s pieces; the first was out before the server finished the rest.
    assert len(audio) >= 3 and times[0] < request["done"] - 0.2


def _livekit_tts(base_url, **options):
    from livekit.plugins import openai

    return openai.TTS(base_url=base_url, api_key="unused", **options)


async def _livekit_frames(events):
    frames, times = [], []
    async for event in events:
        frames.append(event.frame)
        times.append(time.monotonic())
    return frames, times


def _livekit_samples(frames) -> np.ndarray:
    assert {(frame.sample_rate, frame.num_channels) for frame in frames} == {(RATE, 1)}
    return np.concatenate([np.frombuffer(bytes(frame.data), dtype="<i2") for frame in frames]) / 32767


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"model": "tts-1", "voice": "alloy", "response_format": "pcm"}, id="tts-1-pcm"),
        pytest.param({"response_format": "pcm"}, id="sse-pcm"),  # gpt-4o-mini-tts: server-sent events
        pytest.param({}, id="defaults-sse-mp3"),
    ],
)
def test_livekit_openai_tts_synthesize(tiny_voice, options, caplog):
    async def scenario():
        runner, base_url, answered = await _serve(tiny_voice)
        tts = _livekit_tts(base_url, **options)
        try:
            async with tts.synthesize(TEXT) as stream:
                frames, times = await asyncio.wait_for(_livekit_frames(stream), 15)
            return frames, times, answered
        finally:
            await tts.aclose()
            await runner.cleanup()

    frames, times, answered = asyncio.run(scenario())
    body = _speech(answered)["body"]
    assert body["response_format"] == options.get("response_format", "mp3") and "sample_rate" not in body
    assert body["stream_format"] == ("audio" if options.get("model") == "tts-1" else "sse")
    _check_audio(_livekit_samples(frames), tiny_voice)
    assert not [record for record in caplog.records if record.levelno >= 30 and record.name.startswith("livekit")]  # e.g. no request id
    # pcm and mp3 (LiveKit's default) both stream: the first audio long before the reply is done.
    assert len(frames) >= 3 and times[0] < _speech(answered)["done"] - 0.2


def test_livekit_stream_adapter_speaks_sentence_by_sentence(tiny_voice, caplog):
    from livekit.agents import tts as agents_tts

    async def scenario():
        runner, base_url, answered = await _serve(tiny_voice)
        tts = agents_tts.StreamAdapter(tts=_livekit_tts(base_url, model="tts-1", voice="alloy", response_format="pcm"))
        try:
            stream = tts.stream()
            async with stream:
                for word in TEXT.split(" "):  # as an LLM's tokens arrive
                    stream.push_text(word + " ")
                stream.end_input()
                frames, times = await asyncio.wait_for(_livekit_frames(stream), 15)
            return frames, times, answered
        finally:
            await tts.aclose()
            await runner.cleanup()

    frames, times, answered = asyncio.run(scenario())
    speech = [request for request in answered if request["path"] == "/v1/audio/speech"]
    assert [request["status"] for request in speech] == [200, 200]  # one request per sentence
    assert " ".join(request["body"]["input"].strip() for request in speech) == TEXT
    samples = _livekit_samples(frames)
    assert len(samples) / RATE > 1.0 and np.sqrt(np.mean(samples**2)) > 1e-3
    assert times[0] < speech[0]["done"]  # the first sentence played while it was being made
    assert not [record for record in caplog.records if record.levelno >= 30 and record.name.startswith("livekit")]


def test_every_voice_the_frameworks_offer_is_served(tiny_voice):
    from livekit.plugins.openai.models import TTSVoices
    from pipecat.services.openai.tts import VALID_VOICES

    offered = set(VALID_VOICES) | set(TTSVoices.__args__)
    assert offered <= set(OPENAI_VOICES), sorted(offered - set(OPENAI_VOICES))
    server = SpeechServer({"tiny": tiny_voice}, "tiny")
    assert all(server._voice(name) is tiny_voice for name in offered)
