"""Running the git program: quietly, never waiting for a person, its failures in plain words.

Local work runs the git binary directly: it costs a few milliseconds, where importing
GitPython alone costs more than the command line's whole budget for ``carnet add``.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from store.errors import GitError, git_fault
from store.git.command import GIT
from store.i18n import _


def ssh_command(seconds: int) -> str:
    """The ssh git runs: never a prompt, and a connection given up after ``seconds``.

    accept-new: a server met for the first time is trusted and remembered in
    ~/.ssh/known_hosts (BatchMode could not ask, and a participant could not check a
    fingerprint anyway); a server whose key later changes is still refused.
    """
    return f"ssh -o BatchMode=yes -o ConnectTimeout={seconds} -o StrictHostKeyChecking=accept-new"


# Never let git stop and wait for a person: no prompt, no pager, no editor.
QUIET_GIT_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "GIT_SSH_COMMAND": ssh_command(15),
    "GIT_PAGER": "cat",
    "GIT_EDITOR": ":",
    "LC_ALL": "C",
}
CARNET_DIR = "carnet"  # local state under .git/, never tracked
# The participants' SSH keys, for git to verify signatures (and ``git log --show-signature``).
ALLOWED_SIGNERS = "allowed_signers"
# The paths an action committed while git's index could not be updated (another git held it),
# NUL-separated: the index holds their earlier versions until ``refresh_index``.
INDEX_BEHIND = "index-behind"
ZERO_ID = "0" * 40  # "must not exist yet", for update-ref
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree


class Identity(NamedTuple):
    """Who a commit is by."""

    name: str
    email: str


def run_git(
    cwd: Path, *args: str, identity: Identity | None = None, input_text: str | None = None
) -> str:
    """Run ``git`` in ``cwd`` with no prompt possible; return its standard output.

    Raises:
        GitError: git is missing or exited with an error.
    """
    env: dict[str, str] = {}
    if identity is not None:
        env = {
            "GIT_AUTHOR_NAME": identity.name,
            "GIT_AUTHOR_EMAIL": identity.email,
            "GIT_COMMITTER_NAME": identity.name,
            "GIT_COMMITTER_EMAIL": identity.email,
        }
    done = _run(cwd, args, env, input_text, text=True)
    if done.returncode != 0:
        raise _failure(cwd, done.stderr, done.stdout, done.returncode)
    out: str = done.stdout
    return out


def git_bytes(
    cwd: Path, *args: str, data: bytes | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git`` in ``cwd`` on bytes (blobs, NUL-separated listings), for the sync's
    plumbing; its exit status and output are the caller's to read (``merge-base`` says
    "none" with 1).

    Raises:
        GitError: git is missing or did not answer in time.
    """
    return _run(cwd, args, env or {}, data, text=False)


def _run(
    cwd: Path, args: Sequence[str], env: Mapping[str, str], stdin: str | bytes | None, text: bool
) -> subprocess.CompletedProcess[Any]:
    try:
        return subprocess.run(
            [*GIT, "-c", "commit.gpgsign=false", *args],
            cwd=cwd,
            env={**os.environ, **QUIET_GIT_ENV, **env},
            input=stdin,
            capture_output=True,
            text=text,
            timeout=120,
            # No controlling terminal: ssh-keygen, signing, cannot stop to ask for a passphrase.
            start_new_session=True,
        )
    except FileNotFoundError:
        raise GitError(_("git is not installed: install git, then try again")) from None
    except subprocess.TimeoutExpired:
        raise GitError(_("git did not answer within two minutes")) from None


def _failure(cwd: Path, stderr: str, stdout: str, code: int) -> GitError:
    fault = git_fault(f"{stderr}\n{stdout}", cwd)
    if fault is not None:  # a full disk, a read-only folder: said in plain words
        return GitError(fault)
    lines = (stderr or stdout).strip().splitlines()
    detail = lines[-1] if lines else str(code)
    return GitError(_("git failed: {detail}").format(detail=detail), detail)


# The notebooks whose index this process left behind, brought up to date when it ends.
_LEFT_BEHIND: set[Path] = set()
# Each notebook's index updates this process started and has not waited for, the paths given
# to them, and the paths it recorded as behind since it last emptied the record: when those
# updates all succeeded and were given exactly what the record holds, they did the work and
# the record is emptied without another run.
_UPDATING: dict[Path, list[subprocess.Popen[bytes]]] = {}
_GIVEN: dict[Path, bytearray] = {}
_RECORDED: dict[Path, bytearray] = {}


