"""What a sync did, and where a clone stands: plain data for the command line and the TUI.

Apart from ``store.sync`` (which loads GitPython), so that those who only show them need not.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.gate import Refusal


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    fetched: bool
    merged: int  # documents changed on both sides and merged in Python
    conflicts: int  # conflicts this sync recorded
    pushed: bool
    new_entries: tuple[str, ...]  # ids of entries that arrived from the others
    new_comments: tuple[str, ...]
    up_to_date: bool  # nothing came in, nothing went out
    problems: tuple[str, ...] = ()  # documents damaged on our side, merged with theirs
    refused: tuple[Refusal, ...] = ()  # incoming changes the gate did not let through


@dataclass(frozen=True)
class SyncStatus:
    """Where this clone stands against the shared repository, as of the last fetch."""

    remote: str | None
    ahead: int  # commits here that the shared repository doesn't have
    behind: int  # commits fetched but not yet merged
    unpushed: int  # participant actions (commits other than merges) not shared yet
    last_sync: str | None
    offline: bool
    conflicts: int  # entries waiting for someone to resolve a conflict
    pending: int  # files changed but not committed
    last_error: str | None = None


@dataclass
class Outcome:
    """What bringing in the others' commits did, counted for the ``SyncReport``."""

    merged: int = 0
    conflicts: int = 0
    problems: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()
    new_entries: tuple[str, ...] = ()
    new_comments: tuple[str, ...] = ()
