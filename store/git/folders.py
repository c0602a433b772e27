"""Whether the work tree can hold a file git's index does not know, told from its folders.

Finding untracked files is half of a ``git status`` of the whole work tree: at 10,000
entries git lists each of its 729 folders and looks up each of 119,000 names in the index
(70 of 160 ms). A folder's stat data tells whether its listing changed: a file made, removed
or renamed in it sets the folder's modification and change times, and nothing but the
kernel sets a change time. So a status of the whole work tree that found no untracked file
leaves a record (``.git/carnet/folders``) of what it was run on: every folder's stat data,
taken before git listed them. A later status that finds all of it as recorded asks git for
the tracked files only (``--untracked-files=no``): no file can be untracked.

git's own untracked cache does the same, and cannot be trusted (``store.git.command``): it
compares whole seconds, and carries its record forward each time the index is rewritten.
This record is kept otherwise:

- it holds nanosecond times, the device, the inode and the change time of each folder;
- it is written only by the process whose status has just listed every folder, and never
  carried forward: anything changed since fails to match, and the next full status writes
  it anew;
- a record in which any time is less than ``SETTLED`` before the moment its stat data was
  taken is not written. A folder changed again within the same tick of the file system's
  clock (a few milliseconds, two seconds on FAT) would keep the same times.

What else decides whether a file is untracked is recorded with the folders: git's index (a
file taken out of it with ``git rm --cached`` is untracked without any folder changing), the
files of ignore rules outside the work tree (``.git/info/exclude``, the global one) and the
configuration files that may name another. A ``.gitignore`` in the work tree is a tracked
file: edited in place, it differs, the status says so, and the caller asks again with the
untracked files (``ignore_rules_changed``).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

RECORD = "folders"  # under .git/carnet/
RECORD_FORMAT = 2
SETTLED = 2_000_000_000  # nanoseconds

# Stat data (device, inode, modification and change times in nanoseconds), of each folder by
# its path under the work tree (bytes), of each file by its own path (a string); None for a
# file that is not there.
StatData = tuple[int, int, int, int]
Stamp = dict[bytes | str, StatData | None]


def _stat_data(info: os.stat_result) -> StatData:
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns


def _nothing(_folder: bytes) -> None:
    return None


def walk(top: bytes, visit: Callable[[bytes], object] = _nothing) -> dict[bytes, os.stat_result]:
    """Every folder of the work tree at ``top`` but ``.git``, with its stat data, by its path
    under ``top`` (``top`` itself as ``b""``).

    ``visit`` is called with each folder's path before its stat data is taken, and the stat
    data is taken before the folder is listed: a change to a folder after ``visit`` shows in
    the stat data, or in what the listing finds. A folder's link count is two plus its
    subfolders on the usual file systems (ext4, xfs, tmpfs): most folders have none, and their
    files (a hundred and more each) need not be listed. That count is trusted only once the
    top folder's matched the folders listed in it, on the top folder's file system.

    Raises:
        OSError: a folder could not be read, or is gone.
    """
    found: dict[bytes, os.stat_result] = {}
    device, counted = -1, False
    folders = [top]
    while folders:
        folder = folders.pop()
        visit(folder)
        info = os.stat(folder, follow_symlinks=False)
        found[folder[len(top) :]] = info
        if folder is top:
            device = info.st_dev
        elif counted and info.st_nlink == 2 and info.st_dev == device:
            continue
        inside = 0
        with os.scandir(folder) as listing:
            for item in listing:
                if item.is_dir(follow_symlinks=False):
                    inside += 1
                    if item.name != b".git":
                        folders.append(item.path)
        if folder is top:
            counted = info.st_nlink == 2 + inside
    return found


def _record_path(root: Path) -> Path:
    return root / ".git" / "carnet" / RECORD


def _rule_files(root: Path) -> list[str]:
    """git's index, and the files outside the work tree that decide what git ignores or may
    name one that does: its exclude files and its configuration, system, global and the
    clone's."""
    environ = os.environ
    home = environ.get("HOME", "")
    config_home = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    git_dir = os.path.abspath(root / ".git")
    return [
        os.path.join(git_dir, "index"),
        os.path.join(git_dir, "info", "exclude"),
        os.path.join(git_dir, "config"),
        environ.get("GIT_CONFIG_GLOBAL") or os.path.join(home, ".gitconfig"),
        os.path.join(config_home, "git", "config"),
        os.path.join(config_home, "git", "ignore"),
        environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig",
    ]


