"""The shared repository: its address, fetch, push and clone (the only module to import GitPython).

A fetch or push never asks for a password and never waits longer than its timeout; what went
wrong is told by ``store.git.failures``. A push is checked flag by flag, and never forced.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from git import GitCommandError, PushInfo, Remote, RemoteProgress, Repo
from git.cmd import handle_process_output
from git.exc import InvalidGitRepositoryError, NoSuchPathError
from git.util import finalize_process

from store.errors import RejectedError, RemoteError, SyncError, git_fault
from store.git import failures
from store.git.program import QUIET_GIT_ENV, ssh_command
from store.i18n import N_, _
from store.progress import report, stage

# GitPython logs a warning for every error line of a failed fetch; with no handler configured,
# Python would print it on stderr, where the command line promises one clear line.
logging.getLogger("git").addHandler(logging.NullHandler())

REMOTE = "origin"
DEFAULT_TIMEOUT = 90.0  # seconds a fetch or push may take before it is given up
SCHEMES = ("https", "http", "ssh", "git", "file", "git+ssh", "ssh+git")
SCHEME_PATTERN = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
BRANCH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


# --- addresses ------------------------------------------------------------------------------


def _refused(url: str) -> RemoteError:
    return RemoteError(
        _(
            "“{url}” is not an address Carnet accepts: give an https, ssh or file address, "
            "or the path of a folder"
        ).format(url=url)
    )


def check_remote_url(url: str) -> str:
    """Check the address of a shared repository; return it as it will be stored.

    Accepted: ``https://``, ``http://``, ``ssh://``, ``git://``, ``file://`` URLs, the scp-like
    ``user@host:path``, and folder paths. Refused: transport helpers (``ext::``, ``fd::``, any
    ``name::address``), other schemes (each would run a ``git-remote-<scheme>`` program),
    anything that looks like a command-line option, control characters.

    Raises:
        RemoteError: the address is refused, in words saying what to give instead.
    """
    candidate = url.strip()
    if (
        not candidate
        or candidate.startswith("-")
        or "::" in candidate
        or any(ord(c) < 32 or ord(c) == 127 for c in candidate)
    ):
        raise _refused(url)
    match = SCHEME_PATTERN.match(candidate)
    if match:
        scheme = match.group(1).lower()
        authority = candidate[match.end() :].split("/", 1)[0]
        host = authority.rsplit("@", 1)[-1]
        if scheme not in SCHEMES or host.startswith("-") or (scheme != "file" and not host):
            raise _refused(url)
        return candidate
    colon, slash = candidate.find(":"), candidate.find("/")
    if colon > 0 and (slash < 0 or colon < slash):
        # git reads "host:path" (no slash before the colon) as ssh.
        host = candidate[:colon].rsplit("@", 1)[-1]
        if not host or host.startswith("-"):
            raise _refused(url)
    return candidate


def stored_url(url: str) -> str:
    """A folder given by a relative path is stored absolute, so the clone can move."""
    if SCHEME_PATTERN.match(url):
        return url
    path = Path(url).expanduser()
    return str(path.resolve()) if path.exists() else url


def add_remote(root: Path, url: str) -> None:
    """Link the notebook at ``root`` to the shared repository at ``url`` (used by ``init``).

    Raises:
        RemoteError: the address is refused.
    """
    url = stored_url(check_remote_url(url))
    with _open_repo(root, DEFAULT_TIMEOUT) as repo:
        try:
            if any(remote.name == REMOTE for remote in repo.remotes):
                repo.remote(REMOTE).set_url(url)
            else:
                repo.create_remote(REMOTE, url)
        except (GitCommandError, ValueError) as exc:
            raise _refused(url) from exc


# --- talking to it --------------------------------------------------------------------------


def _git_env(timeout: float) -> dict[str, str]:
    seconds = str(max(1, round(timeout)))
    return {
        **QUIET_GIT_ENV,
        "GIT_SSH_COMMAND": ssh_command(int(seconds)),
        # An https transfer that stalls below 1 byte/s for this long is abandoned.
        "GIT_HTTP_LOW_SPEED_LIMIT": "1",
        "GIT_HTTP_LOW_SPEED_TIME": seconds,
        "GCM_INTERACTIVE": "never",
        "GIT_MERGE_AUTOEDIT": "no",
    }


@contextlib.contextmanager
def _open_repo(root: Path, timeout: float) -> Iterator[Repo]:
    """The notebook's repository through GitPython, closed afterwards (no stray git process).

    Whatever else git refuses meanwhile is said as a ``SyncError``.
    """
    try:
        repo = Repo(root)
    except (InvalidGitRepositoryError, NoSuchPathError) as exc:
        raise SyncError(
            _("{path} is not a notebook (no git repository there)").format(path=root)
        ) from exc
    try:
        repo.git.update_environment(**_git_env(timeout))
        yield repo
    except GitCommandError as exc:
        raise failures.unexpected(_output(exc), exc.status, root) from exc
    finally:
        repo.close()


def _output(exc: GitCommandError, progress: RemoteProgress | None = None) -> list[str]:
    """Everything git said before failing: GitPython keeps only part of it in the exception."""
    text = f"{exc.stderr or ''}\n{exc.stdout or ''}"
    if progress is not None:
        text += "\n" + "\n".join([*progress.other_lines, *progress.error_lines])
    return [line.strip() for line in text.splitlines() if line.strip()]


def classify(
    exc: GitCommandError,
    timeout: float,
    progress: RemoteProgress | None = None,
    joining: bool = False,
) -> SyncError:
    """The store's error for a failed fetch or push (see ``store.git.failures.classify``)."""
    return failures.classify(_output(exc, progress), exc.status, timeout, joining)


