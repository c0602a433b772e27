"""Time the review TUI on a large notebook: start to first frame, and one cursor step.

    python -m bench.tui_bench [--entries 10000] [--path DIR]

Each figure is printed beside a baseline measured in the same run: a bare Textual app showing
one ``Static``, so that the part due to Carnet stands apart from Textual's own cost. The app
is started as ``carnet`` starts it, from the notebook's folder, with its listing on disk up to
date (written first, as ``carnet list`` leaves it): its first screen (the loading screen, keys
already answered) is drawn at once; the first frame is the one where the list holds its
entries, drawn from the listing while the notebook opens in a thread with its cache, against
the bare app that reads the same listing (its frame and the ``git status`` that says it is up
to date: the floor of that frame); the list is complete (comments, readings: the review
screen) once the notebook is open, against the bare app that loads the same cache with
``marshal`` (the floor of any open).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from bench.generate import Sizes, generate
from store import cache, listing
from store.layout import TABLES
from store.notebook import Notebook

SIZE = (120, 40)
STEPS = 100
WORKERS_SETTLE = 0.05  # seconds for a worker's end to start the ones that follow it
# A terminal repeats a held key about 30 times a second.
KEY_REPEAT = 0.033
# Seconds of rest after a key, beyond the screen's delay before it draws the entry.
REST_MARGIN = 0.05
REST_STEPS = 30


class Bare(App[None]):
    """The baseline: a Textual app with one line of text and a footer."""

    def compose(self) -> ComposeResult:
        yield Static("baseline")
        yield Footer()


async def time_app(
    make_app: Callable[[], App[None]],
    steps: int,
    ready: Callable[[App[None]], bool],
    rest: float,
    complete: Callable[[App[None]], bool] | None = None,
) -> dict[str, float]:
    """Seconds from ``make_app()`` to the first frame where ``ready``, then a cursor step's cost.

    The clock starts before ``make_app`` is called, so whatever it does (open the notebook) is
    part of the first frame, as it is when a participant types ``carnet``. Then three ways of
    moving the cursor: ``step``: one key press at a time, each waited for (the pilot waits until
    the app is idle, not for the screen's delay before it draws the entry: a slow wait lets it
    be drawn now and then, as for someone tapping the key slowly); ``held``: a key held down, at
    the terminal's repeat rate, so only the list moves; ``rest``: a key press, then a pause of
    ``rest`` seconds, long enough for the entry to be drawn, so its CPU time is the list step
    plus the entry. With no ``steps``, the first frames only.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    app = make_app()
    figures = watch_frames(app, started, cpu_started, ready, complete or ready)
    async with app.run_test(size=SIZE) as pilot:
        while "first frame" not in figures:
            await pilot.pause()
        while "list complete" not in figures:
            await pilot.pause()
        if not steps:
            return figures
        await workers_done(app)
        await pilot.pause()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            await pilot.press("down")
        await pilot.pause()
        figures["step, wall"] = (time.perf_counter() - wall) / steps
        figures["step, CPU"] = (time.process_time() - cpu) / steps
        cpu = time.process_time()
        for _ in range(steps):
            app.post_message(events.Key("down", None))
            await asyncio.sleep(KEY_REPEAT)
        await pilot.pause()
        figures["held, CPU"] = (time.process_time() - cpu) / steps
        cpu = time.process_time()
        for _ in range(REST_STEPS):
            await pilot.press("down")
            await pilot.pause(rest)
        figures["rest, CPU"] = (time.process_time() - cpu) / REST_STEPS
    return figures


async def workers_done(app: App[None]) -> None:
    """Wait until no worker of the app is left, the cancelled ones too (an entry's links,
    looked for again when the cursor moves on, cancel the search before), and those that the
    end of others starts (the digest's count and the links once the notebook is open): a
    worker still running would count its CPU time in the cursor's steps."""
    while workers := list(app.workers):
        await asyncio.gather(*(worker.wait() for worker in workers), return_exceptions=True)
        await asyncio.sleep(WORKERS_SETTLE)  # for those their ends start


def watch_frames(
    app: App[None],
    started: float,
    cpu_started: float,
    ready: Callable[[App[None]], bool],
    complete: Callable[[App[None]], bool],
) -> dict[str, float]:
    """Seconds from ``started`` to the app's first frame ("first screen"), to the first
    where ``ready`` ("first frame", and the CPU time of this process since ``cpu_started``:
    "first frame, CPU"), and to the first where also ``complete`` ("list complete"), filled
    in as they are drawn.

    Taken as the frame is handed to the terminal (Textual's ``_display``), not when the
    pilot next finds the app idle: while the notebook opens in a thread, that can be seconds
    after the frame was drawn.
    """
    figures: dict[str, float] = {}
    display = app._display

    def timed(screen: Screen[Any], renderable: RenderableType | None) -> None:
        if renderable is not None:
            now = time.perf_counter() - started
            figures.setdefault("first screen", now)
            if ready(app) and "first frame" not in figures:
                figures["first frame"] = now
                figures["first frame, CPU"] = time.process_time() - cpu_started
            if ready(app) and complete(app):
                figures.setdefault("list complete", now)
        display(screen, renderable)

    app._display = timed  # type: ignore[method-assign]
    return figures