def _data_now(top: bytes, path: bytes | str) -> StatData | None:
    """The stat data, as it is now, of a folder the record holds (its path under ``top``) or
    of a file (its own path); None if it is not there."""
    try:
        if isinstance(path, bytes):
            return _stat_data(os.stat(top + path, follow_symlinks=False))
        return _stat_data(os.stat(path))
    except OSError:
        return None


class Record:
    """The record of the folders of the work tree at ``root``, as its file holds it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._held = _read(_record_path(root))

    def holds(self, paths: Sequence[str] = ()) -> bool:
        """Whether everything the record holds is as it is now: then a status of the whole
        work tree found no untracked file when it was so, and none can be untracked now.

        With ``paths`` (a status of those only), whether none can be untracked under them:
        the folders at and under each are as recorded, or, for a path that was no folder
        then, the nearest folder that held it (a folder or file made there changed it).

        Only the folders it holds are looked at, not listed: a folder made or removed since
        is a change to the one holding it."""
        held = self._held
        if held is None or not all(path in held for path in _rule_files(self.root)):
            return False
        looked_at: Iterable[bytes | str] = held
        if paths:
            named = [b"/" + os.fsencode(path.strip("/")) for path in paths]
            # A path that was no folder: the first of its folders not there then would be
            # made in the nearest one that was (or it is a file made or removed there).
            holding = {_recorded_folder(held, path) for path in named if path not in held}
            under = tuple(path + b"/" for path in named if path in held)
            looked_at = [
                path
                for path in held
                if isinstance(path, str) or path in holding or (path + b"/").startswith(under)
            ]
        top = os.fsencode(self.root)
        return all(_data_now(top, path) == held[path] for path in looked_at)

    def stamp(self) -> tuple[Stamp, int] | None:
        """Every folder of the work tree (listed, ``walk``), the files of ``_rule_files`` and
        the others the record holds, with their stat data as it is now; and the moment it was
        taken (before any of it). For ``record``, just before a status of the whole tree.
        None if a folder could not be read."""
        taken = time.time_ns()
        try:
            folders = walk(os.fsencode(self.root))
        except OSError:
            return None
        found: Stamp = {path: _stat_data(info) for path, info in folders.items()}
        others = [path for path in self._held or () if type(path) is str]
        for path in dict.fromkeys([*_rule_files(self.root), *others]):
            found[path] = _data_now(b"", path)
        return found, taken


def _recorded_folder(held: Stamp, folder: bytes) -> bytes:
    """``folder`` (its path under the work tree, as the record keeps it) if the record holds
    it, else the nearest folder holding it that the record holds (the work tree's, ``b""``,
    at last)."""
    while folder and folder not in held:
        folder = folder.rpartition(b"/")[0]
    return folder


def _read(path: Path) -> Stamp | None:
    try:
        record = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(record) is not tuple or len(record) != 2 or record[0] != RECORD_FORMAT:
        return None
    if type(record[1]) is not dict:
        return None
    held: Stamp = record[1]
    return held


def ignore_rules_changed(differing: Iterable[str]) -> bool:
    """Whether a ``.gitignore`` is among the paths a status found differing: the files git
    ignores may then be others, and untracked files must be looked for."""
    return any(path == ".gitignore" or path.endswith("/.gitignore") for path in differing)


# The stat data of a file named only once the status was done: matches no file, so that the
# next status of the whole tree lists the folders again, with that file stamped before it.
_NOT_STAMPED: StatData = (-1, -1, -1, -1)


def settled(now: tuple[Stamp, int]) -> bool:
    """Whether every time in ``now`` (``Record.stamp``) is at least ``SETTLED`` before the
    moment it was taken: only then may it be recorded."""
    found, taken = now
    recent = taken - SETTLED
    return all(data is None or max(data[2], data[3]) < recent for data in found.values())


def record(root: Path, now: tuple[Stamp, int], excludes_file: str | None) -> None:
    """A status of the whole work tree, begun after ``now`` was taken (``Record.stamp``) and
    ``settled``, found no untracked file: keep that. Written atomically; a failure (a
    read-only clone, a full disk) only costs the next status its listing.

    ``excludes_file`` is what ``core.excludesFile`` names, asked for only now (a git process
    of its own, once a record is due); not in ``now``, it is recorded as ``_NOT_STAMPED``.
    """
    found, _taken = now
    rules = set(_rule_files(root))
    extra = None if excludes_file is None else os.path.abspath(os.path.join(root, excludes_file))
    kept = {
        path: data
        for path, data in found.items()
        if type(path) is bytes or path in rules or path == extra
    }
    if extra is not None and extra not in kept:
        kept[extra] = _NOT_STAMPED
    target = _record_path(root)
    temp = target.with_name(f".{RECORD}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)
        temp.write_bytes(marshal.dumps((RECORD_FORMAT, kept)))
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
