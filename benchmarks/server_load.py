"""Load on the speech server: N concurrent streaming clients on loopback, bounded in count and time.

    python benchmarks/server_load.py [--clients 50] [--rounds 2] [--voice DIR] [--timeout 300]

The server (`tts.server.SpeechServer`, its default limits except a queue as long as the client count)
and the clients share one process on 127.0.0.1. Each client streams its own sentence as PCM from
`/v1/audio/speech`, every client at once, for --rounds rounds. Prints: errors (non-200 answers and
failed connections), cross-talk (a client whose audio is not, within a few 16-bit steps, what
`voice.stream` gives offline for its own text: the server streams, and streamed audio matches whole
synthesis only to float rounding), time to first byte p50/p95, total time, and the process's RSS before the
first round and after the last.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time

import numpy as np


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def client(session, url: str, text: str) -> tuple[int, float, bytes]:
    start = time.perf_counter()
    first = None
    body = b""
    async with session.post(f"{url}/v1/audio/speech", json={"input": text, "response_format": "pcm"}) as response:
        async for piece, _ in response.content.iter_chunks():
            first = first if first is not None else time.perf_counter() - start
            body += piece
        return response.status, first if first is not None else float("nan"), body


async def main_async(args) -> None:
    import aiohttp
    from aiohttp import web

    import tts
    from tts.server import SpeechServer

    voice = tts.load(args.voice)
    texts = [f"Client {i} here: my order number is {1000 + i}, and it ships on day {i % 28 + 1}." for i in range(args.clients)]
    expected = [np.frombuffer(b"".join(chunk.pcm16() for chunk in voice.stream(text)), dtype="<i2").astype(np.int32) for text in texts]
    server = SpeechServer({"default": voice}, "default", max_queue=args.clients)
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    before = rss_mib()
    errors, crosstalk, first_bytes, per_round = 0, 0, [], []
    start = time.perf_counter()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=args.timeout)) as session:
            for _ in range(args.rounds):
                results = await asyncio.gather(*(client(session, url, text) for text in texts), return_exceptions=True)
                for index, result in enumerate(results):
                    if isinstance(result, BaseException) or result[0] != 200:
                        errors += 1
                        continue
                    _, first, body = result
                    first_bytes.append(first)
                    audio = np.frombuffer(body, dtype="<i2").astype(np.int32)
                    if audio.shape != expected[index].shape or np.abs(audio - expected[index]).max() > 4:
                        crosstalk += 1
                per_round.append(rss_mib())
    finally:
        await runner.cleanup()
    elapsed = time.perf_counter() - start
    after = rss_mib()
    p50 = statistics.median(first_bytes) if first_bytes else float("nan")
    p95 = float(np.percentile(first_bytes, 95)) if first_bytes else float("nan")
    print(f"{args.clients} concurrent streaming clients x {args.rounds} rounds on loopback ({voice.runtime})")
    print(f"  errors {errors}, cross-talk {crosstalk}, requests {args.clients * args.rounds}, {elapsed:.1f} s in all")
    print(f"  time to first byte p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"  RSS before {before:.0f} MiB, after each round {', '.join(f'{r:.0f}' for r in per_round)} MiB, at the end {after:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--voice", default=None)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds each round's clients may take in all")
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