def list_shown(app: App[None]) -> bool:
    """Whether the review screen's list holds its entries (drawn at the next frame)."""
    from tui.widgets.entry_list import EntryList

    lists = app.screen.query(EntryList)
    return bool(lists) and bool(lists.first().rows)


def list_complete(app: App[None]) -> bool:
    """Whether the list's lines hold their comments and readings (unread marks, stances,
    counts), which follow the first frame."""
    from tui.widgets.entry_list import EntryList

    lists = app.screen.query(EntryList)
    return bool(lists) and lists.first().rows.readings


def _kept_parts(_name: str, part: dict[str, Any], before: list[Any] | None) -> list[Any]:
    # Each part as marshal gave it, not joined: the readings are held by participant, and
    # one participant's readings may span two parts, which cache.load's default join (a
    # dict update) refuses as a record held twice. Joining them is the storage's work.
    kept = before if before is not None else []
    kept.append(part)
    return kept


async def measure(notebook: Notebook, steps: int = STEPS) -> dict[str, tuple[float, float]]:
    """Each figure (seconds) for the review TUI on ``notebook`` and for the bare baseline.

    The TUI opens the notebook again, from its folder and with its cache, inside the timed
    first frame, the way ``carnet`` starts; ``notebook`` itself writes the listing first.
    """
    from tui.app import CarnetApp
    from tui.screens.review import VIEW_DELAY

    if not notebook.entries():
        problems = len(notebook.problems)
        raise RuntimeError(
            f"no entry in {notebook.root} ({problems} unreadable files): regenerate it"
        )
    rest = VIEW_DELAY + REST_MARGIN
    cache_file = cache.cache_path(notebook.root)
    notebook.listing()  # written when the notebook is exactly its commit, as carnet list does
    if listing.start_frame(notebook.root)() is None:
        raise RuntimeError(f"{notebook.root}: its listing is not up to date after writing it")

    def bare_with_listing() -> App[None]:
        # The floor of the first frame drawn from the listing: its frame, and its git status.
        if listing.start_frame(notebook.root)() is None:
            raise RuntimeError(f"{notebook.root}: its listing is not up to date")
        return Bare()

    def bare_with_cache() -> App[None]:
        # The floor of the first frame: whatever opens the notebook reads at least its cache.
        if cache_file is None or cache.load(cache_file, TABLES, _kept_parts) is None:
            raise RuntimeError(f"{notebook.root} has no valid cache: open it once first")
        return Bare()

    base = await time_app(Bare, steps, lambda app: True, rest)
    listed = await time_app(bare_with_listing, 0, lambda app: True, rest)
    floor = await time_app(bare_with_cache, 0, lambda app: True, rest)
    base["first frame"] = listed["first frame"]
    base["first frame, CPU"] = listed["first frame, CPU"]
    base["list complete"] = floor["first frame"]
    apps: list[CarnetApp] = []

    def carnet_app() -> App[None]:
        apps.append(CarnetApp(notebook.root, sync_interval=None))
        return apps[-1]

    try:
        carnet = await time_app(carnet_app, steps, list_shown, rest, list_complete)
    finally:
        for app in apps:
            app.close_notebook()
    names = {
        "first screen": "start to first screen",
        "first frame": "start to first frame",
        "first frame, CPU": "first frame, CPU",
        "list complete": "start to list complete",
        "step, wall": "cursor step, wall",
        "step, CPU": "cursor step, CPU",
        "held, CPU": "key held, CPU a step",
        "rest, CPU": "step and entry, CPU",
    }
    return {name: (carnet[key], base[key]) for key, name in names.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--path", type=Path, help="an existing notebook to open instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        if args.path is not None:
            root = args.path
        else:
            root = Path(scratch) / "carnet"
            generate(root, Sizes.for_entries(args.entries))
        opened = time.perf_counter()
        notebook = Notebook(root)
        open_seconds = time.perf_counter() - opened
        try:
            figures = asyncio.run(measure(notebook))
        finally:
            notebook.close()
    print(f"review TUI, {args.entries} entries (notebook opened in {open_seconds * 1000:.0f} ms)")
    for name, (value, baseline) in figures.items():
        print(f"  {name:<24} {value * 1000:8.1f} ms   (bare Textual app: {baseline * 1000:.1f} ms)")
    print(
        "  (the bare app's first frame includes reading the same listing and its git status;"
        " its list complete, reading the same cache with marshal)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
