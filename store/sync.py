"""Sharing a notebook with the others: commit, fetch, merge in Python, push (GitPython lives here).

This is the only module that imports GitPython. A sync never asks for a password, never waits
longer than its timeout, never lets git merge JSON line by line, and never force-pushes: the
documents both sides changed are merged by ``store.merge``, and the result is committed with
both parents.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import logging
import os
import random
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from git import Commit, GitCommandError, PushInfo, Reference, Remote, RemoteProgress, Repo
from git.exc import GitError, InvalidGitRepositoryError, NoSuchPathError

from store import gate
from store.errors import CarnetError, InvalidDocumentError, InvalidInputError, git_fault
from store.gate import Blob, Change, Refusal
from store.i18n import _
from store.keys import find_public_key, read_public_key
from store.layout import META_FILE, document_at, document_of
from store.merge import merge_file
from store.model import now, read_document
from store.notebook import (
    EntryFilter,
    Notebook,
    file_lock,
    load_settings,
    remove_made,
    save_settings,
)
from store.repo import (
    ALLOWED_SIGNERS,
    CARNET_DIR,
    EMPTY_TREE,
    QUIET_GIT_ENV,
    ZERO_ID,
    Identity,
    LocalRepository,
    git_config,
    ssh_command,
)

# GitPython logs a warning for every error line of a failed fetch; with no handler configured,
# Python would print it on stderr, where the command line promises one clear line.
logging.getLogger("git").addHandler(logging.NullHandler())

REMOTE = "origin"
DEFAULT_TIMEOUT = 90.0  # seconds a fetch or push may take before it is given up
TIMEOUT_VARIABLE = "CARNET_SYNC_TIMEOUT"
PUSH_ATTEMPTS = 5  # a rejected push is fetched, merged and pushed again at most this often
STATE_FILE = "sync.json"
SYNC_LOCK = "sync-lock"  # one sync at a time per clone; never held by local actions
SYNC_LOCK_TIMEOUT = 2.0
REFUSALS_KEPT = 500  # refusals of the gate remembered in the sync log for carnet doctor
MERGE_INDEX = "merge-index"
GATE_INDEX = "gate-index"
FALLBACK_IDENTITY = Identity("Carnet", "carnet@localhost")

SCHEMES = ("https", "http", "ssh", "git", "file", "git+ssh", "ssh+git")
SCHEME_PATTERN = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
BRANCH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


class SyncError(CarnetError):
    """Sharing with the others failed; everything done on this computer is kept."""


class OfflineError(SyncError):
    """The shared repository cannot be reached: no network, unknown host, or no answer in time."""


class AuthError(SyncError):
    """The shared repository refused the participant's credentials."""


class RejectedError(SyncError):
    """The shared repository kept refusing the push."""


class RemoteError(SyncError):
    """No shared repository is set, or its address is refused or leads nowhere."""


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


# --- remote addresses -----------------------------------------------------------------------


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


def _stored_url(url: str) -> str:
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
    url = _stored_url(check_remote_url(url))
    with _open_repo(root, DEFAULT_TIMEOUT) as repo:
        try:
            if any(remote.name == REMOTE for remote in repo.remotes):
                repo.remote(REMOTE).set_url(url)
            else:
                repo.create_remote(REMOTE, url)
        except (GitError, ValueError) as exc:
            raise _refused(url) from exc


# --- git plumbing, quietly ------------------------------------------------------------------


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


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
    """The notebook's repository through GitPython, closed afterwards (no stray git process)."""
    try:
        repo = Repo(root)
    except (InvalidGitRepositoryError, NoSuchPathError) as exc:
        raise SyncError(
            _("{path} is not a notebook (no git repository there)").format(path=root)
        ) from exc
    try:
        repo.git.update_environment(**_git_env(timeout))
        yield repo
    finally:
        repo.close()


def _output(exc: GitCommandError, progress: RemoteProgress | None = None) -> list[str]:
    """Everything git said before failing: GitPython keeps only part of it in the exception."""
    text = f"{exc.stderr or ''}\n{exc.stdout or ''}"
    if progress is not None:
        text += "\n" + "\n".join([*progress.other_lines, *progress.error_lines])
    return [line.strip() for line in text.splitlines() if line.strip()]


def _detail(exc: GitCommandError, progress: RemoteProgress | None = None) -> str:
    lines = [
        line
        for line in _output(exc, progress)
        if not line.startswith(("stderr:", "stdout:", "Looking up", "Connecting to"))
    ]
    meaningful = [line for line in lines if "fatal:" in line or "error:" in line]
    text = (meaningful or lines or [str(exc.status)])[-1]
    for prefix in ("fatal:", "error:"):
        text = text.rsplit(prefix, 1)[-1]
    return text.strip("'\" ")


