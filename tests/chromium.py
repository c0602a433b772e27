"""Headless Chromium (Debian's package) for the tests that need a real browser."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO

import pytest

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

# As root, without a display, a GPU or the network: nothing but the page under test.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT = 60


def run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run Chromium once (``--print-to-pdf``…) with a new empty profile, to its end."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip


class Output:
    """The lines a process writes to a stream, read by a thread as they come (so that the
    process never blocks on a full pipe, and a wait for a line has a deadline)."""

    def __init__(self, stream: IO[str]) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")  # the end

    def _next(self, timeout: float) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no line within {timeout} s after: {self.seen}")
        self.seen.append(line)
        return line

    def until(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first match of ``pattern`` in the lines still to come."""
        while line := self._next(timeout):
            if found := re.search(pattern, line):
                return found
        pytest.fail(f"the process ended without {pattern!r}: {self.seen}")

    def rest(self, timeout: float = TIMEOUT) -> str:
        """The lines still to come, up to the process's end."""
        lines = []
        while line := self._next(timeout):
            lines.append(line)
        return "".join(lines)


def end_group(process: subprocess.Popen[str]) -> None:
    """End a process started with ``start_new_session=True``, and whatever it started."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=TIMEOUT)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def devtools() -> Iterator[int]:
    """A Chromium showing ``about:blank``, driven through its DevTools port (yielded); ended
    with all its processes when the block ends."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--window-size=1280,800", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        try:
            assert browser.stderr is not None
            found = Output(browser.stderr).until(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/")
            yield int(found.group(1))
        finally:
            end_group(browser)
