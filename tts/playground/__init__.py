"""The playground of `tts serve`: `GET /` is one page for trying voices (plain HTML, JS and CSS in this
folder; no build step, nothing from the network). Audio streams over the WebSocket `/v1/audio/stream`.

Only the files named in `FILES` are served, from memory, read once when the routes are made: a path
is a key in that table, never a path on disk, so no request can reach another file or list the folder.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

FILES = {"index.html": "text/html", "app.js": "text/javascript", "style.css": "text/css"}
"""The files served under /playground/ (and index.html at /), with their content types."""

HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    # Everything the page loads comes from this server; the WebSocket is the only connection it opens.
    "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'",
}


def routes() -> list:
    """aiohttp routes for `GET /` and `GET /playground/{name}`."""
    folder = Path(__file__).parent
    bodies = {name: (folder / name).read_bytes() for name in FILES}

    def respond(name: str) -> web.Response:
        return web.Response(body=bodies[name], content_type=FILES[name], charset="utf-8", headers=HEADERS)

    async def page(request: web.Request) -> web.Response:
        return respond("index.html")

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in bodies:
            raise web.HTTPNotFound(text="not found")
        return respond(name)

    return [web.get("/", page), web.get("/playground/{name}", asset)]
