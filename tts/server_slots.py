"""The speech server's synthesis slots: at most `max_concurrent` syntheses run at once, in worker threads;
up to `max_queue` more wait (past that, ServerBusy); each stops when its client goes away or it passes its deadline."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

_END = object()
"""The end of a chunk generator (and of the WebSocket reader's messages)."""
LOG = logging.getLogger("tts.server")


class ClientGone(Exception):
    """The client closed its connection: stop synthesizing for it."""


class DeadlinePassed(Exception):
    """A request's synthesis ran past the server's per-request deadline."""


class ServerBusy(Exception):
    pass


class SynthesisSlots:
    """The speech server's `_chunks`. Needs `executor`, `max_queue`, `deadline_s`, `_slots` (a semaphore of
    `max_concurrent`) and `_waiting` (the count of requests waiting for a slot)."""

    async def _chunks(self, make_iterator, gone=lambda: False):
        """Run a chunk generator in a worker thread, one chunk at a time, holding a synthesis slot.

        Before each chunk: `gone()` true (the client left) raises ClientGone, and the deadline
        raises DeadlinePassed; either way the generator is closed and its slot freed."""
        if self._slots.locked() and self._waiting >= self.max_queue:
            raise ServerBusy()
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.deadline_s
        iterator = None
        try:
            iterator = await loop.run_in_executor(self.executor, lambda: iter(make_iterator()))
            while True:
                if gone():
                    raise ClientGone()
                if loop.time() > deadline:
                    raise DeadlinePassed()
                chunk = await loop.run_in_executor(self.executor, next, iterator, _END)
                if chunk is _END:
                    return
                yield chunk
        finally:
            if iterator is not None:
                try:
                    iterator.close()  # the client left or the stream ended: stop the generator
                except ValueError:
                    pass  # a worker is inside it; it stops after that chunk, as nothing asks for more
            self._slots.release()


def _closed(request: web.Request) -> bool:
    """Whether the client's connection is gone (checked between chunks)."""
    transport = request.transport
    return transport is None or transport.is_closing()
