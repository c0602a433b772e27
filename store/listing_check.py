"""Whether the listing on disk (``store.listing``) is still true: one ``git status`` of the files
it is made of, which can be started before the listing, or even the command line, is imported.

``carnet list`` may print nothing before git vouches for the files, and that status takes about
as long as everything else the command does. So the ``carnet`` program (``tui.launcher``) begins
it before it imports the command line (``begin``), and the listing takes the check it finds
already running for its folder (``taken``): git looks at the files on the other core while
Python imports its modules and reads the listing. This module imports nothing the status does
not need, so that it starts a few milliseconds after Python itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from store.folder import META_FILE, notebook_folder
from store.git.status import WorkTreeProbe

SETTINGS_FILE = "settings.json"  # store.local's: its size and time key the listing

# The checks begun before the listing was asked for, by notebook folder (``begin``).
_BEGUN: dict[Path, ListingCheck] = {}


def settings_key(root: Path) -> tuple[int, int]:
    """What says that this clone's settings (participant, language) changed."""
    try:
        status = os.stat(root / ".git" / "carnet" / SETTINGS_FILE)
    except OSError:
        return (0, 0)
    return (status.st_size, status.st_mtime_ns)


class ListingCheck:
    """Whether the files a listing is made of are still as it was written, asked of one ``git
    status`` started at once: git looks at them while this process reads the listing (on two
    cores, both at once)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._named = _participant_setting(root)
        # The entries, their comments, the names, this participant's readings (everyone's,
        # when the settings name nobody), the notebook's own file.
        readings = f"reviews/{self._named}" if self._named else "reviews"
        folders = ("participants", "entries", "comments", readings, META_FILE)
        self._probe = WorkTreeProbe(root, folders)

    def holds(self, head: str, settings: tuple[int, int], me: str | None) -> bool:
        """Whether a listing made at ``head`` with these settings, for ``me``, is up to date.

        The settings are read now, after the status: a participant named in between counts.
        """
        state = self._probe.result()
        if state is None or state.head != head or state.differing:
            return False
        return settings == settings_key(self._root) and not (self._named and me != self._named)

    def wait(self) -> None:
        """Wait for the status to end (its git process gone, with any lock it took)."""
        self._probe.result()


def begin(start: Path) -> None:
    """Start the check of the notebook containing ``start`` (if there is one), for the listing
    to take when it is read; ``end`` waits for it if it never is."""
    root = notebook_folder(start)
    if root is not None and root not in _BEGUN:
        _BEGUN[root] = ListingCheck(root)


def taken(root: Path) -> ListingCheck:
    """The check of the notebook at ``root``: the one begun for it, else one started now."""
    return _BEGUN.pop(root, None) or ListingCheck(root)


def end() -> None:
    """Wait for the checks begun and never taken (the command failed, or was another): no git
    process of this one outlives it, and none holds the index's lock after it."""
    while _BEGUN:
        _BEGUN.popitem()[1].wait()


def _participant_setting(root: Path) -> str | None:
    """The participant this clone's settings name, if they name one (a plain id: a folder)."""
    try:
        settings = json.loads((root / ".git" / "carnet" / SETTINGS_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    named = settings.get("participant") if isinstance(settings, dict) else None
    if isinstance(named, str) and named and "/" not in named and not named.startswith("."):
        return named
    return None
