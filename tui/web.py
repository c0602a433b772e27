"""The review screen served to a browser on this computer (``carnet serve``).

textual-serve runs the command it is given once per browser connection (one review screen per
tab) and relays it over a websocket. It has no access control: anything that reaches its port
could run the TUI as this participant. So it listens on 127.0.0.1 only, and every path lives
under a random token (``/<token>/``, its page, websocket and static files alike): a request
that does not start with it is refused (403). The token is in the path rather than the query
because textual.js appends its own ``?width=…`` to the websocket's address.

A module of its own, imported by the command alone: asyncio, aiohttp and textual-serve would
slow down every other command of ``carnet``.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import webbrowser
from asyncio.subprocess import Process
from typing import Any, ClassVar

import textual_serve.server
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from store.errors import CarnetError
from store.i18n import _

HOST = "127.0.0.1"
# What the page may load: its own files and its websocket. textual-serve's page also asks
# Google for a font: refused, so that opening the notebook tells nobody outside.
CONTENT_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self' {websocket}; "
    "frame-ancestors 'none'"
)
# How long the websockets' screens get to quit on Ctrl+C before they are cancelled.
SHUTDOWN_SECONDS = 3.0


async def serve(command: str, token: str, port: int, *, open_browser: bool) -> None:
    """Serve ``command`` on 127.0.0.1 under ``/<token>/`` until cancelled (Ctrl+C)."""
    server = _token_server(command, token)
    runner = web.AppRunner(
        await server.make_app(), access_log=None, handle_signals=False,
        shutdown_timeout=SHUTDOWN_SECONDS,
    )  # fmt: skip
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, HOST, port).start()
        except OSError as error:
            raise _listen_error(port, error) from None
        server.listening_on(runner.addresses[0][1])
        print(_("Carnet is served at {url} (Ctrl+C to stop)").format(url=server.url), flush=True)
        if open_browser:
            webbrowser.open(server.url)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await _screens_ended()


class _KnownAppService(AppService):
    """textual-serve's runner of one screen, whose process is remembered until it has ended.

    On Ctrl+C the server's handlers are cancelled while their screens are still quitting; a
    screen's process that ended after the event loop closed made asyncio print a traceback
    ("Loop ... that handles pid ... is closed"). The server waits for them (``_screens_ended``).
    """

    processes: ClassVar[set[Process]] = set()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        process = await super()._open_app_process(width, height)
        self.processes.add(process)
        return process


# textual-serve makes its runners from this name (the version is pinned in pyproject).
textual_serve.server.AppService = _KnownAppService  # type: ignore[attr-defined]


async def _screens_ended() -> None:
    """Wait for every screen's process to end (killed after ``SHUTDOWN_SECONDS``), and let the
    loop take in their ends, before it closes."""
    for process in list(_KnownAppService.processes):
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), SHUTDOWN_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
        _KnownAppService.processes.discard(process)
    await asyncio.sleep(0)  # the pipes' last reads and closes


def _listen_error(port: int, error: OSError) -> CarnetError:
    if error.errno == errno.EADDRINUSE:
        return CarnetError(
            _("port {port} is already in use: choose another with --port, or leave it out").format(
                port=port
            )
        )
    return CarnetError(
        _("cannot listen on {host}:{port}: {reason}").format(
            host=HOST, port=port, reason=error.strerror
        )
    )


def _token_server(command: str, token: str) -> Any:
    """textual-serve's server, its application mounted under ``/<token>`` behind a check of it."""
    token_bytes = token.encode("ascii")

    @web.middleware
    async def check_token(request: web.Request, handler: Any) -> web.StreamResponse:
        """Refuse (403) any request whose path does not start with the token; the comparison
        takes the same time whatever the path holds, so that it cannot be guessed by timing."""
        first = request.path.partition("/")[2].partition("/")[0].encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(first, token_bytes):
            raise web.HTTPForbidden(text=_("Forbidden: this address needs its token."))
        response: web.StreamResponse = await handler(request)
        if not response.prepared:  # a websocket's answer has gone out already
            # The token is in the address: no page elsewhere learns it from a Referer header.
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("Content-Security-Policy", server.content_policy)
        return response

    class TokenServer(Server):
        content_policy = ""

        @property
        def url(self) -> str:
            return f"{self.public_url}/{token}/"

        def listening_on(self, port: int) -> None:
            """Set the addresses the page gives the browser, once the port is known."""
            self.port = port
            self.public_url = f"http://{HOST}:{port}"
            self.content_policy = CONTENT_POLICY.format(websocket=f"ws://{HOST}:{port}")

        async def on_startup(self, app: web.Application) -> None:
            """Its banner is in English and names the command: ``serve`` prints the URL."""

        async def make_app(self) -> web.Application:
            # textual-serve builds its application in a private method (pinned in pyproject).
            outer = web.Application(middlewares=[check_token])
            outer.add_subapp(f"/{token}", await self._make_app())
            return outer

    server = TokenServer(command, host=HOST, title="Carnet")
    return server
