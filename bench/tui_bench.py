"""Time the review TUI on a large notebook: start to first frame, and one cursor step.

    python -m bench.tui_bench [--entries 10000] [--path DIR]

Each figure is printed beside a baseline measured in the same run: a bare Textual app showing
one ``Static``, so that the part due to Carnet stands apart from Textual's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from bench.generate import Sizes, generate
from store.notebook import Notebook

SIZE = (120, 40)
STEPS = 100


def build_notebook(root: Path, entries: int, comments_per_entry: int = 2) -> Notebook:
    """Generate a synthetic notebook of ``entries`` entries at ``root`` and open it."""
    generate(root, Sizes(entries, entries * comments_per_entry))
    return Notebook(root)


class Bare(App[None]):
    """The baseline: a Textual app with one line of text and a footer."""

    def compose(self) -> ComposeResult:
        yield Static("baseline")
        yield Footer()


async def time_app(app: App[None], steps: int) -> tuple[float, float, float]:
    """Seconds to the first frame, then wall and CPU seconds per key press (``down``)."""
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first_frame = time.perf_counter() - started
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            await pilot.press("down")
        await pilot.pause()
        wall_step = (time.perf_counter() - wall) / steps
        cpu_step = (time.process_time() - cpu) / steps
    return first_frame, wall_step, cpu_step


async def measure(notebook: Notebook, steps: int = STEPS) -> dict[str, tuple[float, float]]:
    """Each figure (seconds) for the review TUI on ``notebook`` and for the bare baseline."""
    from tui.app import CarnetApp

    base = await time_app(Bare(), steps)
    carnet = await time_app(CarnetApp(notebook, sync_interval=None), steps)
    return {
        "start to first frame": (carnet[0], base[0]),
        "cursor step, wall": (carnet[1], base[1]),
        "cursor step, CPU": (carnet[2], base[2]),
    }


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
        print(f"  {name:<22} {value * 1000:8.1f} ms   (bare Textual app: {baseline * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