_OFFLINE = (
    "could not resolve", "connection refused", "connection timed out", "timed out",
    "network is unreachable", "no route to host", "temporary failure in name resolution",
    "unable to connect", "failed to connect", "couldn't connect", "connection reset",
    "the remote end hung up", "early eof", "operation too slow", "unable to look up",
    "name or service not known", "host is down", "broken pipe",
)  # fmt: skip
_AUTH = (
    "authentication failed", "could not read username", "could not read password",
    "terminal prompts disabled", "permission denied", "access denied", "http basic",
    "invalid username or password", "requested url returned error: 401",
    "requested url returned error: 403",
)  # fmt: skip
# ssh: the server knows none of the keys offered (or none exists).
_UNKNOWN_KEY = ("permission denied (publickey",)
# ssh: the server's host key is not the one remembered in known_hosts.
_CHANGED_HOST = (
    "remote host identification has changed", "has changed and you have requested strict",
)  # fmt: skip
# ssh: any other reason not to trust the server (a key marked revoked, say).
_UNTRUSTED_HOST = ("host key verification failed",)
_OFFENDING_LINE = re.compile(r"offending \S+ key in (.+):(\d+)$", re.IGNORECASE)
# https: a name and password were given (by a credential helper) and refused.
_WRONG_PASSWORD = ("authentication failed for", "invalid username or password")
# https: a password is needed and no credential helper gave one (prompts are off).
_NO_PASSWORD = ("could not read username", "could not read password", "terminal prompts disabled")
_MISSING = (
    "does not appear to be a git repository", "repository not found", "not found",
    "no such file or directory", "not a git repository", "returned error: 404",
    "no such repository", "not exported",
)  # fmt: skip


def _credentials_refused(lines: list[str], text: str) -> AuthError | None:
    """What to do when the server refused who we are, or we refused who the server is."""
    if any(word in text for word in _CHANGED_HOST):
        found = [match for line in lines if (match := _OFFENDING_LINE.search(line))]
        if found:
            return AuthError(
                _(
                    "the server's identity has changed since this computer last met it (it may "
                    "be an impostor, so nothing was sent): ask whoever hosts the notebook whether "
                    "they changed the server; if they did, delete line {line} of {file}, "
                    "then sync again"
                ).format(line=found[-1].group(2), file=found[-1].group(1))
            )
        return AuthError(
            _(
                "the server's identity has changed since this computer last met it (it may be an "
                "impostor, so nothing was sent): ask whoever hosts the notebook whether they "
                "changed the server"
            )
        )
    if any(word in text for word in _UNTRUSTED_HOST):
        return AuthError(
            _(
                "this computer does not trust the server's identity, so nothing was sent: ask "
                "whoever hosts the notebook to check the server's key with you"
            )
        )
    if any(word in text for word in _UNKNOWN_KEY):
        key = find_public_key()
        if key is None:
            return AuthError(
                _(
                    "the server asks for an SSH key and this computer has none: create one "
                    "with carnet key --create, send the public key it shows to whoever hosts "
                    "the notebook, then try again once they have added it"
                )
            )
        return AuthError(
            _(
                "the server does not know your SSH key: send your public key {key} (carnet key "
                "shows it) to whoever hosts the notebook, then try again once they have added it"
            ).format(key=key)
        )
    if any(word in text for word in _WRONG_PASSWORD):
        return AuthError(
            _(
                "the shared repository refused your name or password: check them with whoever "
                "hosts the notebook, then sync again"
            )
        )
    if any(word in text for word in _NO_PASSWORD):
        return AuthError(
            _(
                "the shared repository asks for a name and password, and none is saved on this "
                "computer: save them once in a git credential helper (your system's keychain, "
                "or git config --global credential.helper store, then type them once at a "
                "git fetch in a terminal), then sync again"
            )
        )
    return None


def _classify(
    exc: GitCommandError, timeout: float, progress: RemoteProgress | None = None
) -> SyncError:
    """Turn a failed fetch or push into the error kind and words a participant can act on."""
    detail = _detail(exc, progress)
    said_by_ssh = [line for line in _output(exc, progress) if line.startswith("ssh:")]
    if said_by_ssh:  # what ssh saw, not git's "Could not read from remote repository"
        detail = said_by_ssh[-1].removeprefix("ssh:").strip()
    text = " ".join(_output(exc, progress)).lower()
    # Before the disk faults: ssh's "Permission denied (publickey)" is not about a folder.
    auth = _credentials_refused(_output(exc, progress), text)
    if auth is not None:
        return auth
    fault = git_fault(text)
    if fault is not None:  # a full disk, a read-only folder: the participant can fix it
        return SyncError(fault)
    if "kill_after_timeout" in text or "killed because it timed out" in text:
        return OfflineError(
            _(
                "the shared repository did not answer within {seconds} seconds: "
                "your work is kept here; sync again later"
            ).format(seconds=round(timeout))
        )
    if any(word in text for word in _AUTH):
        return AuthError(
            _(
                "the shared repository refused your access ({detail}): check your SSH key or "
                "password with whoever runs it, then sync again"
            ).format(detail=detail)
        )
    if any(word in text for word in _OFFLINE):
        return OfflineError(
            _(
                "cannot reach the shared repository ({detail}): your work is kept here; "
                "sync again when you are online"
            ).format(detail=detail)
        )
    if any(word in text for word in _MISSING):
        return RemoteError(
            _(
                "no shared repository was found at that address ({detail}): check the address"
            ).format(detail=detail)
        )
    return SyncError(
        _("sync failed ({detail}): your work is kept here; try again").format(detail=detail)
    )


