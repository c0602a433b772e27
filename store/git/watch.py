"""Whether anything touched the work tree since git last said nothing was left uncommitted.

A sync commits what an interrupted action, or a hand edit, left uncommitted: finding it is a
``git status`` that examines every file (119,000 of them at 10,000 entries, several times the
cost of the fetch beside it). A folder's own time stamp does not change when a file in it is
rewritten in place, so only the kernel can say that nothing changed without looking at each
file: Linux's inotify, watching every folder of the work tree (a few hundred), reached through
the C library since Python has no binding of its own. The watch starts before the ``git status``
it vouches for, so whatever happens after that status began is an event; anything unsure (a
queue overflow, a new folder, no inotify at all) says "changed", and the status runs again.

That status must not write git's index (it would change the one it vouches for), so it cannot
refresh it either: in a folder copied with ``cp -a`` or restored from a backup, git's stat data
matches no file and each such status reads every file again. ``watch`` first brings that stat
data up to date once in each new folder, before it takes the index as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import subprocess
import threading
import weakref
from collections import OrderedDict
from pathlib import Path

from store.git.command import GIT
from store.git.folders import walk

# <sys/inotify.h>
IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_ONLYDIR, IN_DONT_FOLLOW = 0x01000000, 0x02000000
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
WATCHED = (
    IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
    | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW
)  # fmt: skip
# Under .git/carnet/: the work tree whose stat data git's index was last refreshed for.
STAT_RECORD = "index-stat"
# Each watch holds an inotify instance of the user's few (128 on most systems): few are kept.
WATCHES_KEPT = 4


def _libc() -> ctypes.CDLL | None:
    # The process's own symbols first, which hold the C library's: finding it by name runs
    # ``ldconfig -p`` (6-20 ms), before the open's status can start.
    found = _with_inotify(None)
    return found if found is not None else _with_inotify(ctypes.util.find_library("c"))


def _with_inotify(name: str | None) -> ctypes.CDLL | None:
    """The library ``name`` (None: the process's own symbols), if it offers inotify."""
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 - present, or AttributeError
    except (OSError, AttributeError):
        return None
    return libc


class TreeWatch:
    """The kernel's events on every folder of a work tree but ``.git``."""

    def __init__(self, libc: ctypes.CDLL, root: Path) -> None:
        self._libc = libc
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self._fd: int | None = fd
        self._touched = False  # whether any event ever came
        # Closed with the watch, or when the process ends (no __del__ at interpreter exit).
        self._closing = weakref.finalize(self, os.close, fd)
        try:
            self._add_tree(root)
        except BaseException:
            self.close()
            raise

    def _add_tree(self, root: Path) -> None:
        # Each folder is watched before it is looked into (``walk``'s ``visit``): a folder
        # made in it afterwards is an event, one made before is seen, and watched in turn.
        walk(os.fsencode(root), self._add)

    def _add(self, folder: bytes) -> None:
        if self._libc.inotify_add_watch(self._fd, folder, WATCHED) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch")

    def changed(self) -> bool:
        """Whether anything happened in the work tree since the last call (or the watch
        began); the events are read and forgotten. Which file they name does not matter: any
        one, even the overflow of the kernel's queue, means looking again."""
        if self._fd is None:
            return True
        seen = False
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                self._touched = self._touched or seen
                return seen
            except OSError:
                self._touched = True
                return True
            seen = seen or bool(data)

    def untouched(self) -> bool:
        """Whether no event at all came since the watch began: then it still watches every
        folder of the work tree (a folder made, moved or removed is an event in the one
        holding it), as a watch begun now would."""
        return not self.changed() and not self._touched

    def close(self) -> None:
        self._fd = None
        self._closing()


class CleanRecord:
    """What a ``git status`` that found nothing uncommitted vouches for: the work tree as the
    watch has seen it since, git's index as its file was then, and the commit of HEAD."""

    def __init__(self) -> None:
        self._watches: OrderedDict[Path, TreeWatch] = OrderedDict()
        self._stamps: dict[Path, tuple[object, ...]] = {}
        self._libc = _libc()
        # The probe of a notebook being opened vouches from its own thread (store.git.program).
        self._lock = threading.Lock()

    def still_clean(self, root: Path, head: str | None) -> bool:
        """Whether nothing can have changed since ``found_clean(root, …)`` (then no status
        is needed); False when unsure."""
        root = root.absolute()  # the same notebook, whatever the current folder
        with self._lock:
            watch, stamp = self._watches.get(root), self._stamps.pop(root, None)
            if watch is None or stamp is None:
                return False
            clean = not watch.changed() and stamp == (head, *_index_stamp(root))
            if clean:
                self._stamps[root] = stamp
            return clean

    def watch(self, root: Path) -> tuple[object, ...] | None:
        """Begin watching ``root`` afresh, just before a ``git status``: what its index and
        HEAD are now, to give ``found_clean`` if the status finds nothing; None if the work
        tree cannot be watched."""
        root = root.absolute()
        with self._lock:
            self._stamps.pop(root, None)
            old = self._watches.pop(root, None)
            # A watch that saw nothing since it began is kept: closing one and watching the
            # tree anew took 20 ms (the kernel's release of several hundred watches), before
            # the status that follows could start.
            if old is not None and not old.untouched():
                old.close()
                old = None
            if self._libc is None:
                return None
            refresh_stale_index(root)
            index = _index_stamp(root)
            try:
                self._watches[root] = old or TreeWatch(self._libc, root)
            except OSError:  # too many watches, a folder gone meanwhile: look every time
                return None
            while len(self._watches) > WATCHES_KEPT:
                _root, oldest = self._watches.popitem(last=False)
                oldest.close()
                self._stamps.pop(_root, None)
            return index

    def found_clean(self, root: Path, head: str | None, index: tuple[object, ...] | None) -> None:
        """The status begun after ``watch`` (which gave ``index``) found nothing uncommitted,
        with HEAD at ``head``."""
        root = root.absolute()
        with self._lock:
            if index is not None and root in self._watches:
                self._stamps[root] = (head, *index)


def refresh_stale_index(root: Path) -> None:
    """Bring the stat data of git's index up to date, once, in a work tree that is not the
    one it was last brought up to date in: copied, restored from a backup (its folder a new
    one), or never refreshed this way (one look at every file, as the status it spares). A
    plain ``update-index --refresh``, which writes only the stat data of files whose content
    is the index's; the index locked by another git, it is tried again the next time.

    The record is the folder's device and inode. One written by an older Carnet, which kept
    git's untracked cache, also holds the folder's path: it matches no folder, so that clone is
    refreshed once more, and that refresh takes the cache out of its index
    (``store.git.command``)."""
    record = root / ".git" / "carnet" / STAT_RECORD
    try:
        folder = os.stat(root)
    except OSError:
        return
    here = b"%d:%d" % (folder.st_dev, folder.st_ino)
    with contextlib.suppress(OSError):  # no record yet
        if record.read_bytes() == here:
            return
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        done = subprocess.run(
            [*GIT, "update-index", "-q", "--refresh"], cwd=root, timeout=120,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if done.returncode == 0:
            record.write_bytes(here)


def _index_stamp(root: Path) -> tuple[object, ...]:
    """git's index file as it is: rewritten (by git add, a commit, an action) it differs."""
    try:
        info = os.stat(root / ".git" / "index")
    except OSError:
        return (None,)
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


# One record for the process: the TUI syncs the same notebook every few minutes.
CLEAN = CleanRecord()
