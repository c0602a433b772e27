"""A branch moved to an action's commit as ``git update-ref`` moves it, without its process.

git's files backend, as git writes it: the ref's lock file taken (``<ref>.lock``, created
exclusively: another writer makes this one fail), its value checked against the old one, the
new value written into the lock, a line appended to the ref's log and to HEAD's, the lock
renamed over the ref. A process killed at any point leaves the branch where it was or where
it goes, and at worst a stale lock, which ``LocalRepository.repair`` removes as it does
``index.lock``. Not fsynced, as git's own ``update-ref`` does not by default. Anything else
(a detached HEAD, a repository whose refs are not files) is left to ``git update-ref``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from store.errors import GitError
from store.git.objects import git_stamp
from store.git.program import ZERO_ID, Identity
from store.i18n import _


def branch_file(git_dir: Path) -> str | None:
    """The ref HEAD names (``refs/heads/...``) when this module can move it, else None."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        config = (git_dir / "config").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return None
    ref = head.removeprefix("ref: ")
    if ref == head or not ref.startswith("refs/heads/") or "refstorage" in config:
        return None
    if any(part in ("", ".", "..") or part.endswith(".lock") for part in ref.split("/")):
        return None
    return ref


def move(
    git_dir: Path,
    ref: str,
    change: tuple[str | None, str],
    message: str,
    identity: Identity,
    read: Callable[[str], str | None],
) -> None:
    """Move ``ref`` from the old commit of ``change`` (None: it must not exist yet) to the
    new one; ``read`` gives a ref's value, read once the lock is taken.

    Raises:
        GitError: another writer holds the ref, or it no longer points to the old commit.
    """
    old, new = change
    lock = git_dir / f"{ref}.lock"
    try:
        handle = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise _refused(f"{ref} is locked") from None
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            if read(ref) != old:
                raise _refused(f"{ref} has moved")
            out.write(f"{new}\n")
        line = _log_line(old or ZERO_ID, new, identity, message)
        for log in (git_dir / "logs" / ref, git_dir / "logs" / "HEAD"):
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as out:
                out.write(line)
        os.replace(lock, git_dir / ref)
    except BaseException:
        lock.unlink(missing_ok=True)
        raise


def _refused(detail: str) -> GitError:
    return GitError(_("git failed: {detail}").format(detail=detail), detail)


def _log_line(old: str, new: str, identity: Identity, message: str) -> str:
    """One line of a ref's log, as git writes it."""
    summary = " ".join(message.split())
    return f"{old} {new} {identity.name} <{identity.email}> {git_stamp()}\t{summary}\n"
