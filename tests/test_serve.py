"""``carnet serve``: the review screen in a real browser, on 127.0.0.1, behind its token."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import aiohttp
import pytest
from chromium import TIMEOUT, Output, devtools, end_group, needs_chromium

from store import Notebook
from store.demo import build_demo
from tui.cli.serve import tui_command

URL = r"http://127\.0\.0\.1:(\d+)/([A-Za-z0-9_-]{20,})/"
# What textual-serve's page and the review screen's first frame need at most to arrive.
FRAME_SECONDS = 45
ESCAPES = re.compile(r"\x1b\[[0-9;?$]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>]")


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serving(root: Path, *more: str) -> subprocess.Popen[str]:
    with ctrl_c_not_ignored():
        return subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "-C", str(root), "serve", "--no-browser", *more],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # its own group: Ctrl+C reaches it and its screens
        )  # fmt: skip


@contextmanager
def ctrl_c_not_ignored() -> Iterator[None]:
    """The program started in this block gets Ctrl+C as a terminal's foreground program does.

    A shell without job control starts its background commands with Ctrl+C ignored, and what
    they start inherits it, Python included (it then raises no KeyboardInterrupt): the suite
    launched that way would otherwise see a server that Ctrl+C cannot stop. A handler of this
    process, unlike an ignored signal, is not inherited: the server gets the default one.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def serving(root: Path) -> Iterator[tuple[str, subprocess.Popen[str], Output]]:
    """``carnet serve`` on ``root`` and a free port: the address it prints, the process and
    the rest of what it prints (ended, with the screens it started, when the block ends)."""
    server = start_serving(root, "--port", str(free_port()))
    try:
        assert server.stdout is not None
        output = Output(server.stdout)
        yield output.until(URL).group(0), server, output
    finally:
        end_group(server)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def screen_text(frames: bytes) -> str:
    """What the terminal frames show, escape sequences removed."""
    return ESCAPES.sub("", frames.decode("utf-8", "replace"))


def test_a_request_without_the_right_token_is_refused(notebook: Notebook) -> None:
    with serving(notebook.root) as (url, _server, _output):
        port, token = re.fullmatch(URL, url).groups()  # type: ignore[union-attr]
        site = f"http://127.0.0.1:{port}"
        wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
        for path in ("/", "/ws", "/static/js/textual.js", "/static/", f"/{wrong}/",
                     f"/{wrong}/ws", f"/{wrong}/static/js/textual.js", f"/x{token}/",
                     f"/{token[:-1]}/", "/%C3%A9/"):  # fmt: skip
            assert status_of(site + path) == 403, path
        assert status_of(url) == 200
        assert status_of(f"{url}static/js/textual.js") == 200
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            page = response.read().decode()
            assert response.headers["Referrer-Policy"] == "no-referrer"
        # The page sends the browser's websocket under the token too.
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/{token}/ws"' in page


async def test_a_websocket_without_the_token_is_refused(notebook: Notebook) -> None:
    with serving(notebook.root) as (url, _server, _output):
        port = re.fullmatch(URL, url).group(1)  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
        assert refused.value.status == 403


def test_it_listens_on_127_0_0_1_only(notebook: Notebook) -> None:
    with serving(notebook.root) as (url, _server, _output):
        port = int(re.fullmatch(URL, url).group(1))  # type: ignore[union-attr]
        # Every address of 127.0.0.0/8 is this machine: a server bound to all addresses (or to
        # the loopback network) would answer on 127.0.0.2 too.
        with closing(socket.socket()) as other, pytest.raises(ConnectionRefusedError):
            other.settimeout(TIMEOUT)
            other.connect(("127.0.0.2", port))
        tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
        if not tables[0].exists():
            return  # not Linux: the connection above is the check
        listening = [
            fields[1]
            for table in tables if table.exists()
            for fields in (line.split() for line in table.read_text().splitlines()[1:])
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A"  # LISTEN
        ]  # fmt: skip
        assert listening == [f"0100007F:{port:04X}"]


