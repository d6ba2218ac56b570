"""A Wyoming protocol server (`tts wyoming --uri tcp://0.0.0.0:10200`), so Home Assistant and other
Wyoming clients can use the voices. Needs the `wyoming` package (pip install 'flowmap-tts[wyoming]').

- `describe` -> `info`: one TTS program listing the served voices (and their speakers).
- `synthesize` (text, optional voice name) -> `audio-start`, `audio-chunk`s (16-bit mono PCM, sent as
  they are synthesized), `audio-stop`.
- Streaming text: `synthesize-start`, `synthesize-chunk`s, `synthesize-stop` -> the audio of each clause
  as soon as it completes, then `audio-stop` and `synthesize-stopped`. The `synthesize` event that
  clients send during a stream, for servers without streaming, is ignored.

Synthesis runs in worker threads; the event loop only moves bytes.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from tts.request_limits import MAX_AUDIO_SECONDS, MAX_INPUT_CHARS
from tts.synthesis.streaming import CHUNK_FRAMES

LOG = logging.getLogger("tts.wyoming")
ATTRIBUTION = ("flowmap-tts", "https://pypi.org/project/flowmap-tts/")


def _wyoming():
    try:
        import wyoming  # noqa: F401
    except ImportError as error:
        raise ImportError("the Wyoming server needs the wyoming package: pip install 'flowmap-tts[wyoming]'") from error


def info_event(voices: dict):
    """The `info` answer to `describe`: one TTS program with every served voice."""
    from wyoming.info import Attribution, Info, TtsProgram, TtsVoice, TtsVoiceSpeaker

    import tts

    attribution = Attribution(*ATTRIBUTION)
    listed = [
        TtsVoice(
            name=name, attribution=attribution, installed=True, description=f"flowmap-tts voice {name!r}", version=tts.__version__,
            languages=[voice.frontend.language], speakers=[TtsVoiceSpeaker(s) for s in voice.speakers] or None,
        )
        for name, voice in sorted(voices.items())
    ]
    program = TtsProgram(
        name="flowmap-tts", attribution=attribution, installed=True, description="Flow-map text-to-speech",
        version=tts.__version__, voices=listed, supports_synthesize_streaming=True,
    )
    return Info(tts=[program]).event()


def make_handler_factory(
    voices: dict, default_voice: str, executor: ThreadPoolExecutor, chunk_frames: int = CHUNK_FRAMES, max_chars: int = MAX_INPUT_CHARS, max_audio_s: float = MAX_AUDIO_SECONDS,
):
    """A factory for `wyoming.server.AsyncServer.run`: one `WyomingHandler` per connection.

    A request whose text is not a string, is longer than `max_chars`, is malformed SSML, or would
    make more than `max_audio_s` seconds of audio gets Wyoming's `error` event, and the connection
    stays open for the next request."""
    _wyoming()
    from wyoming.server import AsyncEventHandler

    info = info_event(voices)

    class WyomingHandler(AsyncEventHandler):
        def __init__(self, reader, writer):
            super().__init__(reader, writer)
            self.streaming = False
            self.stream = None
            self.voice = voices[default_voice]
            self.started = False
            self.samples = 0
            """Samples of the reply in progress, against `max_audio_s`."""

        async def handle_event(self, event) -> bool:
            from wyoming.error import Error

            try:
                await self._handle(event)
            except RequestRefused as error:
                LOG.info("refused a %s event: %s", event.type, error)
                if self.started:  # a reply cut short still ends with audio-stop
                    await self._stop_audio()
                self.streaming, self.samples = False, 0
                await self.write_event(Error(text=str(error), code="bad-request").event())
            return True

        async def _handle(self, event) -> None:
            from wyoming.info import Describe
            from wyoming.tts import (
                Synthesize,
                SynthesizeChunk,
                SynthesizeStart,
                SynthesizeStop,
                SynthesizeStopped,
            )

            if Describe.is_type(event.type):
                await self.write_event(info)
            elif Synthesize.is_type(event.type):
                if self.streaming:
                    return  # the whole text again, for servers without streaming: already spoken
                self.voice = self._voice(event.data)
                await self._speak_whole(_text(event.data))
                await self._stop_audio()
            elif SynthesizeStart.is_type(event.type):
                self.voice = self._voice(event.data)
                self.streaming, self.stream, self.samples = True, self.voice.open_stream(chunk_frames), 0
            elif SynthesizeChunk.is_type(event.type) and self.streaming:
                text = _text(event.data, max_chars)
                await self._send(lambda: self.stream.push(text))
            elif SynthesizeStop.is_type(event.type) and self.streaming:
                await self._send(self.stream.flush)
                await self._stop_audio()
                await self.write_event(SynthesizeStopped().event())
                self.streaming = False

        def _voice(self, data):
            requested = data.get("voice") if isinstance(data, dict) else None
            name = requested.get("name") if isinstance(requested, dict) else None
            if name is not None and not isinstance(name, str):
                raise RequestRefused(f"a voice name must be a string, got {name!r}"[:200])
            if name and name not in voices:
                LOG.info("unknown voice %r asked for; speaking with %r", name, default_voice)
            return voices.get(name, voices[default_voice]) if name else voices[default_voice]

        async def _speak_whole(self, text: str) -> None:
            from text import NothingToSpeak

            if len(text) > max_chars:
                raise RequestRefused(f"the text is {len(text)} characters; the limit is {max_chars}")
            loop = asyncio.get_running_loop()
            try:  # checked and split off the event loop: long SSML takes time
                utterance = await loop.run_in_executor(executor, self.voice.utterance, text)
            except NothingToSpeak as error:
                LOG.info("nothing spoken: %s", error)
                return
            except ValueError as error:  # malformed or too deeply nested SSML, over-long phonemes
                raise RequestRefused(str(error)) from None
            estimate = utterance.least_seconds()
            if estimate > max_audio_s:
                raise RequestRefused(f"the text would make at least {estimate:.0f} s of audio; the limit is {max_audio_s:g} s per request")
            self.samples = 0
            await self._send(partial(self.voice.stream, utterance, chunk_frames))

        async def _send(self, make) -> None:
            from wyoming.audio import AudioChunk, AudioStart

            loop = asyncio.get_running_loop()
            rate = self.voice.sample_rate
            iterator = await loop.run_in_executor(executor, lambda: iter(make()))
            try:
                while (chunk := await loop.run_in_executor(executor, next, iterator, None)) is not None:
                    self.samples += len(chunk.samples)
                    if self.samples > max_audio_s * rate:
                        raise RequestRefused(f"the request made more than {max_audio_s:g} s of audio, the limit; it was stopped")
                    if not self.started:
                        await self.write_event(AudioStart(rate=rate, width=2, channels=1).event())
                        self.started = True
                    await self.write_event(AudioChunk(rate=rate, width=2, channels=1, audio=chunk.pcm16()).event())
            finally:
                iterator.close()

        async def _stop_audio(self) -> None:
            from wyoming.audio import AudioStart, AudioStop

            if not self.started:  # nothing to say: still a well-formed (empty) reply
                await self.write_event(AudioStart(rate=self.voice.sample_rate, width=2, channels=1).event())
            await self.write_event(AudioStop().event())
            self.started = False

    return WyomingHandler


class RequestRefused(ValueError):
    """A Wyoming request the server answers with an `error` event."""


def _text(data, max_chars: int | None = None) -> str:
    """The `text` of an event's data, checked: a string (of at most `max_chars` characters)."""
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        raise RequestRefused(f"'text' must be a string, got {text!r}"[:200])
    if max_chars is not None and len(text) > max_chars:
        raise RequestRefused(f"a text chunk is {len(text)} characters; the limit is {max_chars}")
    return text


def serve_wyoming(voices: dict, default_voice: str, uri: str = "tcp://127.0.0.1:10200", workers: int = 2, **limits) -> None:
    """Serve the Wyoming protocol at `uri` (tcp://HOST:PORT, unix://PATH or stdio://) until interrupted."""
    _wyoming()
    from wyoming.server import AsyncServer

    if default_voice not in voices:
        raise ValueError(f"default voice {default_voice!r} is not among the loaded voices {sorted(voices)}")
    server = AsyncServer.from_uri(uri)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wyoming")
    print(f"Wyoming server on {uri}", flush=True)
    try:
        asyncio.run(server.run(make_handler_factory(voices, default_voice, executor, **limits)))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
