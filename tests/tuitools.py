"""What the TUI tests share: waiting until the app has nothing left to do."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot[Any], delay: float | None = None) -> None:
    """Let the workers (a save, a sync, a filter) finish and their messages arrive.

    Three rounds, as a finished worker's message may start another (a save, then the sync it
    schedules, then the filter after the sync); ``delay``, a pause long enough for a timer (the
    entry drawn when the cursor rests) to fire in each round.
    """
    for _ in range(3):
        await workers_ended(pilot.app)
        await pilot.pause(delay)


async def workers_ended(app: App[Any]) -> None:
    """Wait for every worker of ``app`` to end. One cancelled is not a failure (the links'
    search is cancelled by the next entry's, as an exclusive worker is), which
    ``WorkerManager.wait_for_complete`` raises as one; one that failed still raises."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