class CopyProgress(RemoteProgress):
    """What git tells of the copy of ``carnet join`` as it goes, passed on to
    ``store.progress``, a stage for each of its steps: the objects received (or unpacked, for
    a small copy) and their deltas resolved by the fetch, the files written by the checkout.
    """

    STAGES = {
        RemoteProgress.RECEIVING: N_("Copying the notebook"),
        RemoteProgress.RESOLVING: N_("Unpacking the copy"),
    }
    # The steps GitPython does not know, and drops.
    DROPPED_STAGES = {
        "Unpacking objects": N_("Copying the notebook"),
        "Updating files": N_("Writing the files"),
    }
    COUNTED = re.compile(r"([\w ]+):\s+\d+% \((\d+)/(\d+)\)")

    def __init__(self) -> None:
        super().__init__()
        self.stage_label: str | None = None
        # GitPython reads git's output in threads of its own, which do not share this one's
        # context variables: whoever listens (store.progress) is heard through this one's.
        self._context = contextvars.copy_context()

    def update(
        self,
        op_code: int,
        cur_count: str | float,
        max_count: str | float | None = None,
        message: str = "",
    ) -> None:
        label = self.STAGES.get(op_code & self.OP_MASK)
        if label is not None and max_count:
            self._tell(label, int(cur_count), int(max_count))

    def line_dropped(self, line: str) -> None:
        match = self.COUNTED.match(line)
        label = self.DROPPED_STAGES.get(match.group(1)) if match else None
        if match and label is not None:
            self._tell(label, int(match.group(2)), int(match.group(3)))

    def _tell(self, label: str, done: int, total: int) -> None:
        begins = label != self.stage_label
        self.stage_label = label
        self._context.run(_report_in_stage, label if begins else None, done, total)


def _report_in_stage(begins: str | None, done: int, total: int) -> None:
    if begins is not None:
        stage(_(begins))
    report(done, total)


class SharedRepository:
    """The shared repository a notebook's clone fetches from and pushes to (``origin``)."""

    def __init__(self, repo: Repo, timeout: float, *, joining: bool = False) -> None:
        self._repo = repo
        self._timeout = timeout
        self._joining = joining  # the first fetch of carnet join: no work of theirs here yet
        self._remote: Remote | None = None

    def check(self) -> None:
        """Make sure the clone is linked to a shared repository at an acceptable address.

        Raises:
            RemoteError: no shared repository is set, or its address is refused.
        """
        self._origin()

    def _origin(self) -> Remote:
        if self._remote is not None:
            return self._remote
        if not any(remote.name == REMOTE for remote in self._repo.remotes):
            raise RemoteError(
                _(
                    "this notebook is not linked to a shared repository: "
                    "run git remote add origin ADDRESS in its folder, or carnet join ADDRESS"
                )
            )
        remote = self._repo.remote(REMOTE)
        # The address is read from .git/config, which anyone may have edited: check it each time.
        for url in remote.urls:
            check_remote_url(url)
        self._remote = remote
        return remote

    def fetch(self) -> None:
        """Fetch every branch of the shared repository into ``refs/remotes/origin/``.

        Raises:
            SyncError: of the kind that says why (offline, credentials, no such repository).
        """
        origin = self._origin()
        progress = CopyProgress() if self._joining else RemoteProgress()
        try:
            # An explicit wildcard: no error when the shared repository is still empty.
            origin.fetch(
                f"+refs/heads/*:refs/remotes/{REMOTE}/*",
                progress=progress,
                kill_after_timeout=self._timeout,
            )
        except GitCommandError as exc:
            raise classify(exc, self._timeout, progress, self._joining) from exc

    def push(self, branch: str) -> bool:
        """Push ``branch``; True if the shared repository took it, False if it moved meanwhile.

        Raises:
            RejectedError: the shared repository refused the push for another reason.
            SyncError: of the kind that says why the push failed.
        """
        origin = self._origin()
        progress = RemoteProgress()
        try:
            infos = origin.push(
                f"refs/heads/{branch}:refs/heads/{branch}",
                progress=progress,
                kill_after_timeout=self._timeout,
            )
        except GitCommandError as exc:
            raise classify(exc, self._timeout, progress) from exc
        if not infos:
            error = infos.error
            if isinstance(error, GitCommandError):
                raise classify(error, self._timeout, progress) from error
            raise SyncError(_("sync failed (no answer to the push): try again"))
        for info in infos:
            # A push refused by the server doesn't raise: every flag is checked.
            if info.flags & PushInfo.REJECTED or _lost_race(info):
                return False
            if info.flags & (PushInfo.REMOTE_REJECTED | PushInfo.REMOTE_FAILURE | PushInfo.ERROR):
                raise RejectedError(
                    _(
                        "the shared repository refused your changes ({detail}): "
                        "ask whoever runs it; your work is kept here"
                    ).format(detail=(info.summary or "").strip() or "?")
                )
        return True