def _remote(repo: Repo) -> Remote:
    if not any(remote.name == REMOTE for remote in repo.remotes):
        raise RemoteError(
            _(
                "this notebook is not linked to a shared repository: "
                "run git remote add origin ADDRESS in its folder, or carnet join ADDRESS"
            )
        )
    remote = repo.remote(REMOTE)
    # The address is read from .git/config, which anyone may have edited: check it each time.
    for url in remote.urls:
        check_remote_url(url)
    return remote


def _fetch(remote: Remote, timeout: float) -> None:
    progress = RemoteProgress()
    try:
        # An explicit wildcard: no error when the shared repository is still empty.
        remote.fetch(
            f"+refs/heads/*:refs/remotes/{REMOTE}/*",
            progress=progress,
            kill_after_timeout=timeout,
        )
    except GitCommandError as exc:
        raise _classify(exc, timeout, progress) from exc


def _push(remote: Remote, branch: str, timeout: float) -> bool:
    """Push ``branch``; True if the shared repository took it, False if it moved meanwhile."""
    progress = RemoteProgress()
    try:
        infos = remote.push(
            f"refs/heads/{branch}:refs/heads/{branch}",
            progress=progress,
            kill_after_timeout=timeout,
        )
    except GitCommandError as exc:
        raise _classify(exc, timeout, progress) from exc
    if not infos:
        error = infos.error
        if isinstance(error, GitCommandError):
            raise _classify(error, timeout, progress) from error
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


# What a remote says when another push updated the branch between our check and our write:
# a race, to be fetched, merged and pushed again like any rejection, not a refusal.
_RACE = ("failed to update ref", "cannot lock ref", "failed to lock", "incorrect old value")


def _lost_race(info: PushInfo) -> bool:
    summary = (info.summary or "").lower()
    return bool(info.flags & PushInfo.REMOTE_REJECTED) and any(word in summary for word in _RACE)


def _reference(repo: Repo, path: str) -> Commit | None:
    ref = Reference(repo, path)
    return ref.commit if ref.is_valid() else None


def _branch(repo: Repo) -> str:
    if repo.head.is_detached:
        raise SyncError(
            _("the notebook is not on a branch: run git switch main in its folder, then sync")
        )
    name = repo.active_branch.name
    if not BRANCH_PATTERN.match(name):
        raise SyncError(_("the branch “{name}” cannot be synced").format(name=name))
    return name


def _identity(notebook: Notebook) -> Identity:
    me = notebook.me_participant
    if me is not None:
        return Identity(me.name, me.email)
    name, email = git_config("user.name", notebook.root), git_config("user.email", notebook.root)
    return Identity(name, email) if name and email else FALLBACK_IDENTITY


# --- merging --------------------------------------------------------------------------------


@dataclass
class _Outcome:
    merged: int = 0
    conflicts: int = 0
    problems: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()
    new_entries: tuple[str, ...] = ()
    new_comments: tuple[str, ...] = ()


def _move_to(repo: Repo, branch: str, old: str, new: str) -> None:
    """Bring the work tree, then the branch, from commit ``old`` to commit ``new``.

    The files come first: if Carnet is killed in between, the next start finds the merged files
    uncommitted and commits them, rather than a branch whose files say the opposite.
    """
    repo.git.read_tree("-m", "-u", old, new)
    repo.git.update_ref("-m", "carnet: sync", f"refs/heads/{branch}", new, old)


def _changes(repo: Repo, old: str, new: str) -> dict[str, Change]:
    """Every path that differs between two commits, with its version in each."""
    out = repo.git.diff_tree(
        "-r", "-z", "--raw", "--no-renames", "--no-abbrev", old, new,
        strip_newline_in_stdout=False,
    )  # fmt: skip
    fields = out.split("\0")
    return {fields[at + 1]: _raw_change(fields[at]) for at in range(0, len(fields) - 1, 2)}


def _raw_change(raw: str) -> Change:
    """One record of git's ``--raw`` output.

    The record reads ":<old mode> <new mode> <old sha> <new sha> <status>".
    """
    old_mode, new_mode, old_sha, new_sha, _status = raw.lstrip(":").split(" ")
    return Change(
        Blob(old_mode, old_sha) if old_sha != ZERO_ID else None,
        Blob(new_mode, new_sha) if new_sha != ZERO_ID else None,
    )


