"""The Wyoming server, spoken to by the `wyoming` package's own client on loopback."""

import asyncio

import numpy as np
from servers import with_wyoming as _with_server
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.info import Describe, Info
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeVoice,
)


async def _audio_until(client, last_type):
    events = []
    while True:
        event = await asyncio.wait_for(client.read_event(), 30)
        events.append(event)
        if event.type == last_type:
            return events


def test_describe_lists_the_voices(tiny_voice):
    async def talk(client):
        await client.write_event(Describe().event())
        return Info.from_event(await asyncio.wait_for(client.read_event(), 30))

    info = asyncio.run(_with_server(tiny_voice, talk))
    program = info.tts[0]
    assert program.supports_synthesize_streaming and [v.name for v in program.voices] == ["tiny"]
    assert program.voices[0].languages == ["en-us"]


def test_synthesize_gives_audio_start_chunks_and_stop(tiny_voice):
    text = "Hello there. How are you today?"

    async def talk(client):
        await client.write_event(Synthesize(text=text, voice=SynthesizeVoice(name="tiny")).event())
        return await _audio_until(client, "audio-stop")

    events = asyncio.run(_with_server(tiny_voice, talk))
    assert AudioStart.is_type(events[0].type) and AudioStop.is_type(events[-1].type)
    chunks = [AudioChunk.from_event(e) for e in events[1:-1]]
    assert len(chunks) > 2 and {(c.rate, c.width, c.channels) for c in chunks} == {(24000, 2, 1)}
    pcm = np.frombuffer(b"".join(c.audio for c in chunks), dtype="<i2")
    expected = np.frombuffer(tiny_voice.synthesize(text).pcm16(), dtype="<i2").astype(int)
    assert len(pcm) == len(expected) and np.abs(pcm - expected).max() <= 4


def test_streaming_synthesis_speaks_clauses_and_ignores_the_compatibility_event(tiny_voice):
    async def talk(client):
        await client.write_event(SynthesizeStart(voice=SynthesizeVoice(name="tiny")).event())
        for piece in ["Hello there, ", "my friend. How are ", "you today?"]:
            await client.write_event(SynthesizeChunk(text=piece).event())
        await client.write_event(Synthesize(text="Hello there, my friend. How are you today?").event())  # ignored
        await client.write_event(SynthesizeStop().event())
        return await _audio_until(client, "synthesize-stopped")

    events = asyncio.run(_with_server(tiny_voice, talk))
    types = [e.type for e in events]
    assert types[0] == "audio-start" and types[-2:] == ["audio-stop", "synthesize-stopped"]
    assert types.count("audio-start") == 1 and types.count("audio-stop") == 1
    seconds = sum(len(AudioChunk.from_event(e).audio) for e in events if e.type == "audio-chunk") / 2 / 24000
    whole = tiny_voice.synthesize("Hello there, my friend. How are you today?").duration
    assert 0.8 * whole < seconds < 1.25 * whole  # spoken once, not twice
    assert SynthesizeStopped.is_type(events[-1].type)


def test_nothing_to_speak_is_a_well_formed_empty_reply(tiny_voice):
    async def talk(client):
        await client.write_event(Synthesize(text="...").event())
        return await _audio_until(client, "audio-stop")

    events = asyncio.run(_with_server(tiny_voice, talk))
    assert [e.type for e in events] == ["audio-start", "audio-stop"]
