"""Every use of textual-serve's internals, in one place (SPEC §10, PITFALLS "textual-serve").

textual-serve 1.1.3 has no authentication and chooses one command for every browser tab.
Its `Server` is subclassed here so that each page, websocket and download asks for a
seat's token, and each websocket starts the app bound to the seat its token names.

What this module relies on, beyond textual-serve's documented `Server(title=...)`:

- `Server.__init__` sets `download_manager`, `statics_path`, `templates_path`, `title`;
- `Server._make_app` is where routes are made (replaced whole here, same route names);
- `Server._process_messages(websocket, app_service)` pumps the browser's messages;
- `Server.handle_download(request)` streams a download by `match_info["key"]`;
- `AppService(command, write_bytes=, write_str=, close=, download_manager=, debug=)`,
  with `start(width, height)`, `stop()` and `app_service_id`; `start` runs the app
  process's output through `self.run()` as a task, which `SeatAppService` extends, and
  `close` is kept as `remote_close`;
- `DownloadManager.get_download_metadata(key)` (KeyError when unknown), whose result
  has `app_service`;
- the page template `app_index.html` (its `<head>`, Google Fonts link and "Session
  ended." are patched)
  and its context (`font_size`, `app_websocket_url`, `config.static.url`,
  `application.name`);
- textual.js: it opens `app_websocket_url + "?width=…"`, and fetches a download from
  `/download/KEY?instance=ID` where ID is the last `["instance_id", ID]` the server sent.

`check_internals()` asserts all of that and the pinned version; `tests/test_serve.py`
calls it, so an upgrade that moves any of it fails loudly there, by name.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import secrets
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

#: The textual-serve this module was written against (pyproject pins the same).
TEXTUAL_SERVE_VERSION = "1.1.3"

#: What every refused request gets: one plain line, nothing about the server.
REFUSAL = "Forbidden: this link is not valid. Ask the host for your invite link.\n"

#: The parts of textual-serve's page template that `_template` changes.
_HEAD = "<head>"
_FONTS = """    <link
      rel="stylesheet"
      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"
    />
"""

_ENDED = '<div class="message">Session ended.</div>'
#: What a tab says when its app quit or the server stopped (the websocket closed).
ENDED = (
    "Session ended: the app was closed, or the alliance-tui server stopped. Words left in an "
    "open line editor are kept as their writer's private draft, as are an unfinished blind-round "
    "answer and check-in note; nothing else left open was saved. Restart opens the app again "
    "while the server runs; once it has stopped, ask the host for a new link."
)

#: Headers on every page: never cached, never framed, the link never sent on as a referrer.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


@dataclass(frozen=True)
class Invite:
    """One seat's way in: whom it acts as, and the secret its link carries."""

    name: str
    token: str


def new_token() -> str:
    """A fresh token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def refuse() -> web.Response:
    return web.Response(status=403, text=REFUSAL, content_type="text/plain", headers=_PAGE_HEADERS)


def _template(templates_path: Path) -> str:
    """textual-serve's page, with the page title set, no font fetched from Google, and a
    plainer sentence when the session ends.

    The title is the product and the alliance (`Server.title`), escaped by Jinja; the
    font is in textual-serve's own static files already.
    """
    text = (templates_path / "app_index.html").read_text(encoding="utf-8")
    if _HEAD not in text or _FONTS not in text or _ENDED not in text:
        raise RuntimeError(f"textual-serve's page template changed (expected {TEXTUAL_SERVE_VERSION})")
    text = text.replace(_FONTS, "").replace(_ENDED, f'<div class="message">{ENDED}</div>')
    return text.replace(_HEAD, f"{_HEAD}\n    <title>{{{{ application.name }}}}</title>", 1)


class SeatAppService(AppService):
    """One tab's app process, whose tab is told when the process ends by itself.

    textual-serve closes a tab only when its app says "exit" as it leaves; an app process
    that ends without a word (killed, or refused before it started: a seat that no longer
    exists) would leave its tab open on the last frame, saying nothing (issue 12).
    """

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            await self.remote_close()


class SeatServer(Server):
    """textual-serve's server, with a seat per token and a command per seat.

    Routes: `/s/TOKEN` (the page), `/s/TOKEN/ws` (its websocket), `/download/KEY` (with
    the connection's own `instance` secret), `/static/…` (textual-serve's JS and CSS,
    the same for everyone). Anything else, and any of these without a valid token, is a
    403 with one plain line.
    """

    def __init__(
        self,
        invites: Sequence[Invite],
        command: Callable[[Invite], str],
        title: Callable[[], str],
        host: str,
        port: int,
    ) -> None:
        super().__init__(command="alliance-tui", host=host, port=port, title="alliance-tui")
        self.invites = tuple(invites)
        self.command_for = command
        self.title_now = title
        #: Each live connection's download secret, by `AppService.app_service_id`.
        self._instances: dict[str, str] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._stop = asyncio.Event()

    # -- who is asking -----------------------------------------------------------------------

    def invite_for(self, presented: str) -> Invite | None:
        """The seat a token names, or None; every token is compared, in constant time."""
        found = None
        given = presented.encode("utf-8", "replace")
        for invite in self.invites:
            if hmac.compare_digest(given, invite.token.encode("ascii")):
                found = invite
        return found

    # -- routes ------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application()
        loader = jinja2.DictLoader({"app_index.html": _template(self.templates_path)})
        aiohttp_jinja2.setup(app, loader=loader, autoescape=True)
        app.add_routes(
            [
                web.get("/s/{token}", self.handle_index, name="index"),
                web.get("/s/{token}/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
                web.route("*", "/{tail:.*}", self.handle_other, name="other"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_other(self, request: web.Request) -> web.StreamResponse:
        return refuse()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if self.invite_for(token) is None:
            return refuse()
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
        socket_url = f"{'wss' if secure else 'ws'}://{request.host}/s/{token}/ws"
        context = {
            "font_size": _font_size(request.query.get("fontsize", "16")),
            "app_websocket_url": socket_url,
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title_now()},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update(_PAGE_HEADERS)
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A download only for the connection that made it (its `instance` secret)."""
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            return refuse()
        expected = self._instances.get(download.app_service.app_service_id)
        presented = request.query.get("instance", "").encode("utf-8", "replace")
        if expected is None or not hmac.compare_digest(presented, expected.encode("ascii")):
            return refuse()
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser tab: the app, bound to the seat its token names, in a process of its own."""
        invite = self.invite_for(request.match_info["token"])
        if invite is None:
            raise web.HTTPForbidden(text=REFUSAL, content_type="text/plain")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width", "80"), 80, 2, 1000)
        height = _int(request.query.get("height", "24"), 24, 2, 1000)
        await websocket.prepare(request)
        self._sockets.add(websocket)
        app_service: AppService | None = None

        async def close() -> None:
            await websocket.close()

        try:
            app_service = SeatAppService(
                self.command_for(invite),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=False,
            )
            instance = secrets.token_urlsafe(16)
            self._instances[app_service.app_service_id] = instance
            await websocket.send_json(["instance_id", instance])
            await app_service.start(width, height)
            await self._process_messages(websocket, app_service)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            self._sockets.discard(websocket)
            if app_service is not None:
                await app_service.stop()
                self._instances.pop(app_service.app_service_id, None)
            await websocket.close()
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab's connection: each page then shows that its session ended."""
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"The alliance-tui server stopped.")

    # -- running -----------------------------------------------------------------------------

    def stop(self) -> None:
        self._stop.set()

    async def run(self, ready: Callable[[int], None]) -> None:
        """Listen, call `ready(port)` once listening, and serve until SIGINT/SIGTERM.

        An address that cannot be listened on raises OSError before `ready`.
        """
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port, shutdown_timeout=5.0)
            await site.start()
            port = int(runner.addresses[0][1])
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, self.stop)
            ready(port)
            await self._stop.wait()
        finally:
            await runner.cleanup()