def _incoming_versions(
    repo: Repo, ours: str, theirs: str, paths: Iterable[str]
) -> tuple[dict[str, list[gate.Version]], dict[str, gate.Origin]]:
    """For each path, the versions the commits of theirs that ours lacks gave it, newest first;
    and every such commit, with its parents and author.

    A merge commit counts by what it changed from its first parent: a sync's merge made a
    version of its own (both sides' edits), which a later commit may have damaged.
    """
    wanted = set(paths)
    # %G? and %GK: whether git verified the commit's SSH signature (G: by a listed key, U: by
    # another one, still a good signature), and the fingerprint of the key that made it.
    out = repo.git.log(
        "-z", "--raw", "--no-renames", "--no-abbrev", "--diff-merges=first-parent",
        "--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%G?%x1f%GK", f"{ours}..{theirs}",
        strip_newline_in_stdout=False, env=_verify_env(Path(repo.git_dir)),
    )  # fmt: skip
    found: dict[str, list[gate.Version]] = {}
    commits: dict[str, gate.Origin] = {}
    for record in out.split("\x1e")[1:]:
        header, *fields = record.split("\0")
        commit, parents, author, email, good, key = (header.split("\x1f", 5) + [""] * 5)[:6]
        signer = key if good in ("G", "U") else ""
        commits[commit] = gate.Origin(tuple(parents.split()), author, email, signer)
        for at in range(0, len(fields) - 1, 2):
            raw, path = fields[at].strip("\n"), fields[at + 1]
            if path not in wanted or not raw.startswith(":"):
                continue
            change = _raw_change(raw)
            found.setdefault(path, []).append(
                gate.Version(commit, author, email, change.new, change.old)
            )
    return found, commits


def _known_participants(repo: Repo, carnet_dir: Path, commit: str) -> gate.Known:
    """Each participant's email and keys, and whether signatures are required, as the files
    of ``commit`` say (a damaged record names nobody; a damaged ``carnet.json`` requires
    nothing, and cannot arrive: the gate puts the valid one back)."""
    listing = repo.git.ls_tree(
        "-z", commit, "--", "participants/", META_FILE, strip_newline_in_stdout=False
    )
    shas: dict[tuple[str, str], str] = {}
    for record in listing.split("\0"):
        info, _tab, path = record.partition("\t")
        parts = info.split()
        found = document_of(path)
        if len(parts) == 3 and parts[0] in gate.FILE_MODES and found is not None:
            shas[found] = parts[2]
    contents = _read_blobs(repo, carnet_dir, list(shas.values()))
    known = gate.Known()
    for (table, doc_id), sha in shas.items():
        with contextlib.suppress(InvalidDocumentError):
            doc = read_document(table, doc_id, contents[sha])
            if table == "meta":
                known.required = doc.get("signatures") == "required"
            else:
                known.emails[doc_id] = doc["email"]
                known.keys[doc_id] = tuple(doc.get("keys", ()))
    return known


def _verify_env(git_dir: Path) -> dict[str, str]:
    """git's settings to verify SSH signatures: its ``allowed_signers`` file must exist."""
    path = git_dir / CARNET_DIR / ALLOWED_SIGNERS
    if not path.exists():
        with contextlib.suppress(OSError):
            path.write_text("", encoding="utf-8")
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "gpg.ssh.allowedSignersFile",
        "GIT_CONFIG_VALUE_0": str(path),
    }


def _gate(
    repo: Repo, carnet_dir: Path, base: str, ours: Commit, theirs: Commit, blobs: dict[str, bytes]
) -> tuple[str, tuple[Refusal, ...]]:
    """Check what arrives (see ``store.gate``); return the tree to merge in place of theirs.

    That tree is theirs with every refused change undone; the merge commit still has theirs
    as its parent, so the damaged versions stay in history, where they can be read. The
    blobs it reads are kept in ``blobs``, for the merge that follows.
    """
    commits: dict[str, gate.Origin] = {}

    def read(shas: Iterable[str]) -> Mapping[str, bytes]:
        missing = [sha for sha in set(shas) if sha not in blobs]
        blobs.update(_read_blobs(repo, carnet_dir, missing))
        return blobs

    def history(paths: Iterable[str]) -> Mapping[str, list[gate.Version]]:
        versions, found = _incoming_versions(repo, ours.hexsha, theirs.hexsha, paths)
        commits.update(found)
        return versions

    def blob_at(commit: str, path: str) -> Blob | None:
        # Only for a merge's parent or base outside the incoming commits: rare, one process.
        line = repo.git.ls_tree("-z", commit, "--", path, strip_newline_in_stdout=False)
        info, _tab, _path = line.split("\0")[0].partition("\t")
        parts = info.split()
        return Blob(parts[0], parts[2]) if len(parts) == 3 and parts[1] == "blob" else None

    def merge_base(one: str, other: str) -> str | None:
        found = repo.merge_base(one, other)  # the one Carnet's merge starts from (_merge)
        return found[0].hexsha if found else None

    # The records as this clone knows them: an incoming one may have been rewritten.
    lineage = gate.Lineage(
        theirs.hexsha, commits, _known_participants(repo, carnet_dir, ours.hexsha),
        blob_at, merge_base,
    )  # fmt: skip
    verdict = gate.inspect(
        _changes(repo, base, theirs.hexsha), _changes(repo, base, ours.hexsha), read, history,
        lineage,
    )  # fmt: skip
    tip = (theirs.hexsha, theirs.author.name or "", theirs.author.email or "")
    refused = tuple(
        refusal if refusal.commit else dataclasses.replace(
            refusal, commit=tip[0], author=tip[1], email=tip[2])
        for refusal in verdict.refusals
    )  # fmt: skip
    if not verdict.replace:
        return theirs.tree.hexsha, refused
    index_file = carnet_dir / GATE_INDEX
    index_file.unlink(missing_ok=True)
    env = {"GIT_INDEX_FILE": str(index_file)}
    try:
        repo.git.read_tree(theirs.hexsha, env=env)
        # A path put back replaces whatever theirs has in its way (a link where its folder
        # was, files under a folder where it was a file): git's index does that by itself.
        lines = [
            f"0 {ZERO_ID}\t{path}\0" if blob is None else f"{blob.mode} {blob.sha}\t{path}\0"
            for path, blob in sorted(verdict.replace.items())
        ]
        _index_info(repo, carnet_dir, env, lines)
        tree: str = repo.git.write_tree(env=env)
    finally:
        index_file.unlink(missing_ok=True)
    return tree, refused


