"""Voice-agent latency of the server on loopback: time to first byte against total time for each
response format, and how fast a WebSocket cancel (barge-in) takes effect.

    python benchmarks/voice_agent_latency.py [--voice DIR] [--runs 5]

Each format is requested --runs times, in turns, for the same two-sentence reply; the report gives
median time to first byte, median total time and their ratio (streamed formats: well under 1; formats
sent whole: 1). The cancel test sends a long reply over the WebSocket, sends {"type": "cancel"} at the
first audio, and reports the median time until {"type": "cancelled"} and the audio chunks that arrived
after the cancel was sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

TEXT = "Sure, I can help with that. Your table for four is booked for seven thirty tonight, and I have sent the confirmation to your phone."
LONG = " ".join(f"This is sentence number {i} of a long answer that the user interrupts." for i in range(30))
FORMATS = [("pcm", "audio"), ("wav", "audio"), ("pcm_mulaw", "audio"), ("opus", "audio"), ("aac", "audio"), ("pcm", "sse"), ("mp3", "audio"), ("flac", "audio")]


async def request(session, url: str, response_format: str, stream_format: str) -> tuple[float, float]:
    body = {"input": TEXT, "response_format": response_format, "stream_format": stream_format}
    start = time.perf_counter()
    first = None
    async with session.post(f"{url}/v1/audio/speech", json=body) as response:
        if response.status != 200:
            raise RuntimeError(f"{response_format}/{stream_format}: HTTP {response.status} {await response.text()}")
        async for _ in response.content.iter_chunked(4096):
            first = first if first is not None else time.perf_counter() - start
    return first, time.perf_counter() - start


async def cancel_once(session, url: str) -> tuple[float, int]:
    import aiohttp

    async with session.ws_connect(f"{url}/v1/audio/stream") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "text", "text": LONG})
        await ws.send_json({"type": "flush"})
        while (await ws.receive()).type != aiohttp.WSMsgType.BINARY:
            pass
        sent = time.perf_counter()
        await ws.send_json({"type": "cancel"})
        after = 0
        while True:
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                after += 1
            elif json.loads(message.data)["type"] == "cancelled":
                return time.perf_counter() - sent, after


async def main_async(args) -> None:
    import aiohttp
    from aiohttp import web

    import tts
    from tts.server import SpeechServer

    voice = tts.load(args.voice)
    runner = web.AppRunner(SpeechServer({"default": voice}, "default").app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    results = {key: [] for key in FORMATS}
    try:
        async with aiohttp.ClientSession() as session:
            for key in FORMATS:  # warm-up, not counted
                await request(session, url, *key)
            for _ in range(args.runs):
                for key in FORMATS:
                    results[key].append(await request(session, url, *key))
            cancels = [await cancel_once(session, url) for _ in range(args.runs)]
    finally:
        await runner.cleanup()
    print(f"{args.runs} runs per format, reply of {voice.synthesize(TEXT).duration:.1f} s, {voice.runtime}")
    print(f"{'format':16s} {'first byte':>11s} {'total':>8s} {'ratio':>6s}")
    for (response_format, stream_format), runs in results.items():
        first = statistics.median(r[0] for r in runs)
        total = statistics.median(r[1] for r in runs)
        name = response_format if stream_format == "audio" else f"{response_format} (sse)"
        print(f"{name:16s} {first * 1000:9.0f} ms {total * 1000:6.0f} ms {first / total:6.2f}")
    latency = statistics.median(c[0] for c in cancels)
    print(f"WebSocket cancel: median {latency * 1000:.0f} ms to 'cancelled', chunks after the cancel: {[c[1] for c in cancels]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default=None)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