def _int(text: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(text)))
    except ValueError:
        return default


def _font_size(text: str) -> int:
    return _int(text, 16, 6, 64)


def check_internals() -> None:
    """Fail loudly, by name, when textual-serve is not the one this module was written for."""
    found = version("textual-serve")
    if found != TEXTUAL_SERVE_VERSION:
        raise RuntimeError(f"textual-serve {found}: serve_web.py was written for {TEXTUAL_SERVE_VERSION}")
    server = Server("true", title="t")
    for attribute in ("download_manager", "statics_path", "templates_path", "title"):
        if not hasattr(server, attribute):
            raise RuntimeError(f"textual-serve's Server has no {attribute!r} any more")
    for method, parameters in {
        "_make_app": [],
        "_process_messages": ["websocket", "app_service"],
        "handle_download": ["request"],
        "handle_websocket": ["request"],
    }.items():
        if list(inspect.signature(getattr(Server, method)).parameters)[1:] != parameters:
            raise RuntimeError(f"textual-serve's Server.{method} changed its parameters")
    service = inspect.signature(AppService.__init__).parameters
    for name in ("command", "write_bytes", "write_str", "close", "download_manager", "debug"):
        if name not in service:
            raise RuntimeError(f"textual-serve's AppService takes no {name!r} any more")
    for name in ("start", "stop", "run"):
        if not callable(getattr(AppService, name, None)):
            raise RuntimeError(f"textual-serve's AppService has no {name}() any more")
    if "self.run()" not in inspect.getsource(AppService.start):
        raise RuntimeError("textual-serve's AppService.start no longer runs self.run(): see SeatAppService")
    if "self.remote_close = close" not in inspect.getsource(AppService.__init__):
        raise RuntimeError("textual-serve's AppService keeps `close` no more as remote_close")
    if not callable(getattr(DownloadManager, "get_download_metadata", None)):
        raise RuntimeError("textual-serve's DownloadManager has no get_download_metadata() any more")
    _template(server.templates_path)
    script = (server.statics_path / "js" / "textual.js").read_text(encoding="utf-8")
    for needle in (
        'this.websocket_url+"?width="',
        'case"instance_id":this.instance=s',
        "/download/${i}${r}",
        "`?instance=${this.instance}`",
    ):
        if needle not in script:
            raise RuntimeError(f"textual-serve's textual.js changed: {needle!r} is gone")


def serve_forever(server: SeatServer, ready: Callable[[int], None]) -> None:
    """Run `server` in a fresh event loop until it is stopped (ctrl+c, SIGTERM)."""
    asyncio.run(server.run(ready))


__all__ = [
    "Invite",
    "SeatAppService",
    "SeatServer",
    "check_internals",
    "new_token",
    "serve_forever",
    "REFUSAL",
]