def _index_info(repo: Repo, carnet_dir: Path, env: dict[str, str], lines: list[str]) -> None:
    """Set index entries with ``update-index --index-info`` (lines of "mode sha\tpath\0")."""
    if not lines:
        return
    info_file = carnet_dir / "index-info"
    info_file.write_text("".join(lines), encoding="utf-8", errors="surrogateescape")
    try:
        with open(info_file, "rb") as stream:
            repo.git.update_index("-z", "--index-info", env=env, istream=stream)
    finally:
        info_file.unlink(missing_ok=True)


def _merge(
    repo: Repo,
    local: LocalRepository,
    branch: str,
    ours: Commit,
    theirs: Commit,
    bases: list[Commit],
    identity: Identity,
    read_only: bool,
) -> _Outcome:
    """Merge ``theirs`` into ``ours``: the gate first, then git settles the files one side
    changed, and Python the rest.

    With several merge bases (criss-cross history) the first is used: a field whose value
    differs on both sides from it becomes a recorded conflict, never a silent loss. When ours
    is the merge base, theirs is taken as it is (a fast-forward) unless the gate refused a
    change: then a merge commit puts the refused documents back, and is shared like any other.
    """
    fast_forward = ours in bases
    base = ours.hexsha if fast_forward else bases[0].hexsha if bases else EMPTY_TREE
    carnet_dir = Path(repo.git_dir) / "carnet"
    carnet_dir.mkdir(exist_ok=True)
    blobs: dict[str, bytes] = {}
    theirs_tree, refused = _gate(repo, carnet_dir, base, ours, theirs, blobs)
    outcome = _Outcome(refused=refused)
    if fast_forward and theirs_tree == theirs.tree.hexsha:
        _move_to(repo, branch, ours.hexsha, theirs.hexsha)
        return _arrivals(repo, outcome, ours.hexsha, theirs.hexsha)
    if read_only:
        raise SyncError(
            _(
                "this notebook was written by a newer Carnet: update Carnet, then sync "
                "(your work is kept here)"
            )
        )
    if fast_forward:
        tree = theirs_tree  # ours is the base: nothing of ours to merge in
    else:
        tree = _merge_trees(repo, carnet_dir, base, ours, theirs_tree, outcome, blobs)
    commit = local.commit_tree(
        tree, [ours.hexsha, theirs.hexsha], _("Sync: merge the others' changes"), identity
    )
    _move_to(repo, branch, ours.hexsha, commit)
    return _arrivals(repo, outcome, ours.hexsha, commit)


