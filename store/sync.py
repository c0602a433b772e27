"""Sharing a notebook with the others: commit, fetch, merge in Python, push.

A sync never asks for a password, never waits longer than its timeout, never lets git merge
JSON line by line, and never force-pushes: the documents both sides changed are merged by
``store.merge``, and the result is committed with both parents. The git side of it is in
``store.git``; what arrives is brought in by ``store.incoming``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from store.errors import (
    AuthError,
    InvalidInputError,
    OfflineError,
    RejectedError,
    RemoteError,
    SyncError,
)
from store.gate import Refusal
from store.git import remote as shared
from store.git.program import Identity, git_config
from store.git.remote import (
    BRANCH_PATTERN,
    DEFAULT_TIMEOUT,
    REMOTE,
    SharedRepository,
    add_remote,
    check_remote_url,
)
from store.i18n import _
from store.keys import read_public_key
from store.local import file_lock, load_settings, save_settings
from store.model import now
from store.notebook import EntryFilter, Notebook, remove_made
from store.sync_result import Outcome, SyncReport, SyncStatus

# Those who sync, or show what a sync did, find everything here.
__all__ = [
    "AuthError",
    "OfflineError",
    "RejectedError",
    "RemoteError",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "add_remote",
    "check_remote_url",
    "join",
    "refusals",
    "status",
    "sync",
]

TIMEOUT_VARIABLE = "CARNET_SYNC_TIMEOUT"
PUSH_ATTEMPTS = 5  # a rejected push is fetched, merged and pushed again at most this often
STATE_FILE = "sync.json"
SYNC_LOCK = "sync-lock"  # one sync at a time per clone; never held by local actions
SYNC_LOCK_TIMEOUT = 2.0
REFUSALS_KEPT = 500  # refusals of the gate remembered in the sync log for carnet doctor
FALLBACK_IDENTITY = Identity("Carnet", "carnet@localhost")


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(os.environ.get(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _branch(notebook: Notebook) -> str:
    name = notebook.repo.branch()
    if name is None:
        raise SyncError(
            _("the notebook is not on a branch: run git switch main in its folder, then sync")
        )
    if not BRANCH_PATTERN.match(name):
        raise SyncError(_("the branch “{name}” cannot be synced").format(name=name))
    return name


def _identity(notebook: Notebook) -> Identity:
    me = notebook.me_participant
    if me is not None:
        return Identity(me.name, me.email)
    name, email = git_config("user.name", notebook.root), git_config("user.email", notebook.root)
    return Identity(name, email) if name and email else FALLBACK_IDENTITY


def _integrate(branch: str, notebook: Notebook, identity: Callable[[], Identity]) -> Outcome:
    """Bring what was fetched into the branch: fast-forward, or merge, through the gate."""
    repo = notebook.repo
    theirs = repo.ref(f"refs/remotes/{REMOTE}/{branch}")
    ours = repo.head()
    if theirs is None or ours is None or theirs == ours:
        return Outcome()
    # Only a sync that brings something in needs the merge and the gate.
    from store.git import trees
    from store.incoming import merge

    base = trees.merge_base(repo, ours, theirs)
    if base == theirs:  # nothing new over there
        return Outcome()
    return merge(repo, branch, ours, theirs, base, identity(), notebook.read_only)


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
        # Written once, with how it ended: a state file's fsync costs a third of a sync
        # with nothing to do.
        attempt = now()
        try:
            report = _sync(notebook, push, seconds)
        except SyncError as exc:
            save_settings(
                local_dir, STATE_FILE, last_attempt=attempt,
                offline=isinstance(exc, OfflineError), last_error=str(exc),
            )  # fmt: skip
            raise
        finally:
            notebook.refresh()
        notebook.share_keys()
        notebook.close_overdue_decisions()  # what arrived may include one past its day
        values: dict[str, object] = {
            "last_attempt": attempt, "last_sync": now(), "offline": False, "last_error": None,
        }  # fmt: skip
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
    notebook: Notebook, repository: SharedRepository, identity: Callable[[], Identity]
) -> str:
    """Commit what an interrupted action or a hand edit left uncommitted, and fetch, both at
    once.

    Finding what is uncommitted means a ``git status`` that examines every file of the work
    tree (a third of a second at 10,000 entries), while a fetch mostly waits for the other
    repository: they overlap. The fetch only writes ``refs/remotes`` and objects, never the
    index, the branch or the files that the commit reads and writes, so it needs no lock.
    When this process has watched the work tree since a status found nothing, and nothing
    happened there, there is nothing to look for (``store.git.watch``).
    """
    if notebook.read_only or not notebook.repo.may_have_pending():
        repository.check()
        branch = _branch(notebook)
        repository.fetch()
        return branch

    import concurrent.futures

    def commit_pending() -> None:
        with notebook.locked():
            notebook.repo.commit_pending(_("Save changes left unsaved"), identity())

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(commit_pending)
        try:
            repository.check()
            branch = _branch(notebook)
            repository.fetch()
        except BaseException:
            pending.exception()  # wait for it: its work is kept; the first error is told
            raise
        pending.result()
    return branch


def _sync(notebook: Notebook, push: bool, seconds: float) -> SyncReport:
    # Asked of git only by a sync that commits something.
    identity = functools.cache(lambda: _identity(notebook))
    repo = notebook.repo
    with shared.shared_repository(notebook.root, seconds) as repository:
        branch = _first_fetch(notebook, repository, identity)
        total = Outcome()
        integrated = pushed = False
        for attempt in range(PUSH_ATTEMPTS):
            if attempt:
                # Two participants pushing at the same moment would meet again at once.
                time.sleep(random.uniform(0.05, 0.25) * attempt)
                repository.fetch()
            with notebook.locked():
                before = repo.head()
                outcome = _integrate(branch, notebook, identity)
                integrated = integrated or repo.head() != before
            total.merged += outcome.merged
            total.conflicts += outcome.conflicts
            total.problems += outcome.problems
            total.refused += outcome.refused
            total.new_entries += outcome.new_entries
            total.new_comments += outcome.new_comments
            theirs = repo.ref(f"refs/remotes/{REMOTE}/{branch}")
            if not push or (theirs is not None and theirs == repo.head()):
                break
            if repository.push(branch):
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
    state = load_settings(notebook.repo.local_dir, STATE_FILE)
    remote = git_config(f"remote.{REMOTE}.url", notebook.root)
    standing = notebook.repo.standing(REMOTE)
    return SyncStatus(
        remote=remote,
        ahead=standing.ahead,
        behind=standing.behind,
        unpushed=standing.unpushed,
        last_sync=state.get("last_sync"),
        offline=bool(state.get("offline")),
        conflicts=len(notebook.entries(EntryFilter(conflicts=True))),
        pending=standing.pending,
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
    url = shared.stored_url(check_remote_url(url))
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
        shared.clone(url, dest, seconds)
    except BaseException:
        # Leave no half-made folder behind, so joining again just works.
        remove_made(dest, not created)
        raise
    notebook = Notebook(dest)
    notebook.add_participant(name, email, organisation, role, signing_key)
    with contextlib.suppress(OfflineError, AuthError, RejectedError):
        sync(notebook, timeout=seconds)
    return notebook
