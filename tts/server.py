"""A local speech server for voice agents (aiohttp): `tts serve --host 127.0.0.1 --port 8000`.

- `POST /v1/audio/speech`: OpenAI-compatible body {model, input, voice, response_format, speed,
  instructions (known delivery words: tts.synthesis.instructions)}, plus pitch, pitch_range and volume;
  wav and pcm bodies stream chunk by chunk as audio is produced (flac is encoded once complete).
- `GET /v1/audio/stream` (WebSocket): JSON messages {"type": "config" | "text" | "flush" | "cancel" |
  "close"}; the server answers with {"type": "ready"}, then per clause {"type": "clause"} followed by
  binary 16-bit PCM chunks (each preceded by {"type": "words"} with the words it starts, timed in
  seconds from the start of the conversation's audio), {"type": "flushed"} after a flush, {"type": "cancelled"} after a cancel,
  and {"type": "closed"}. Messages are read while a reply is spoken: a cancel stops it within one
  audio chunk and drops the text not yet spoken (barge-in).
- `GET /health`, `GET /v1/voices`.
- `GET /`: the playground, a page for trying voices over the WebSocket (`tts.playground`).

At most `max_concurrent` syntheses run at once (in worker threads); up to `max_queue` more wait, and
past that a request gets 429. A request may make at most `max_audio_s` seconds of audio, pauses
included: one whose estimate passes it gets 413 before any work, and one that passes it while being
spoken is stopped there (413 for the formats sent whole; a short stream for the streamed ones).
Synthesis and encoding run in worker threads; the event loop only reads, checks and sends. Work stops when the client goes away (checked before every chunk, for
every format), when a request passes its synthesis deadline, or when a body takes too long to arrive;
each disconnect is one log line.

The synthesis slots (limits, deadline, client checks) are in `tts.server_slots`, the WebSocket
conversation in `tts.server_websocket`; `SpeechServer` combines them with the HTTP endpoints here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from tts.audio.encoding import MEDIA_TYPES, encoder, streams
from tts.playground import routes as playground_routes
from tts.request_limits import MAX_AUDIO_SECONDS, MAX_INPUT_CHARS
from tts.server_slots import (
    LOG,
    ClientGone,
    DeadlinePassed,
    ServerBusy,
    SynthesisSlots,
    _closed,
)
from tts.server_websocket import WebSocketConversation
from tts.synthesis.instructions import requested_options
from tts.synthesis.streaming import CHUNK_FRAMES

OPENAI_VOICES = ("alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage", "shimmer", "verse")
"""OpenAI's voice names: SDKs and agent frameworks send them by default; each maps to a served voice."""
STEERING = ("speed", "pitch", "pitch_range", "volume")
"""Request fields that steer the delivery (`speed` is OpenAI's; the others are this server's)."""


RAW_RATES = {"pcm": 24000, "pcm_mulaw": 8000}
"""Output rates of the headerless formats when a request names none."""


class TooMuchAudio(Exception):
    """A request's audio passed the server's per-request limit."""


