"""Time the review TUI on a large notebook: start to first frame, and one cursor step.

    python -m bench.tui_bench [--entries 10000] [--path DIR]

Each figure is printed beside a baseline measured in the same run: a bare Textual app showing
one ``Static``, so that the part due to Carnet stands apart from Textual's own cost. The first
frame counts opening the notebook (with its cache), as when a participant types ``carnet``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from bench.generate import Sizes, generate
from store.notebook import Notebook

SIZE = (120, 40)
STEPS = 100
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
) -> dict[str, float]:
    """Seconds from ``make_app()`` to the first frame where ``ready``, then a cursor step's cost.

    The clock starts before ``make_app`` is called, so whatever it does (open the notebook) is
    part of the first frame, as it is when a participant types ``carnet``. Then three ways of
    moving the cursor: ``step``: one key press at a time, each waited for (the pilot waits until
    the app is idle, not for the screen's delay before it draws the entry: a slow wait lets it
    be drawn now and then, as for someone tapping the key slowly); ``held``: a key held down, at
    the terminal's repeat rate, so only the list moves; ``rest``: a key press, then a pause of
    ``rest`` seconds, long enough for the entry to be drawn, so its CPU time is the list step
    plus the entry.
    """
    started = time.perf_counter()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while not ready(app):
            await pilot.pause()
        figures = {"first frame": time.perf_counter() - started}
        await app.workers.wait_for_complete()
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


def list_shown(app: App[None]) -> bool:
    """Whether the review screen's list holds its entries (drawn at the next frame)."""
    from tui.widgets.entry_list import EntryList

    lists = app.screen.query(EntryList)
    return bool(lists) and bool(lists.first().rows)


async def measure(notebook: Notebook, steps: int = STEPS) -> dict[str, tuple[float, float]]:
    """Each figure (seconds) for the review TUI on ``notebook`` and for the bare baseline.

    The TUI opens the notebook again, from its folder and with its cache, inside the timed
    first frame, the way ``carnet`` starts; ``notebook`` itself only says where it is.
    """
    from tui.app import CarnetApp
    from tui.screens.review import VIEW_DELAY

    if not notebook.entries():
        problems = len(notebook.problems)
        raise RuntimeError(
            f"no entry in {notebook.root} ({problems} unreadable files): regenerate it"
        )
    rest = VIEW_DELAY + REST_MARGIN
    base = await time_app(Bare, steps, lambda app: True, rest)
    opened: list[Notebook] = []

    def carnet_app() -> App[None]:
        opened.append(Notebook(notebook.root))
        return CarnetApp(opened[-1], sync_interval=None)

    try:
        carnet = await time_app(carnet_app, steps, list_shown, rest)
    finally:
        for extra in opened:
            extra.close()
    names = {
        "first frame": "start to first frame",
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