@needs_chromium
async def test_the_browser_shows_the_review_screen(tmp_path: Path) -> None:
    """The page loads, its websocket connects, and the review screen's first frame arrives."""
    root = build_demo(tmp_path / "demo")
    with Notebook(root) as notebook:
        title = notebook.info.title
    with serving(root) as (url, _server, _output), devtools() as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as r:
            page = next(target for target in json.load(r) if target["type"] == "page")
        shown = await _frames_until(page["webSocketDebuggerUrl"], url, title)
    assert title in shown
    assert "non lue" in shown  # the status bar, in French


async def _frames_until(debugger: str, url: str, title: str) -> str:
    """Open ``url`` in the browser of ``debugger``; what its websocket's frames show once the
    screen has drawn ``title`` and the status bar (or the time is up)."""
    frames = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(debugger, max_msg_size=0) as browser,
    ):
        await browser.send_json({"id": 1, "method": "Network.enable"})
        await browser.send_json({"id": 2, "method": "Page.navigate", "params": {"url": url}})
        loop_time = asyncio.get_running_loop().time
        deadline = loop_time() + FRAME_SECONDS
        while loop_time() < deadline:
            event = await browser.receive_json(timeout=deadline - loop_time())
            if event.get("method") != "Network.webSocketFrameReceived":
                continue
            response = event["params"]["response"]
            if response["opcode"] == 2:  # binary: the terminal's bytes, in base64
                frames += base64.b64decode(response["payloadData"])
            shown = screen_text(frames)
            if title in shown and "non lue" in shown:
                break
    return screen_text(frames)


async def read_until_closed(screen: aiohttp.ClientWebSocketResponse) -> None:
    """Read ``screen``'s messages until the server closes it (its close answered)."""
    while not screen.closed:
        await screen.receive()


# Ctrl+C at once, while the screen starts, and once it has started: a screen's process that
# ended after the server's event loop closed made asyncio print a traceback.
@pytest.mark.parametrize("after", [0.0, 0.3, 1.0])
async def test_ctrl_c_stops_it_with_one_line(notebook: Notebook, after: float) -> None:
    """Ctrl+C reaches the whole group, as in a terminal: the server and a connected screen."""
    with serving(notebook.root) as (url, server, output):
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(
                url.replace("http://", "ws://") + "ws?width=100&height=30"
            ) as screen,
        ):
            first = await screen.receive(timeout=FRAME_SECONDS)
            assert first.type == aiohttp.WSMsgType.BINARY
            await asyncio.sleep(after)
            # The screen keeps reading, as a browser's does: the server's closing handshake
            # is answered while this test waits for the server to end.
            reading = asyncio.create_task(read_until_closed(screen))
            os.killpg(server.pid, signal.SIGINT)
            await asyncio.to_thread(server.wait, TIMEOUT)
            await asyncio.wait_for(reading, TIMEOUT)
        assert server.returncode == 0
        assert output.rest() == "Arrêté : le carnet n'est plus servi au navigateur.\n"
        assert server.stderr is not None and server.stderr.read() == ""
        # Its screens quit too (the one connected had begun to start: it takes a moment).
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("a screen outlived carnet serve")


def test_a_port_in_use_is_one_line(notebook: Notebook) -> None:
    with closing(socket.socket()) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start_serving(notebook.root, "--port", str(port))
        out, err = server.communicate(timeout=TIMEOUT)
    assert server.returncode == 1
    assert out == ""
    assert err == (
        f"carnet : le port {port} est déjà pris : choisissez-en un autre avec --port, "
        "ou ne le précisez pas\n"
    )


@pytest.mark.parametrize("language", [None, "en"])
def test_each_connection_runs_the_review_screen_of_the_same_notebook(
    tmp_path: Path, language: str | None
) -> None:
    """A folder's name is never read by the shell (textual-serve runs the command through it)."""
    folder = tmp_path / 'l\'équipe $(touch pwned) ; `id` & "x"'
    words = shlex.split(tui_command(folder, language))
    lang = ["--lang", language] if language else []
    assert words == [sys.executable, "-m", "tui.cli", "-C", str(folder), *lang, "open"]