class SpeechServer(SynthesisSlots, WebSocketConversation):
    def __init__(
        self, voices: dict, default_voice: str, max_chars: int = MAX_INPUT_CHARS, max_concurrent: int = 2, max_queue: int = 8, chunk_frames: int = CHUNK_FRAMES,
        deadline_s: float = 120.0, body_timeout_s: float = 10.0, aliases: dict[str, str] | None = None, max_audio_s: float = MAX_AUDIO_SECONDS,
    ):
        if default_voice not in voices:
            raise ValueError(f"default voice {default_voice!r} is not among the loaded voices {sorted(voices)}")
        self.voices = voices
        self.default_voice = default_voice
        self.aliases = {name: default_voice for name in OPENAI_VOICES} if aliases is None else dict(aliases)
        """Voice names accepted for a served voice (default: OpenAI's names, all to the default voice)."""
        unknown = sorted(target for target in self.aliases.values() if target not in voices)
        if unknown:
            raise ValueError(f"voice aliases point at voices that are not loaded: {unknown}")
        self.max_chars = max_chars
        self.max_queue = max_queue
        self.chunk_frames = chunk_frames
        self.deadline_s = deadline_s
        """Most seconds one request (or one WebSocket clause) may synthesize."""
        self.body_timeout_s = body_timeout_s
        """Most seconds a request body may take to arrive."""
        self.max_audio_s = max_audio_s
        """Most seconds of audio one request may make, pauses included."""
        self.executor = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="tts")
        self._slots = asyncio.Semaphore(max_concurrent)
        self._waiting = 0

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * self.max_chars + 65536)
        app.add_routes(
            [
                web.get("/health", self.health),
                web.get("/v1/voices", self.list_voices),
                web.get("/v1/models", self.list_models),
                web.post("/v1/audio/speech", self.speech),
                web.get("/v1/audio/stream", self.websocket),
                *playground_routes(),
            ]
        )
        app.on_shutdown.append(self._shutdown)
        app.on_response_prepare.append(_request_id)
        return app

    async def _shutdown(self, app) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    # ---- plain endpoints ------------------------------------------------------------------------
    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "voices": sorted(self.voices), "default_voice": self.default_voice})

    async def list_voices(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"voices": [{"id": name, "sample_rate": voice.sample_rate, "speakers": voice.speakers} for name, voice in sorted(self.voices.items())]}
        )

    async def list_models(self, request: web.Request) -> web.Response:
        """OpenAI's model list: the names `model` may take (every one speaks with the requested voice)."""
        models = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts", *sorted(self.voices)]
        return web.json_response({"object": "list", "data": [{"id": name, "object": "model", "owned_by": "flowmap-tts"} for name in models]})

    # ---- synthesis plumbing ---------------------------------------------------------------------
    def _voice(self, name) -> object:
        name = name or self.default_voice
        if isinstance(name, str) and name not in self.voices:
            name = self.aliases.get(name, name)
        if not isinstance(name, str) or name not in self.voices:
            raise web.HTTPNotFound(text=_error(f"unknown voice {name!r}; available: {sorted(self.voices)}"), content_type="application/json")
        return self.voices[name]


    # ---- OpenAI-compatible speech -----------------------------------------------------------------
    async def speech(self, request: web.Request) -> web.StreamResponse:
        try:
            # Bytes, not request.json(): the JSON decoder finds the UTF encoding itself, and a bogus
            # charset in the request's headers cannot fail the request.
            body = json.loads(await asyncio.wait_for(request.read(), self.body_timeout_s))
        except asyncio.TimeoutError:
            return web.json_response({"error": {"message": f"the request body did not arrive within {self.body_timeout_s:g} s"}}, status=408)
        except (ValueError, RecursionError):  # malformed, not UTF, or nested too deep
            return _bad_request("the body must be JSON: {\"input\": \"text\", \"voice\": ..., \"response_format\": ...}")
        if not isinstance(body, dict):
            return _bad_request("the body must be a JSON object")
        text = body.get("input")
        if not isinstance(text, str) or not text.strip():
            return _bad_request("'input' must be a non-empty string")
        if len(text) > self.max_chars:
            return web.json_response({"error": {"message": f"'input' is {len(text)} characters; the limit is {self.max_chars}"}}, status=413)
        response_format = body.get("response_format", "wav")
        if not isinstance(response_format, str) or response_format not in MEDIA_TYPES:
            return _bad_request(f"response_format must be one of {sorted(MEDIA_TYPES)}")
        stream_format = body.get("stream_format", "audio")
        if stream_format not in ("audio", "sse"):
            return _bad_request("stream_format must be 'audio' or 'sse'")
        name = body.get("voice")
        if name is not None and not isinstance(name, str):
            return _bad_request("'voice' must be a string")
        voice = self._voice(name)
        # Raw formats carry no rate: OpenAI's pcm is 24 kHz and its clients assume it (Pipecat, LiveKit
        # send no sample_rate), so a voice at another rate is resampled to it; μ-law is telephony's 8 kHz.
        rate = body.get("sample_rate", RAW_RATES.get(response_format))
        try:
            # The ranges every entry point uses; the rate and format are checked together here.
            # Known delivery words of `instructions` first, then the request's own fields; a field not
            # sent (speed included) stays at the voice's default, not at OpenAI's 1.0.
            options = voice.options(**requested_options(body, STEERING, voice.steerable), sample_rate=rate)
            encoder(response_format, options.sample_rate or voice.sample_rate)
        except (ValueError, TypeError) as error:
            return _bad_request(str(error))
        try:
            # Off the event loop: cleaning and splitting are linear, but a long input still takes time.
            utterance = await asyncio.get_running_loop().run_in_executor(self.executor, voice.utterance, text)
        except ValueError as error:  # nothing to speak, or malformed SSML
            return _bad_request(str(error))
        estimate = utterance.least_seconds(options.speed)
        if estimate > self.max_audio_s:
            return _too_much_audio(f"'input' would make at least {estimate:.0f} s of audio; the limit is {self.max_audio_s:g} s per request")
        make = lambda: voice.stream(utterance, chunk_frames=self.chunk_frames, options=options)  # noqa: E731
        chunks = self._chunks(make, gone=lambda: _closed(request))
        async with contextlib.aclosing(chunks):
            return await self._respond(request, chunks, response_format, options.sample_rate or voice.sample_rate, stream_format == "sse")

    async def _respond(self, request, chunks, response_format: str, rate: int, sse: bool) -> web.StreamResponse:
        """Encode the chunks as `response_format` and send them as they come (or, for containers that
        need the whole audio, once complete); with `sse`, as OpenAI's server-sent events."""
        response = None
        audio = encoder(response_format, rate)
        media_type = "text/event-stream" if sse else MEDIA_TYPES[response_format]
        streamed = streams(response_format) or sse
        loop = asyncio.get_running_loop()
        most_samples, samples = int(self.max_audio_s * rate), 0
        try:
            started = False
            async for chunk in chunks:
                samples += len(chunk.samples)
                if samples > most_samples:
                    raise TooMuchAudio()
                # Encoders (mp3, opus, aac) take real CPU time: off the event loop, as synthesis is.
                data = await loop.run_in_executor(self.executor, audio.encode, chunk.samples)
                if not streamed:
                    continue
                if not started:
                    response = web.StreamResponse(headers={"Content-Type": media_type})
                    await response.prepare(request)
                    started = True
                if data:
                    await response.write(_sse("speech.audio.delta", audio=data) if sse else data)
            if not started and not samples:
                return _bad_request("the input has nothing to speak")
            tail = await loop.run_in_executor(self.executor, audio.finish)
            if not streamed:
                return web.Response(body=tail, content_type=media_type)
            if tail:
                await response.write(_sse("speech.audio.delta", audio=tail) if sse else tail)
            if sse:
                await response.write(_sse("speech.audio.done"))
            await response.write_eof()
            return response
        except ServerBusy:
            return web.json_response({"error": {"message": "too many syntheses in progress; retry shortly"}}, status=429, headers={"Retry-After": "1"})
        except (ClientGone, ConnectionResetError):  # aiohttp's ClientConnectionResetError is one
            LOG.info("client %s left during /v1/audio/speech; synthesis stopped", request.remote)
            return response or web.Response(status=499)
        except TooMuchAudio:
            LOG.warning("a /v1/audio/speech request passed the %g s audio limit; stopped", self.max_audio_s)
            if response is not None and response.prepared:
                return response  # the audio so far has been sent; the stream ends short
            return _too_much_audio(f"the input makes more than {self.max_audio_s:g} s of audio, the limit per request")
        except DeadlinePassed:
            LOG.warning("a /v1/audio/speech request passed its %g s synthesis deadline; stopped", self.deadline_s)
            if response is not None and response.prepared:
                return response  # the audio so far has been sent; the stream ends short
            return web.json_response({"error": {"message": f"synthesis passed the {self.deadline_s:g} s deadline"}}, status=503)


