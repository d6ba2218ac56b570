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


def make_handler_factory(voices: dict, default_voice: str, executor: ThreadPoolExecutor, chunk_frames: int = 16):
    """A factory for `wyoming.server.AsyncServer.run`: one `WyomingHandler` per connection."""
    _wyoming()
    from wyoming.server import AsyncEventHandler

    info = info_event(voices)

    class WyomingHandler(AsyncEventHandler):
        def __init__(self, reader, writer):
            super().__init__(reader, writer)
            self.streaming = False
            self.splitter = None
            self.voice = voices[default_voice]
            self.started = False

        async def handle_event(self, event) -> bool:
            from wyoming.info import Describe
            from wyoming.tts import Synthesize, SynthesizeChunk, SynthesizeStart, SynthesizeStop, SynthesizeStopped

            from text.incremental import IncrementalClauseSplitter

            if Describe.is_type(event.type):
                await self.write_event(info)
            elif Synthesize.is_type(event.type):
                if self.streaming:
                    return True  # the whole text again, for servers without streaming: already spoken
                request = Synthesize.from_event(event)
                self.voice = self._voice(request.voice)
                await self._speak([request.text], whole=True)
                await self._stop_audio()
            elif SynthesizeStart.is_type(event.type):
                self.streaming, self.splitter = True, IncrementalClauseSplitter()
                self.voice = self._voice(SynthesizeStart.from_event(event).voice)
            elif SynthesizeChunk.is_type(event.type) and self.streaming:
                await self._speak(self.splitter.push(SynthesizeChunk.from_event(event).text))
            elif SynthesizeStop.is_type(event.type) and self.streaming:
                await self._speak(self.splitter.flush())
                await self._stop_audio()
                await self.write_event(SynthesizeStopped().event())
                self.streaming = False
            return True

        def _voice(self, requested):
            name = getattr(requested, "name", None)
            if name and name not in voices:
                LOG.info("unknown voice %r asked for; speaking with %r", name, default_voice)
            return voices.get(name, voices[default_voice]) if name else voices[default_voice]

        async def _speak(self, texts, whole: bool = False) -> None:
            from wyoming.audio import AudioChunk, AudioStart

            loop = asyncio.get_running_loop()
            rate = self.voice.sample_rate
            for text in texts:
                # A whole text is spoken sentence by sentence; streamed clauses get edge fades.
                make = partial(self.voice.stream, text, chunk_frames) if whole else partial(self.voice.stream_clause, text, 0, chunk_frames)
                iterator = await loop.run_in_executor(executor, lambda: iter(_quiet(make)))
                while (chunk := await loop.run_in_executor(executor, next, iterator, None)) is not None:
                    if not self.started:
                        await self.write_event(AudioStart(rate=rate, width=2, channels=1).event())
                        self.started = True
                    await self.write_event(AudioChunk(rate=rate, width=2, channels=1, audio=chunk.pcm16()).event())

        async def _stop_audio(self) -> None:
            from wyoming.audio import AudioStart, AudioStop

            if not self.started:  # nothing to say: still a well-formed (empty) reply
                await self.write_event(AudioStart(rate=self.voice.sample_rate, width=2, channels=1).event())
            await self.write_event(AudioStop().event())
            self.started = False

    return WyomingHandler


def _quiet(make):
    """Run a synthesis generator; text with nothing to speak yields no audio instead of an error."""
    try:
        yield from make()
    except ValueError as error:
        LOG.info("nothing spoken: %s", error)


def serve_wyoming(voices: dict, default_voice: str, uri: str = "tcp://127.0.0.1:10200", workers: int = 2) -> None:
    """Serve the Wyoming protocol at `uri` (tcp://HOST:PORT, unix://PATH or stdio://) until interrupted."""
    _wyoming()
    from wyoming.server import AsyncServer

    if default_voice not in voices:
        raise ValueError(f"default voice {default_voice!r} is not among the loaded voices {sorted(voices)}")
    server = AsyncServer.from_uri(uri)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wyoming")
    print(f"Wyoming server on {uri}", flush=True)
    try:
        asyncio.run(server.run(make_handler_factory(voices, default_voice, executor)))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