def _merge_trees(
    repo: Repo,
    carnet_dir: Path,
    base: str,
    ours: Commit,
    theirs_tree: str,
    outcome: _Outcome,
    blobs: dict[str, bytes],
) -> str:
    """The merged tree of ``base``, ``ours`` and ``theirs_tree``, counted in ``outcome``.

    ``blobs`` holds the contents already read (by the gate); only the others are read here.
    """
    index_file = carnet_dir / MERGE_INDEX
    index_file.unlink(missing_ok=True)
    # A private index: the participant's own index and files stay untouched until the end.
    env = {"GIT_INDEX_FILE": str(index_file)}
    try:
        repo.git.read_tree("-m", "--aggressive", base, ours.hexsha, theirs_tree, env=env)
        listing = repo.git.ls_files("-u", "-z", env=env, strip_newline_in_stdout=False)
        stages: dict[str, dict[int, tuple[str, str]]] = {}
        for record in listing.split("\0"):
            if record:
                info, _tab, path = record.partition("\t")
                mode, sha, stage = info.split()
                stages.setdefault(path, {})[int(stage)] = (mode, sha)
        problems: list[str] = []
        merged: list[tuple[str, str, bytes]] = []
        wanted = {sha for versions in stages.values() for _m, sha in versions.values()}
        blobs.update(_read_blobs(repo, carnet_dir, sorted(wanted - blobs.keys())))
        for path in sorted(stages):
            versions = stages[path]
            base_data, ours_data, theirs_data = (
                blobs[versions[stage][1]] if stage in versions else None for stage in (1, 2, 3)
            )
            result = merge_file(path, base_data, ours_data, theirs_data)
            mode = (versions.get(2) or versions.get(3) or versions[1])[0]
            merged.append((path, mode, result.data))
            outcome.merged += 1
            outcome.conflicts += result.conflicts
            if result.problem is not None:
                problems.append(path)
        outcome.problems = tuple(problems)
        shas = _store_blobs(repo, carnet_dir, [data for _path, _mode, data in merged])
        lines = [
            f"{mode} {sha} 0\t{path}\0"
            for (path, mode, _data), sha in zip(merged, shas, strict=True)
        ]
        _index_info(repo, carnet_dir, env, lines)
        tree: str = repo.git.write_tree(env=env)
    finally:
        index_file.unlink(missing_ok=True)
    return tree


def _store_blobs(repo: Repo, carnet_dir: Path, blobs: list[bytes]) -> list[str]:
    """Write blobs into the repository with one git process, as one pack.

    ``git fast-import`` writes them into a single pack file: several times faster than as many
    loose objects (``hash-object -w``), and GitPython would start one process per blob.
    """
    if not blobs:
        return []
    commands = carnet_dir / "merge-blobs"
    marks = carnet_dir / "merge-marks"
    try:
        with open(commands, "wb") as stream:
            for number, data in enumerate(blobs, start=1):
                stream.write(b"blob\nmark :%d\ndata %d\n" % (number, len(data)))
                stream.write(data)
                stream.write(b"\n")
        with open(commands, "rb") as stream:
            repo.git.fast_import("--quiet", f"--export-marks={marks}", istream=stream)
        shas: dict[int, str] = {}
        for line in marks.read_text(encoding="ascii").splitlines():
            mark, _space, sha = line.partition(" ")
            shas[int(mark[1:])] = sha
    finally:
        commands.unlink(missing_ok=True)
        marks.unlink(missing_ok=True)
    if sorted(shas) != list(range(1, len(blobs) + 1)):
        raise SyncError(_("sync failed ({detail}): try again").format(detail="fast-import"))
    return [shas[number] for number in range(1, len(blobs) + 1)]