def _error(message: str) -> str:
    return json.dumps({"error": {"message": message}})


async def _request_id(request: web.Request, response: web.StreamResponse) -> None:
    """An `x-request-id` on every response, as OpenAI sends: the SDK exposes it, and LiveKit Agents
    warns on every synthesis without one."""
    import uuid

    response.headers.setdefault("x-request-id", uuid.uuid4().hex)


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": {"message": message}}, status=400)


def _too_much_audio(message: str) -> web.Response:
    return web.json_response({"error": {"message": message}}, status=413)


def _sse(kind: str, audio: bytes | None = None) -> bytes:
    """One server-sent event as OpenAI's speech streams send them: base64 audio in `speech.audio.delta`."""
    import base64

    event = {"type": kind} if audio is None else {"type": kind, "audio": base64.b64encode(audio).decode("ascii")}
    return f"data: {json.dumps(event)}\n\n".encode()


HEADER_TIMEOUT_S = 10.0
"""Seconds a new connection may take to send its first request's headers."""
KEEPALIVE_TIMEOUT_S = 75.0
"""Seconds an idle keep-alive connection stays open (aiohttp's default is an hour)."""


async def watch_headers(runner: web.AppRunner, timeout_s: float = HEADER_TIMEOUT_S, every_s: float = 0.5) -> None:
    """Close connections that have not sent a whole request head within `timeout_s` (a client that
    opens connections and sends half a request, or nothing, would otherwise hold them forever).

    aiohttp has no header timeout of its own; this reads its per-connection request count, and says
    so once and stops if a future aiohttp renames it.
    """
    loop = asyncio.get_running_loop()
    first_seen: dict = {}
    while True:
        await asyncio.sleep(every_s)
        server = runner.server
        if server is None:
            continue
        now = loop.time()
        connections = server.connections
        for handler in connections:
            count = getattr(handler, "_request_count", None)
            if count is None:
                LOG.warning("this aiohttp does not expose a connection's request count; header timeouts are off")
                return
            started = first_seen.setdefault(handler, now)
            if count == 0 and now - started > timeout_s:
                LOG.info("closed a connection that sent no complete request within %g s", timeout_s)
                handler.force_close()
        first_seen = {handler: first_seen[handler] for handler in connections if handler in first_seen}


def serve(voices: dict, default_voice: str, host: str = "127.0.0.1", port: int = 8000, **limits) -> None:
    asyncio.run(_serve_forever(SpeechServer(voices, default_voice, **limits), host, port))


async def _serve_forever(server: SpeechServer, host: str, port: int) -> None:
    if not logging.getLogger().handlers:  # one line per disconnect, timeout or deadline, on stderr
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    runner = web.AppRunner(server.app(), keepalive_timeout=KEEPALIVE_TIMEOUT_S)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    print(f"serving on http://{host}:{port} (POST /v1/audio/speech, WebSocket /v1/audio/stream)", flush=True)
    watchdog = asyncio.create_task(watch_headers(runner))
    try:
        await asyncio.Event().wait()  # until interrupted
    finally:
        watchdog.cancel()
        await runner.cleanup()
