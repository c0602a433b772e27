"""How far long work has gone, told to whoever shows it: a progress bar, a line on a terminal.

Work that takes seconds on a large notebook (reading every file when there is no cache yet)
calls ``report(done, total)`` as it goes. It does not know who listens: whoever starts the work
installs a ``Progress`` callback with ``reporting`` for as long as it runs, in its own thread
(a context variable), so that the layers between them need not pass it along. With nobody
listening, ``report`` does nothing.

Work made of stages (``carnet join``: the copy, its files written, the notebook read) names
each with ``stage(label)``, and the reports that follow count within it; ``stage(None)`` goes
back to the work itself, under the label its listener was given. Only a listener installed
with ``stages`` hears the names; to the others, a new stage is a count starting again.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TextIO

Progress = Callable[[int, int], None]
"""Called with the units of work done so far and the units there are in all."""
Stages = Callable[[str | None], None]
"""Called with the name of the stage the work enters, or None when it is back to itself."""

_listener: ContextVar[Progress | None] = ContextVar("progress", default=None)
_stages: ContextVar[Stages | None] = ContextVar("progress_stages", default=None)


@contextlib.contextmanager
def reporting(progress: Progress, stages: Stages | None = None) -> Iterator[None]:
    """Send what ``report`` is told, in this thread, to ``progress`` until the block ends,
    and the names of its stages to ``stages``."""
    token, stages_token = _listener.set(progress), _stages.set(stages)
    try:
        yield
    finally:
        _stages.reset(stages_token)
        _listener.reset(token)


def report(done: int, total: int) -> None:
    """Tell whoever listens that ``done`` units of ``total`` are done."""
    listener = _listener.get()
    if listener is not None:
        listener(done, total)


def stage(label: str | None) -> None:
    """Tell whoever listens that the reports that follow are of the stage named ``label``, or,
    None, of the work itself again."""
    listener = _stages.get()
    if listener is not None:
        listener(label)


class TerminalLine:
    """A ``Progress`` that rewrites one line of a terminal: ``label  42 %``, the label of the
    stage the work is in (``stage``) when it has stages.

    Nothing at all when the stream is not a terminal (piped, in a file, in a script): the
    output stays what it was. ``close`` ends the line once the work is done.
    """

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.work = self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.shown = -1  # the percentage last written: a line only when it changes
        self.width = 0  # of the text last written: a shorter one is padded over it
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent != self.shown:
            self.shown = percent
            text = f"{self.label}  {percent:3d} %"
            self.stream.write(f"\r{text}{' ' * (self.width - len(text))}")
            self.width = len(text)
            self.stream.flush()

    def stage(self, label: str | None) -> None:
        """Show the stage named ``label`` (None: the work's own label) from the next report."""
        self.label = self.work if label is None else label
        self.shown = -1

    def close(self) -> None:
        if self.active and self.shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


@contextlib.contextmanager
def on_terminal(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show the progress of the work in the block as a ``TerminalLine`` (a terminal only)."""
    line = TerminalLine(label, stream)
    try:
        with reporting(line, line.stage):
            yield
    finally:
        line.close()
