"""What the TUI tests share: waiting until the app has nothing left to do."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[Any], delay: float | None = None) -> None:
    """Let the workers (a save, a sync, a filter) finish and their messages arrive.

    Three rounds, as a finished worker's message may start another (a save, then the sync it
    schedules, then the filter after the sync); ``delay``, a pause long enough for a timer (the
    entry drawn when the cursor rests) to fire in each round.
    """
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(delay)
