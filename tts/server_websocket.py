"""The speech server's WebSocket conversation, `GET /v1/audio/stream`: incremental text in, PCM out
(the protocol is described in `tts.server`)."""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiohttp import WSMsgType, web

from tts.server_slots import _END, LOG, ClientGone, DeadlinePassed, ServerBusy, _closed
from tts.synthesis.instructions import requested_options

CONFIG_OPTIONS = ("speed", "steps", "seed", "temperature", "sharpen", "pitch", "pitch_range", "volume")
"""The synthesis options a WebSocket `config` message may set (with `instructions`, `voice` and `sample_rate`)."""

_BINARY = object()
"""The reader's stand-in for a binary WebSocket frame, which the protocol does not use."""


class WebSocketConversation:
    """The speech server's WebSocket endpoint. Needs `voices`, `default_voice`, `chunk_frames`, `max_chars`,
    `deadline_s`, `_voice` and `_chunks` (SynthesisSlots)."""

    async def websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        voice = self.voices[self.default_voice]
        state = {"voice": voice, "stream": voice.open_stream(self.chunk_frames)}
        inbox: asyncio.Queue = asyncio.Queue()
        cancelled = asyncio.Event()
        """Set by the reader on a cancel: the reply in progress stops and queued text is dropped."""

        async def read() -> None:
            # Messages are read while a reply is spoken, so a cancel or a close is seen at once.
            try:
                async for message in ws:
                    if message.type == WSMsgType.BINARY:
                        await inbox.put(_BINARY)
                        continue
                    if message.type != WSMsgType.TEXT:
                        continue
                    try:
                        data = json.loads(message.data)
                        kind = data["type"]
                    except (ValueError, KeyError, TypeError, RecursionError):
                        data, kind = None, None
                    if kind == "cancel":
                        cancelled.set()
                    await inbox.put(data)
            finally:
                cancelled.set()  # the socket is gone: whatever is being spoken stops
                await inbox.put(_END)

        def gone() -> bool:
            return cancelled.is_set() or ws.closed or _closed(request)

        async def speak(clauses) -> None:
            # Each clause is announced, then spoken in a synthesis slot of its own (its own deadline);
            # splitting the text took no slot, so a token that completes no clause costs nothing.
            for clause in clauses:
                if gone():
                    return
                stream = state["stream"]
                await ws.send_json({"type": "clause", "index": stream.clause_index, "text": clause})
                await send(self._chunks(lambda c=clause: stream.speak_clauses([c]), gone=gone))

        async def send(chunks) -> None:
            async with contextlib.aclosing(chunks):
                async for chunk in chunks:
                    if chunk.words:  # the words this chunk starts, before the audio they are in
                        timed = [{"text": w.text, "start": round(w.start, 3), "end": round(w.end, 3)} for w in chunk.words]
                        await ws.send_json({"type": "words", "words": timed})
                    await ws.send_bytes(chunk.pcm16())

        reader = asyncio.create_task(read())
        await ws.send_json({"type": "ready", "sample_rate": state["voice"].sample_rate, "format": "pcm_s16le", "channels": 1})
        try:
            while (data := await inbox.get()) is not _END:
                try:
                    if await self._handle(ws, data, state, cancelled, speak):
                        break
                except ClientGone:
                    pass  # a cancel (its own message, queued behind, acknowledges it) or a close
                except DeadlinePassed:
                    await ws.send_json({"type": "error", "message": f"a clause passed the {self.deadline_s:g} s synthesis deadline; it was stopped"})
        except ServerBusy:
            await ws.send_json({"type": "error", "message": "too many syntheses in progress; retry shortly"})
        except ConnectionResetError:
            pass
        finally:
            if ws.closed or _closed(request):
                LOG.info("WebSocket client %s left; synthesis stopped", request.remote)
            reader.cancel()
            await ws.close()
        return ws

    async def _handle(self, ws, data, state: dict, cancelled: asyncio.Event, speak) -> bool:
        """One WebSocket message; True when the conversation ends."""
        if data is _BINARY:
            await ws.send_json({"type": "error", "message": "binary frames are not read: send each message as a JSON text frame"})
            return False
        kind = data.get("type") if isinstance(data, dict) else None
        stream = state["stream"]
        if kind == "cancel":
            stream.cancel()
            cancelled.clear()
            await ws.send_json({"type": "cancelled"})
            return False
        if cancelled.is_set():
            return False  # text and flushes queued before a cancel are dropped with it
        if kind == "config":
            try:
                voice = self._voice(data.get("voice"))
            except web.HTTPNotFound as error:
                await ws.send_json({"type": "error", "message": json.loads(error.text)["error"]["message"]})
                return False
            try:  # the API's ranges, checked once for everything this stream speaks
                requested = requested_options(data, CONFIG_OPTIONS, voice.steerable)
                state["stream"] = voice.open_stream(self.chunk_frames, **requested, sample_rate=data.get("sample_rate")).carry_on(stream)
            except (ValueError, TypeError) as error:
                await ws.send_json({"type": "error", "message": f"config refused: {error}"})
                return False
            state["voice"] = voice
        elif kind == "text":
            text = data.get("text", "")
            if not isinstance(text, str) or len(text) > self.max_chars:
                await ws.send_json({"type": "error", "message": f"'text' must be a string of at most {self.max_chars} characters"})
                return False
            await speak(stream.clauses(text))
        elif kind in ("flush", "close"):
            await speak(stream.rest())
            for chunk in stream.end():  # the resampler's tail: no synthesis, no slot
                await ws.send_bytes(chunk.pcm16())
            await ws.send_json({"type": "flushed" if kind == "flush" else "closed"})
            return kind == "close"
        elif kind is None:
            await ws.send_json({"type": "error", "message": "messages are JSON objects with a 'type': config, text, flush, cancel or close"})
        else:
            await ws.send_json({"type": "error", "message": f"unknown message type {kind!r}"})
        return False
