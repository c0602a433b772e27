"""A sync's result brought into the participant's work tree and index: only the paths it changed.

``git read-tree -m -u`` reads and rewrites the whole index (119,000 paths at 10,000 entries)
to bring in a merge of a few hundred files; here the files that differ between the two commits
are written, and git's index updated for those paths alone (split, as an action's).
"""

from __future__ import annotations

import concurrent.futures
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path

from store.errors import GitError, SyncError
from store.gate import Change
from store.git import trees
from store.git.local import LocalRepository
from store.git.objects import object_id
from store.git.program import UPDATE_INDEX, git_bytes
from store.i18n import _

LINK_MODE = "120000"
EXECUTABLE_MODE = "100755"
# A rename over an existing file waits for the new file's blocks (ext4's auto_da_alloc) and
# frees the old one's: threads wait for several at once. 1,000 files renamed over others,
# measured on 2 cores under load: one thread 171-1461 ms, four 122-268 ms (bench/README).
WRITERS = 4


def move_to(
    repo: LocalRepository,
    branch: str,
    old: str,
    new: str,
    known: Mapping[str, bytes] | None = None,
    written: Callable[[int], None] | None = None,
) -> dict[str, Change]:
    """Bring the work tree, then git's index, then the branch, from commit ``old`` to ``new``;
    return what differs between them, path by path.

    The files come first: if Carnet is killed in between, the next start finds the merged files
    uncommitted and commits them, rather than a branch whose files say the opposite. A file
    that is neither as ``old`` nor as ``new`` has it (changed by hand since the sync looked) is
    not overwritten: the sync stops, as ``read-tree -m -u`` would. ``known``: the contents of
    blobs the sync has already read or written, by their ids (the others are read here).
    ``written`` is told of each file written, for a progress display.

    Raises:
        SyncError: a file is in the way, or git or the disk refused.
    """
    try:
        repo.refresh_index()
    except GitError as exc:
        raise SyncError(str(exc)) from exc
    changed = trees.changes(repo, old, new)
    wanted = {change.new.sha for change in changed.values() if change.new is not None}
    known = known or {}
    contents = {sha: known[sha] for sha in wanted if sha in known}
    contents.update(trees.read_blobs(repo, wanted - contents.keys()))
    for path, change in changed.items():
        if not _as_in(repo.root / path, change):
            raise SyncError(
                _("{path} was changed while the sync ran: your work is kept here; sync again")
                .format(path=path)
            )  # fmt: skip
    # Removals first: a folder a file takes the place of is gone by then, and the reverse.
    # No two files written after them are in each other's way (a tree cannot hold a file and
    # a folder of one name): they are written side by side, in any order.
    removed = [path for path, change in changed.items() if change.new is None]
    added = [path for path, change in changed.items() if change.new is not None]
    try:
        for path in removed:
            _put(repo.root, path, changed[path], contents)
            if written is not None:
                written(1)
        with concurrent.futures.ThreadPoolExecutor(WRITERS) as pool:
            try:
                for _path in pool.map(lambda p: _put(repo.root, p, changed[p], contents), added):
                    if written is not None:
                        written(1)
            except BaseException:
                pool.shutdown(cancel_futures=True)  # what is not started yet is not begun
                raise
    except OSError as exc:
        raise SyncError(
            _("sync failed ({detail}): try again").format(detail=exc.strerror or exc)
        ) from exc
    names = b"".join(os.fsencode(path) + b"\0" for path in changed)
    done = git_bytes(repo.root, *UPDATE_INDEX, data=names)
    if done.returncode != 0:
        raise SyncError(_("sync failed ({detail}): try again").format(detail="update-index"))
    trees.update_branch(repo, branch, old, new)
    return changed


def _current(path: Path) -> tuple[str, bytes] | None:
    """The file at ``path`` as git would store it (its mode and content), or None."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file where the folder would be
        return None
    if stat.S_ISLNK(info.st_mode):
        return LINK_MODE, os.fsencode(os.readlink(path))
    if not stat.S_ISREG(info.st_mode):
        return "40000", b""  # a folder: nothing a blob can be
    return ("100755" if info.st_mode & stat.S_IXUSR else "100644"), path.read_bytes()


def _as_in(path: Path, change: Change) -> bool:
    """Whether the file at ``path`` is as one of the two commits has it (missing, where one
    has none): safe to replace."""
    current = _current(path)
    for blob in (change.old, change.new):
        if blob is None:
            if current is None:
                return True
        elif current is not None and object_id(b"blob", current[1]).hex() == blob.sha:
            return True
    return False


def _put(root: Path, path: str, change: Change, contents: Mapping[str, bytes]) -> None:
    if change.new is None:
        target = root / path
        target.unlink(missing_ok=True)
        _remove_empty_folders(root, target.parent)
        return
    # Plain os calls, a folder made only when missing: 1,000 of these run in every large merge.
    folder, name = os.path.split(os.path.join(root, path))
    temporary = os.path.join(folder, f".{name}.carnet-tmp")
    data = contents[change.new.sha]
    try:
        _create(temporary, change.new.mode, data)
    except FileNotFoundError:  # a new folder
        os.makedirs(folder, exist_ok=True)
        _create(temporary, change.new.mode, data)
    except FileExistsError:  # left by a sync that was killed
        os.unlink(temporary)
        _create(temporary, change.new.mode, data)
    os.replace(temporary, os.path.join(folder, name))  # whole, or not at all


def _create(path: str, mode: str, data: bytes) -> None:
    """A new file (or link) at ``path`` holding ``data``, as git stores a blob of ``mode``."""
    if mode == LINK_MODE:
        os.symlink(os.fsdecode(data), path)
        return
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        if mode == EXECUTABLE_MODE:
            os.fchmod(handle, 0o755)
    finally:
        os.close(handle)


def _remove_empty_folders(root: Path, folder: Path) -> None:
    """Remove ``folder`` and those above it that a removal left empty, as git does."""
    while folder != root:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