def _read_blobs(repo: Repo, carnet_dir: Path, shas: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, read by one ``git cat-file --batch`` (not one call each)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    listing = carnet_dir / "merge-shas"
    try:
        listing.write_text("\n".join(wanted) + "\n", encoding="ascii")
        with open(listing, "rb") as stream:
            output: bytes = repo.git.cat_file(
                "--batch", istream=stream, stdout_as_string=False, strip_newline_in_stdout=False
            )
    finally:
        listing.unlink(missing_ok=True)
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in wanted:
        # Each answer: "<sha> <type> <size>\n<content>\n", in the order asked.
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if len(header) != 3 or header[0].decode("ascii") != sha:
            raise SyncError(_("sync failed ({detail}): try again").format(detail="cat-file"))
        size = int(header[2])
        blobs[sha] = output[header_end + 1 : header_end + 1 + size]
        at = header_end + 2 + size
    return blobs


def _integrate(repo: Repo, notebook: Notebook, branch: str, identity: Identity) -> _Outcome:
    """Bring what was fetched into the branch: fast-forward, or merge, through the gate."""
    theirs = _reference(repo, f"refs/remotes/{REMOTE}/{branch}")
    ours = repo.head.commit
    if theirs is None or theirs == ours:
        return _Outcome()
    bases = repo.merge_base(ours, theirs)
    if theirs in bases:  # nothing new over there
        return _Outcome()
    return _merge(repo, notebook.repo, branch, ours, theirs, bases, identity, notebook.read_only)


def _arrivals(repo: Repo, outcome: _Outcome, old: str, new: str) -> _Outcome:
    """``outcome`` with the entries and comments that exist at ``new`` and did not at ``old``."""
    names = repo.git.diff(
        "--name-only", "-z", "--diff-filter=A", "--no-renames", old, new, "--",
        "entries", "comments", strip_newline_in_stdout=False,
    )  # fmt: skip
    entries: list[str] = []
    comments: list[str] = []
    for name in names.split("\0"):
        found = document_at(name)
        if found is not None:
            table, doc_id = found
            (entries if table == "entries" else comments).append(doc_id)
    outcome.new_entries, outcome.new_comments = tuple(sorted(entries)), tuple(sorted(comments))
    return outcome


# --- the operations -------------------------------------------------------------------------


def sync(notebook: Notebook, *, push: bool = True, timeout: float | None = None) -> SyncReport:
    """Share the participant's work and receive the others': commit, fetch, merge, push.

    Safe to run from a worker thread: it never prompts, gives up on a network operation after
    ``timeout`` seconds (default: ``CARNET_SYNC_TIMEOUT`` or 90), and holds the notebook's
    lock only for local work (a commit, a merge), never while waiting for the network, so
    participant actions go on meanwhile. The notebook is reloaded afterwards if anything
    arrived.

    Raises:
        OfflineError: the shared repository cannot be reached (local commits are kept).
        AuthError: the credentials were refused.
        RejectedError: the push was still refused after a few fetch-merge-push rounds.
        RemoteError: no shared repository is set, or its address is refused or wrong.
        BusyError: another sync of this notebook is running.
        SyncError: anything else git refused.
    """
    seconds = _timeout(timeout)
    local_dir = notebook.repo.local_dir
    busy = _("this notebook is already being synced (another window?): wait a moment")
    with file_lock(local_dir / SYNC_LOCK, SYNC_LOCK_TIMEOUT, busy):
        save_settings(local_dir, STATE_FILE, last_attempt=now())
        try:
            report = _sync(notebook, push, seconds)
        except SyncError as exc:
            save_settings(
                local_dir, STATE_FILE, offline=isinstance(exc, OfflineError), last_error=str(exc)
            )
            raise
        except GitCommandError as exc:
            fault = git_fault(" ".join(_output(exc)), notebook.root)
            error = SyncError(
                fault or _("sync failed ({detail}): try again").format(detail=_detail(exc))
            )
            save_settings(local_dir, STATE_FILE, offline=False, last_error=str(error))
            raise error from exc
        finally:
            notebook.refresh()
        notebook.share_keys()
        values: dict[str, object] = {"last_sync": now(), "offline": False, "last_error": None}
        if report.refused:
            known = load_settings(local_dir, STATE_FILE).get("refused")
            kept = known if isinstance(known, list) else []
            values["refused"] = [*kept, *(r.to_doc() for r in report.refused)][-REFUSALS_KEPT:]
        save_settings(local_dir, STATE_FILE, **values)
    return report


def refusals(notebook: Notebook) -> list[Refusal]:
    """What the gate of past syncs refused, oldest first (for ``carnet doctor``)."""
    known = load_settings(notebook.repo.local_dir, STATE_FILE).get("refused")
    return [Refusal.from_doc(doc) for doc in known or () if isinstance(doc, dict)]


def _first_fetch(
    notebook: Notebook, repo: Repo, identity: Identity, seconds: float
) -> tuple[Remote, str]:
    """Commit what an interrupted action left uncommitted, and fetch, both at once.

    Finding what is uncommitted means a ``git status`` that examines every file of the work
    tree (a third of a second at 10,000 entries), while a fetch mostly waits for the other
    repository: they overlap. The fetch only writes ``refs/remotes`` and objects, never the
    index, the branch or the files that the commit reads and writes, so it needs no lock.
    """

    def commit_pending() -> None:
        with notebook.locked():
            notebook.repo.commit_pending(_("Save changes left unsaved"), identity)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = None if notebook.read_only else pool.submit(commit_pending)
        try:
            remote = _remote(repo)
            branch = _branch(repo)
            _fetch(remote, seconds)
        except BaseException:
            if pending is not None:
                pending.exception()  # wait for it: its work is kept; the first error is told
            raise
        if pending is not None:
            pending.result()
    return remote, branch


def _sync(notebook: Notebook, push: bool, seconds: float) -> SyncReport:
    identity = _identity(notebook)
    with _open_repo(notebook.root, seconds) as repo:
        remote, branch = _first_fetch(notebook, repo, identity, seconds)
        total = _Outcome()
        integrated = pushed = False
        for attempt in range(PUSH_ATTEMPTS):
            if attempt:
                # Two participants pushing at the same moment would meet again at once.
                time.sleep(random.uniform(0.05, 0.25) * attempt)
                _fetch(remote, seconds)
            with notebook.locked():
                before = repo.head.commit
                outcome = _integrate(repo, notebook, branch, identity)
                integrated = integrated or repo.head.commit != before
            total.merged += outcome.merged
            total.conflicts += outcome.conflicts
            total.problems += outcome.problems
            total.refused += outcome.refused
            total.new_entries += outcome.new_entries
            total.new_comments += outcome.new_comments
            theirs = _reference(repo, f"refs/remotes/{REMOTE}/{branch}")
            if not push or (theirs is not None and theirs == repo.head.commit):
                break
            if _push(remote, branch, seconds):
                pushed = True
                break
        else:
            raise RejectedError(
                _(
                    "the shared repository refused your changes {count} times: "
                    "your work is kept here; sync again in a moment"
                ).format(count=PUSH_ATTEMPTS)
            )
    return SyncReport(
        fetched=True,
        merged=total.merged,
        conflicts=total.conflicts,
        pushed=pushed,
        new_entries=tuple(sorted(set(total.new_entries))),
        new_comments=tuple(sorted(set(total.new_comments))),
        up_to_date=not integrated and not pushed,
        problems=tuple(sorted(set(total.problems))),
        refused=total.refused,
    )


def status(notebook: Notebook) -> SyncStatus:
    """Where the notebook stands, from what the last fetch saw: no network, a few milliseconds."""
    from store.repo import GitError as LocalGitError
    from store.repo import run_git

    root = notebook.root
    state = load_settings(notebook.repo.local_dir, STATE_FILE)
    remote = git_config(f"remote.{REMOTE}.url", root)
    ahead = behind = unpushed = 0
    try:
        branch = run_git(root, "symbolic-ref", "-q", "--short", "HEAD").strip()
        tracking = f"refs/remotes/{REMOTE}/{branch}"
        has_tracking = bool(run_git(root, "for-each-ref", "--format=%(refname)", tracking).strip())
        if has_tracking:
            counts = run_git(root, "rev-list", "--left-right", "--count", f"HEAD...{tracking}")
            ahead, behind = (int(n) for n in counts.split())
            unpushed = int(run_git(root, "rev-list", "--count", "--no-merges", f"{tracking}..HEAD"))
        elif notebook.repo.head() is not None:
            ahead = int(run_git(root, "rev-list", "--count", "HEAD"))
            unpushed = int(run_git(root, "rev-list", "--count", "--no-merges", "HEAD"))
        pending = len(run_git(root, "status", "--porcelain", "-uall").splitlines())
    except (LocalGitError, ValueError):
        pending = 0
    return SyncStatus(
        remote=remote,
        ahead=ahead,
        behind=behind,
        unpushed=unpushed,
        last_sync=state.get("last_sync"),
        offline=bool(state.get("offline")),
        conflicts=len(notebook.entries(EntryFilter(conflicts=True))),
        pending=pending,
        last_error=state.get("last_error"),
    )


def join(
    url: str,
    dest: Path,
    *,
    name: str,
    email: str,
    organisation: str = "",
    role: str = "",
    timeout: float | None = None,
    signing_key: Path | None = None,
) -> Notebook:
    """Take part in a shared notebook: copy it into ``dest`` and register the participant.

    The registration is one commit, pushed at once if the shared repository can be reached
    (otherwise it waits for the next sync). With ``signing_key`` (an SSH public key file),
    it and every later commit of this clone are signed with that key.

    Raises:
        RemoteError: the address is refused or holds no notebook.
        OfflineError, AuthError: the shared repository could not be read.
        InvalidInputError: ``dest`` is not empty, or the name or email is missing.
    """
    url = _stored_url(check_remote_url(url))
    dest = Path(dest)
    if not name.strip() or "@" not in email:
        raise InvalidInputError(
            _("give your name and email (--name, --email) to take part in a notebook")
        )
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidInputError(
            _("{path} is not empty: choose a new folder for the notebook").format(path=dest)
        )
    if signing_key is not None:
        read_public_key(signing_key)  # a wrong key is said before anything is copied
    created = not dest.exists()
    seconds = _timeout(timeout)
    try:
        _clone(url, dest, seconds)
    except BaseException:
        # Leave no half-made folder behind, so joining again just works.
        remove_made(dest, not created)
        raise
    notebook = Notebook(dest)
    notebook.add_participant(name, email, organisation, role, signing_key)
    with contextlib.suppress(OfflineError, AuthError, RejectedError):
        sync(notebook, timeout=seconds)
    return notebook


def _clone(url: str, dest: Path, seconds: float) -> None:
    """Clone through init + fetch, as a clone cannot be given a timeout."""
    dest.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(Repo.init(dest)) as repo:
        repo.git.update_environment(**_git_env(seconds))
        try:
            remote = repo.create_remote(REMOTE, url)
        except (GitError, ValueError) as exc:
            raise _refused(url) from exc
        _fetch(remote, seconds)
        heads = sorted(ref.remote_head for ref in remote.refs if ref.remote_head != "HEAD")
        branch = next((b for b in ("main", "master") if b in heads), heads[0] if heads else None)
        if branch is None or not BRANCH_PATTERN.match(branch):
            raise RemoteError(
                _(
                    "the shared repository at {url} holds no notebook yet: "
                    "ask whoever created it to sync first"
                ).format(url=url)
            )
        try:
            repo.git.checkout("-q", "-B", branch, "--track", f"refs/remotes/{REMOTE}/{branch}")
        except GitCommandError as exc:
            fault = git_fault(" ".join(_output(exc)), dest)
            raise SyncError(
                fault or _("the copy could not be made ({detail})").format(detail=_detail(exc))
            ) from exc
    if not (dest / META_FILE).is_file():
        raise RemoteError(
            _(
                "the shared repository at {url} holds no notebook (no {file}): check the address"
            ).format(url=url, file=META_FILE)
        )
