"""What ``git status`` says of the notebook's work tree, asked in a process of its own while
the caller goes on (the open reading its cache, ``carnet list`` reading its listing)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from store.errors import GitError
from store.git import folders
from store.git.command import GIT
from store.git.program import QUIET_GIT_ENV, git_config, refresh_index


class WorkTreeState(NamedTuple):
    """What git says of the notebook's files: the commit HEAD points to (None before the first
    commit) and every path that differs from it, in the index or the work tree, or is untracked;
    and whether any is untracked.
    """

    head: str | None
    differing: frozenset[str]
    untracked: bool = False


class WorkTreeProbe:
    """``git status`` of some folders, started at once and read later.

    It runs in its own process (after the index is brought up to date, ``refresh_index``), so
    on a machine with two cores it costs nothing while the caller does something else (loading
    its cache). The caller waits until that process is started: what comes before it is
    Python in this thread (the watch below lists the work tree's folders, at 10,000 entries 2
    ms alone), which beside a caller unmarshalling its cache (Python's lock held for
    milliseconds at a time) took 40-160 ms, and started git's status that much later.

    git compares each file with the stat data of its index, and reads the content
    when that data cannot be trusted (a file changed within the same timestamp tick as the
    index, which git calls "racily clean"). An index left behind still gives the right answer:
    the paths it is behind on count as differing, and are read again.

    ``vouch``: the status is of the whole work tree, watched from before it began
    (``store.git.watch``), and when it finds nothing uncommitted anywhere it vouches for it,
    so that this process's next ``commit_pending`` (a sync just after opening the notebook)
    has no second status of every file to run. It then takes no lock: writing the index would
    change the one it vouches for. Without ``vouch`` the status is of ``folders`` only, and
    takes the index's lock when it is free, to write back the stat data it refreshed; unless
    the record below holds: it holds the index as it is, stat data and all. git writes back a
    split index (an action's) whose part of its own removes entries of the shared one (after
    a ``git reset``) at every status that can take the lock, though nothing changed, and that
    would undo the record at every ``carnet list``.

    git's untracked cache is never read (``store.git.command``): it can hide a file written in
    the second after a status listed its folder. Carnet's own record of the folders
    (``store.git.folders``) spares the listing instead, half of a status's time at 10,000
    entries: when every folder and git's index are as they were at a status of the whole work
    tree that found no untracked file, git is asked for the tracked files only.
    """

    def __init__(self, root: Path, folders: Sequence[str], *, vouch: bool = False) -> None:
        self._state: WorkTreeState | None = None
        self._folders = tuple(folders)
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(root, vouch), daemon=True)
        self._thread.start()
        self._started.wait()

    def _run(self, root: Path, vouch: bool) -> None:
        try:
            with contextlib.suppress(GitError):
                refresh_index(root, wait=False)
            index = None
            if vouch:  # imported here: the C library is loaded only by those who watch
                from store.git.watch import CLEAN

                index = CLEAN.watch(root)
            # After the index's refresh, which rewrites it: the record holds the index too.
            recorded = folders.Record(root)
            no_untracked = recorded.holds(() if vouch else self._folders)
            # Only a status of the whole tree, which lists every folder, may write a record.
            now = recorded.stamp() if vouch and not no_untracked else None
            status = self._start(root, vouch, untracked=not no_untracked)
        except OSError:
            return
        finally:
            self._started.set()
        state = self._answer(status)
        if no_untracked and state is not None and folders.ignore_rules_changed(state.differing):
            no_untracked = False
            try:
                state = self._answer(self._start(root, vouch, untracked=True))
            except OSError:
                return
        if state is None:
            return
        if now is not None and not state.untracked and folders.settled(now):
            folders.record(root, now, git_config("core.excludesFile", root, path=True))
        self._state = state
        if vouch and not state.differing:
            CLEAN.found_clean(root, state.head, index)

    def _start(self, root: Path, vouch: bool, *, untracked: bool) -> subprocess.Popen[bytes]:
        options = ["--no-optional-locks"] if vouch or not untracked else []
        if not untracked:
            # Without the listing, git's work is to stat each file, which one thread does
            # beside this process's load in the time the load takes (at 10,000 entries); the
            # threads git starts for it (up to 20) took the core that load runs on, and made
            # the open with the cache a third slower.
            options[:0] = ["-c", "core.preloadIndex=false"]
        return subprocess.Popen(
            [*GIT, *options, "status", "--porcelain=v2", "-z", "--branch", "--no-renames",
             f"--untracked-files={'all' if untracked else 'no'}",
             "--", *(() if vouch else self._folders)],
            cwd=root, env={**os.environ, **QUIET_GIT_ENV}, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    @staticmethod
    def _answer(status: subprocess.Popen[bytes]) -> WorkTreeState | None:
        with status:
            try:
                out, _err = status.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                status.kill()
                return None
        if status.returncode != 0:
            return None
        return _parse_status(out.decode("utf-8", "surrogateescape"))

    def result(self) -> WorkTreeState | None:
        """The state of the folders, or None if git could not tell (no git, not a repository,
        an error)."""
        self._thread.join()
        state = self._state
        if state is None:
            return None
        inside = tuple(f"{folder}/" for folder in self._folders)
        differing = {p for p in state.differing if p in self._folders or p.startswith(inside)}
        return WorkTreeState(state.head, frozenset(differing), state.untracked)


# Fields before the path in ``git status --porcelain=v2`` records, by their first letter.
_STATUS_FIELDS = {"1": 8, "u": 10, "?": 1, "!": 1}


def _parse_status(out: str) -> WorkTreeState | None:
    head: str | None = None
    differing: set[str] = set()
    untracked = False
    for record in out.split("\0"):
        if record.startswith("# branch.oid "):
            oid = record[len("# branch.oid ") :]
            head = None if oid == "(initial)" else oid
        elif record[:1] in _STATUS_FIELDS:
            fields = record.split(" ", _STATUS_FIELDS[record[0]])
            if len(fields) != _STATUS_FIELDS[record[0]] + 1:
                return None
            differing.add(fields[-1])
            untracked = untracked or record[0] == "?"
        elif record and not record.startswith("#"):
            return None  # a record this code does not know: better to read every file
    return WorkTreeState(head, frozenset(differing), untracked)
