"""The screen shown while the notebook opens: at once, so that nobody waits before a blank
terminal, with a progress bar when the notebook has to be read file by file (no cache yet,
after a large merge) or while other long work runs."""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from textual.app import App, ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from store.progress import Progress


class LoadingScreen(Screen[None]):
    """A line saying what is being done, and a bar once the work says how far it has gone."""

    DEFAULT_CSS = """
    LoadingScreen Label {
        width: 100%;
        content-align: center middle;
        margin-bottom: 1;
    }
    LoadingScreen ProgressBar {
        display: none;
    }
    LoadingScreen ProgressBar.-counting {
        display: block;
    }
    """

    def __init__(self, words: str) -> None:
        super().__init__(id="loading")
        self.words = words

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(self.words, id="loading-words", markup=False)
            yield ProgressBar(id="loading-bar", show_eta=False)

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar to ``done`` of ``total`` (shown from the first report on)."""
        bar = self.query_one(ProgressBar)
        bar.add_class("-counting")
        bar.update(total=total, progress=done)


class ShowsProgress(Protocol):
    """A screen with a progress bar: ``show_progress(done, total)`` moves it."""

    @property
    def app(self) -> App[Any]: ...

    def show_progress(self, done: int, total: int) -> None: ...


def threaded_progress(screen: ShowsProgress) -> Progress:
    """A ``Progress`` for work in a thread that moves ``screen``'s bar, on the screen's thread.

    Only a change of a whole percent is sent across: a load reports hundreds of folders.
    """
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = done * 100 // total if total > 0 else 0
        if percent != shown:
            shown = percent
            # Once the app has ended there is nobody to show it to: the work goes on all the same.
            with contextlib.suppress(RuntimeError):
                screen.app.call_from_thread(screen.show_progress, done, total)

    return progress