def note_index_behind(root: Path, paths: Iterable[str]) -> None:
    """Remember that git's index is behind on ``paths``: called before the branch moves, so
    that a process killed at any point leaves at worst a path refreshed for nothing.

    When this process ends, the index is brought up to date: whoever runs plain git in the
    folder afterwards (``git status``, ``git commit -a``) finds it as git left it.
    """
    record = root / ".git" / CARNET_DIR / INDEX_BEHIND
    record.parent.mkdir(exist_ok=True)
    names = b"".join(os.fsencode(path) + b"\0" for path in paths)
    with open(record, "ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # not mixed with a refresh reading it
        handle.write(names)
    _RECORDED.setdefault(root, bytearray()).extend(names)
    if not _LEFT_BEHIND:
        atexit.register(_refresh_left_behind)
    _LEFT_BEHIND.add(root)


def _refresh_left_behind() -> None:
    for root in _LEFT_BEHIND:
        with contextlib.suppress(GitError):
            refresh_index(root)


# git's index brought up to date with the paths given on its standard input, NUL-separated:
# a file missing is taken out of it. Split: only the few entries changed are written.
UPDATE_INDEX = ("-c", "core.splitIndex=true", "update-index", "-q", "--add", "--remove", "-z",
                "--stdin")  # fmt: skip


def start_index_update(root: Path, paths: Iterable[str]) -> subprocess.Popen[bytes] | None:
    """Start bringing git's index up to date with ``paths``, in a process of its own that
    reads and writes the index while the caller goes on (``refresh_index`` waits for it);
    None if git cannot be started."""
    try:
        process = subprocess.Popen(
            [*GIT, *UPDATE_INDEX],
            cwd=root, env={**os.environ, **QUIET_GIT_ENV},
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:
        return None
    names = b"".join(os.fsencode(path) + b"\0" for path in paths)
    _UPDATING.setdefault(root, []).append(process)
    _GIVEN.setdefault(root, bytearray()).extend(names)
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError):
        process.stdin.write(names)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    return process


# An index.lock younger than this is taken for a live git's, whatever else says: git closes
# the lock file an instant before it renames it over the index.
LOCK_SETTLING = 2.0  # seconds


def remove_abandoned_index_lock(root: Path) -> None:
    """Remove git's ``index.lock`` if it was left by a process that is gone (killed, a machine
    that stopped): no index update of this process runs, no process has the file open, and it
    is older than ``LOCK_SETTLING``. A lock removed while a git held it let the next one lock
    the index too, and the first, ending, renamed that half-written lock over the index."""
    lock = root / ".git" / "index.lock"
    if any(process.poll() is None for process in _UPDATING.get(root, [])):
        return
    try:
        if time.time() - lock.stat().st_mtime < LOCK_SETTLING:
            return
    except OSError:
        return  # no lock
    if not _held_open(os.path.realpath(lock)):
        lock.unlink(missing_ok=True)


def _held_open(path: str) -> bool:
    """Whether a process this user can see has ``path`` open (Linux's /proc; where there is
    none, nobody can be seen)."""
    try:
        with os.scandir("/proc") as listing:
            processes = [entry.path for entry in listing if entry.name.isdigit()]
    except OSError:
        return False
    for process in processes:
        try:
            with os.scandir(f"{process}/fd") as listing:
                handles = [handle.path for handle in listing]
        except OSError:  # gone meanwhile, or another user's
            continue
        for handle in handles:
            with contextlib.suppress(OSError):  # closed meanwhile
                if os.readlink(handle) == path:
                    return True
    return False


def forget_index_updates(root: Path) -> None:
    """An action failed after its index update began: wait for that update, and forget what
    this process gave it, so that the next ``refresh_index`` does not take it for the work
    done. What it staged is the failed action's; the paths stay recorded as behind, and that
    refresh brings them back to the files the action put back."""
    _updates_done(root)
    _GIVEN.pop(root, None)
    _RECORDED.pop(root, None)


def _updates_done(root: Path) -> bool:
    """Wait for the index updates this process started; whether they all succeeded."""
    return all([process.wait() == 0 for process in _UPDATING.pop(root, [])])


def refresh_index(root: Path, wait: bool = True) -> bool:
    """Bring git's index up to date with the paths it was left behind on (``note_index_behind``),
    before a git command that reads it (``status``, ``read-tree -m``, ``add``); tell whether
    it is.

    ``wait`` False: if another process is refreshing it right now, leave it to that one.
    """
    updated = _updates_done(root)
    given, mine = bytes(_GIVEN.pop(root, b"")), bytes(_RECORDED.pop(root, b""))
    record = root / ".git" / CARNET_DIR / INDEX_BEHIND
    try:
        if record.stat().st_size == 0:
            return True
    except OSError:
        return True  # nothing recorded
    try:
        handle = open(record, "r+b")  # noqa: SIM115 - closed by the with below
    except OSError:
        return True  # a read-only clone, which commits nothing
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        paths = handle.read()
        if paths and not (updated and paths == mine == given):
            done = _run(root, UPDATE_INDEX, {}, paths, text=False)
            if done.returncode != 0:
                return False  # the index is locked or unwritable: kept for the next time
        handle.seek(0)
        handle.truncate()
    return True


def changed_between(
    root: Path, old: str | None, new: str, folders: Sequence[str] = ()
) -> set[str] | None:
    """The paths (under ``folders``, if given) that differ between two commits, or None if
    git cannot tell. ``old`` None stands for nothing at all: every path of ``new``.
    """
    try:
        out = run_git(root, "diff-tree", "-r", "-z", "--name-only", "--no-renames",
                      old or EMPTY_TREE, new, "--", *folders)  # fmt: skip
    except GitError:
        return None
    return {path for path in out.split("\0") if path}


def git_config(key: str, cwd: Path | None = None, *, path: bool = False) -> str | None:
    """A value of the user's git configuration, or None; with ``path``, as git reads a path
    (``~`` expanded)."""
    try:
        value = run_git(cwd or Path.cwd(), "config", *("--path",) * path, "--get", key).strip()
    except GitError:
        return None
    return value or None