@contextlib.contextmanager
def shared_repository(root: Path, timeout: float) -> Iterator[SharedRepository]:
    """The shared repository of the notebook at ``root``, reached with ``timeout`` seconds.

    Raises:
        SyncError: ``root`` holds no git repository, or git refused a step.
    """
    with _open_repo(root, timeout) as repo:
        yield SharedRepository(repo, timeout)


# What a remote says when another push updated the branch between our check and our write:
# a race, to be fetched, merged and pushed again like any rejection, not a refusal.
_RACE = ("failed to update ref", "cannot lock ref", "failed to lock", "incorrect old value")


def _lost_race(info: PushInfo) -> bool:
    summary = (info.summary or "").lower()
    return bool(info.flags & PushInfo.REMOTE_REJECTED) and any(word in summary for word in _RACE)


def clone(url: str, dest: Path, seconds: float) -> None:
    """Copy the shared repository at ``url`` into ``dest``, on its main branch.

    Through init + fetch, as a clone cannot be given a timeout. Both tell how far they have
    gone (``store.progress``), a stage of their own for each step (``CopyProgress``), and
    leave the work that follows (the notebook read) under its own label.

    Raises:
        RemoteError: the address is refused or holds no branch to copy.
        SyncError: of the kind that says why the fetch failed, or the copy could not be made.
    """
    dest.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(Repo.init(dest)) as repo:
        repo.git.update_environment(**_git_env(seconds))
        try:
            remote = repo.create_remote(REMOTE, url)
        except (GitCommandError, ValueError) as exc:
            raise _refused(url) from exc
        try:
            SharedRepository(repo, seconds, joining=True).fetch()
        finally:
            stage(None)
        heads = sorted(ref.remote_head for ref in remote.refs if ref.remote_head != "HEAD")
        branch = next((b for b in ("main", "master") if b in heads), heads[0] if heads else None)
        if branch is None or not BRANCH_PATTERN.match(branch):
            raise RemoteError(
                _(
                    "the shared repository at {url} holds no notebook yet: "
                    "ask whoever created it to sync first"
                ).format(url=url)
            )
        progress = CopyProgress()
        try:
            _checkout(repo, branch, progress)
        except GitCommandError as exc:
            output = _output(exc, progress)
            fault = git_fault(" ".join(output), dest)
            raise SyncError(
                fault
                or _("the copy could not be made ({detail})").format(
                    detail=failures.detail(output, exc.status)
                )
            ) from exc
        finally:
            stage(None)


def _checkout(repo: Repo, branch: str, progress: CopyProgress) -> None:
    """Write the files of ``branch`` as fetched, git's progress read as it goes (``-q`` alone
    would silence it; ``--progress`` keeps it off a terminal, where git runs here)."""
    process = repo.git.checkout(
        "--progress", "-q", "-B", branch, "--track", f"refs/remotes/{REMOTE}/{branch}",
        as_process=True, universal_newlines=True,  # "\r" ends a line: each step is heard
    )  # fmt: skip
    handle_process_output(
        process, None, progress.new_message_handler(), finalize_process, decode_streams=False
    )
