"""How far long work has gone, told to whoever shows it: a progress bar, a line on a terminal.

Work that takes seconds on a large notebook (reading every file when there is no cache yet)
calls ``report(done, total)`` as it goes. It does not know who listens: whoever starts the work
installs a ``Progress`` callback with ``reporting`` for as long as it runs, in its own thread
(a context variable), so that the layers between them need not pass it along. With nobody
listening, ``report`` does nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TextIO

Progress = Callable[[int, int], None]
"""Called with the units of work done so far and the units there are in all."""

_listener: ContextVar[Progress | None] = ContextVar("progress", default=None)


@contextlib.contextmanager
def reporting(progress: Progress) -> Iterator[None]:
    """Send what ``report`` is told, in this thread, to ``progress`` until the block ends."""
    token = _listener.set(progress)
    try:
        yield
    finally:
        _listener.reset(token)


def report(done: int, total: int) -> None:
    """Tell whoever listens that ``done`` units of ``total`` are done."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total)


class TerminalLine:
    """A ``Progress`` that rewrites one line of a terminal: ``label  42 %``.

    Nothing at all when the stream is not a terminal (piped, in a file, in a script): the
    output stays what it was. ``close`` ends the line once the work is done.
    """

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.shown = -1  # the percentage last written: a line only when it changes
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent != self.shown:
            self.shown = percent
            self.stream.write(f"\r{self.label}  {percent:3d} %")
            self.stream.flush()

    def close(self) -> None:
        if self.active and self.shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


@contextlib.contextmanager
def on_terminal(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show the progress of the work in the block as a ``TerminalLine`` (a terminal only)."""
    line = TerminalLine(label, stream)
    try:
        with reporting(line):
            yield
    finally:
        line.close()
