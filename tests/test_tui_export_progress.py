"""The export dialog's progress bar: it fills as the synthesis is written, in a thread, while
the keys answer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar
from tui_data import review_notebook
from tuitools import settle

import store.report
from store import Notebook
from store.progress import report
from tui.app import CarnetApp
from tui.screens.export import ExportScreen

STEPS = 4


class SlowSynthesis:
    """A synthesis of ``STEPS`` entries, each written when the test lets it (``step``)."""

    def __init__(self) -> None:
        self.allowed = threading.Semaphore(0)

    def render(self, notebook: Notebook, **options: Any) -> str:
        for done in range(1, STEPS + 1):
            self.allowed.acquire(timeout=30)
            report(done, STEPS)
        return "<!DOCTYPE html>synthèse"


async def until_shown(pilot: Pilot[None], bar: ProgressBar, progress: int) -> float:
    for _ in range(500):
        if bar.progress == progress:
            break
        await pilot.pause(0.02)
    return bar.progress


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    yield notebook
    notebook.close()


async def test_the_bar_fills_while_the_synthesis_is_written_and_keys_answer(
    nb: Notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synthesis = SlowSynthesis()
    monkeypatch.setattr(store.report, "render", synthesis.render)
    target = tmp_path / "synthese.html"
    app = CarnetApp(nb, sync_interval=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("X")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ExportScreen)
            bar = dialog.query_one("#export-bar", ProgressBar)
            assert not dialog.query_one("#progress").has_class("-counting")
            dialog.query_one("#path", Input).value = str(target)
            await pilot.press("enter")
            seen = []
            for done in range(1, STEPS):
                synthesis.allowed.release()
                seen.append(await until_shown(pilot, bar, done))
                await pilot.press("tab")  # the dialog answers meanwhile
                assert app.screen is dialog
            assert dialog.query_one("#progress").has_class("-counting")
            assert seen == [1, 2, 3] and bar.total == STEPS
            synthesis.allowed.release()
            await settle(pilot)
            assert not isinstance(app.screen, ExportScreen)
    finally:
        for _ in range(STEPS):
            synthesis.allowed.release()
    assert target.read_text(encoding="utf-8") == "<!DOCTYPE html>synthèse"
