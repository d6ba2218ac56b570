"""The servers on loopback for the tests: the speech server (HTTP + WebSocket) and the Wyoming server."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from tts.server import SpeechServer


async def serve_http(voice, **limits):
    """A SpeechServer for `voice` (named "tiny") on a free port: (runner, base URL); clean up the runner."""
    server = SpeechServer({"tiny": voice}, "tiny", chunk_frames=4, **limits)
    runner = web.AppRunner(server.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def with_wyoming(voice, talk, **limits):
    """Run a Wyoming server for `voice` (named "tiny") and return `await talk(client)` with a connected client."""
    from wyoming.client import AsyncTcpClient
    from wyoming.server import AsyncServer

    from tts.wyoming_server import make_handler_factory

    executor = ThreadPoolExecutor(max_workers=2)
    server = AsyncServer.from_uri("tcp://127.0.0.1:0")
    task = asyncio.create_task(server.run(make_handler_factory({"tiny": voice}, "tiny", executor, chunk_frames=8, **limits)))
    while getattr(server, "_server", None) is None:
        await asyncio.sleep(0.01)
    try:
        client = AsyncTcpClient("127.0.0.1", server._server.sockets[0].getsockname()[1])
        await client.connect()
        try:
            return await talk(client)
        finally:
            await client.disconnect()
    finally:
        await server.stop()
        task.cancel()
        executor.shutdown()
