"""The notebook's local git repository: commits (signed when this clone signs), history, refs.

Everything that talks to a remote lives in ``store.git.remote``.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from store.errors import GitError, NotANotebookError
from store.git import refs
from store.git.batch import close_reader, start_reader
from store.git.command import GIT
from store.git.objects import (
    commit_bytes,
    remember_commit,
    tree_with,
    write_object,
    writes_sha1,
)
from store.git.program import (
    ALLOWED_SIGNERS,
    CARNET_DIR,
    QUIET_GIT_ENV,
    ZERO_ID,
    Identity,
    forget_index_updates,
    git_bytes,
    git_config,
    note_index_behind,
    refresh_index,
    remove_abandoned_index_lock,
    run_git,
    start_index_update,
)
from store.i18n import _


class HistoryItem(NamedTuple):
    """One commit that touched a document."""

    commit: str
    author: str
    email: str
    time: str
    message: str


# How git reports that ssh-keygen could not sign: no such key, a passphrase it could not ask.
SIGNING_REFUSED = re.compile(r"load (public )?key|passphrase|signing|write commit object", re.I)


def signing_options(key: Path | None) -> list[str]:
    """git's options (before the command) to sign with the SSH key ``key``; none without."""
    if key is None:
        return []
    return ["-c", "gpg.format=ssh", "-c", f"user.signingKey={key}"]


def signing_failed(key: Path) -> GitError:
    """What to say when ``ssh-keygen`` could not sign with ``key``."""
    return GitError(
        _(
            "your SSH key {path} could not sign: if it has a passphrase, add it to ssh-agent "
            "(ssh-add), or choose another key (carnet key --sign)"
        ).format(path=key)
    )


class Standing(NamedTuple):
    """How the branch compares with the shared repository's, as of the last fetch."""

    ahead: int = 0  # commits here that the shared repository doesn't have
    behind: int = 0  # commits fetched but not yet merged
    unpushed: int = 0  # commits other than merges not shared yet
    pending: int = 0  # files changed but not committed


class LocalRepository:
    """The git repository a notebook lives in.

    ``signing_key`` (the path of an SSH public key, its private half beside it or in
    ssh-agent): when set, every commit made here is signed with it.
    """

    def __init__(self, root: Path, signing_key: Path | None = None) -> None:
        self.root = root
        self.signing_key = signing_key
        self.git_dir = root / ".git"
        if not self.git_dir.is_dir():
            raise NotANotebookError(
                _("{path} is not a notebook (no git repository there)").format(path=root)
            )

    @classmethod
    def create(cls, root: Path) -> LocalRepository:
        """Make a new repository at ``root`` with ``main`` as its branch."""
        root.mkdir(parents=True, exist_ok=True)
        run_git(root, "init", "-q", "-b", "main")
        return cls(root)

    @property
    def local_dir(self) -> Path:
        """Where Carnet keeps this clone's own state: settings, cache, sync log."""
        path = self.git_dir / CARNET_DIR
        # A notebook on a read-only disk can still be read: writing there will say why not.
        with contextlib.suppress(OSError):
            path.mkdir(exist_ok=True)
        return path

    def write_allowed_signers(self, text: str) -> None:
        """Let git verify the participants' signatures: ``text`` is the ``allowed_signers``
        file (``store.keys.allowed_signers``), which this clone's git configuration names,
        so that ``git log --show-signature`` says whose key signed each commit."""
        path = self.local_dir / ALLOWED_SIGNERS
        try:
            if path.exists() and path.read_text(encoding="utf-8") == text:
                return
            path.write_text(text, encoding="utf-8")
        except OSError:
            return  # a read-only clone: signatures are verified with what is there
        if git_config("gpg.ssh.allowedSignersFile", self.root) != str(path):
            run_git(self.root, "config", "gpg.ssh.allowedSignersFile", str(path))

    def head(self) -> str | None:
        """The commit HEAD points to, read from the files (no process started), or None."""
        try:
            head = (self.git_dir / "HEAD").read_text().strip()
        except OSError:
            return None
        if not head.startswith("ref: "):
            return head or None
        return self.ref(head[5:])

    def branch(self) -> str | None:
        """The branch HEAD is on, read from the files, or None (a detached HEAD)."""
        try:
            head = (self.git_dir / "HEAD").read_text().strip()
        except OSError:
            return None
        return (
            head.removeprefix("ref: refs/heads/") if head.startswith("ref: refs/heads/") else None
        )

    def ref(self, ref: str) -> str | None:
        """The commit ``ref`` (``refs/...``) points to, read from the files, or None."""
        try:
            return (self.git_dir / ref).read_text().strip() or None
        except OSError:
            pass
        try:
            packed = (self.git_dir / "packed-refs").read_text()
        except OSError:
            return None
        for line in packed.splitlines():
            sha, _sep, name = line.partition(" ")
            if name == ref:
                return sha
        return None

    def commit(self, paths: Sequence[str], message: str, identity: Identity) -> str | None:
        """Commit ``paths`` as ``identity`` on top of HEAD; return the new commit, or None.

        The commit is built from those files alone (``store.git.objects``), while git's
        index is brought up to date with them in a process of its own, which the action does
        not wait for: reading and rewriting its 119,000 paths at 10,000 entries is what costs.
        The paths are recorded as behind first, so that whatever happens to that process
        (killed, or refused because another git holds the index) ``refresh_index`` brings the
        index up to date before a git command that reads it, and when this process ends. The
        branch moves last, and only if it still points where it did (``update-ref`` with the
        old value), so a concurrent writer is refused rather than overwritten; until it
        moves, the files are as the action left them.
        """
        if not paths:
            return None
        self.repair()
        parent = self.head()
        note_index_behind(self.root, paths)
        index = start_index_update(self.root, paths)
        if writes_sha1(self.git_dir):
            tree = tree_with(self.root, self.git_dir, parent, paths)
        else:  # a SHA-256 repository: through the index, as git's own commit does
            if index is None or not refresh_index(self.root):
                raise GitError(_("git failed: {detail}").format(detail="update-index"))
            tree = run_git(self.root, "write-tree").strip()
        commit = self._commit_object(tree, [parent] if parent else [], message, identity)
        remember_commit(commit, tree)
        summary = message.strip().splitlines()[0] if message.strip() else "carnet"
        self._move_branch(parent, commit, f"commit: {summary}", identity)
        return commit

    def start_tree_reader(self) -> None:
        """Start the git process that ``commit`` asks for the trees it changes
        (``store.git.batch``), before the files to commit are written: a process that
        commits once (``carnet add``) would otherwise wait for git's start, 5–8 ms of its
        whole 150, after them; started first, git starts while they are written and synced."""
        if writes_sha1(self.git_dir):
            start_reader(self.root)

    def _move_branch(self, old: str | None, new: str, message: str, identity: Identity) -> None:
        """Move HEAD's branch from ``old`` (None: no commit yet) to ``new``, only if it still
        points to ``old``: written as git does (``store.git.refs``, no process), or by
        ``git update-ref`` where that cannot be."""
        branch = refs.branch_file(self.git_dir)
        if branch is None:
            run_git(self.root, "update-ref", "-m", message, "HEAD", new, old or ZERO_ID)
            return
        refs.move(self.git_dir, branch, (old, new), message, identity, self.ref)

    def _commit_object(
        self, tree: str, parents: Sequence[str], message: str, identity: Identity
    ) -> str:
        """An action's commit: written directly (one git process fewer) when it is not signed
        and SHA-1 names it, else by ``commit_tree``."""
        data = None
        if self.signing_key is None and writes_sha1(self.git_dir):
            data = commit_bytes(tree, parents, message, identity.name, identity.email)
        if data is None:
            return self.commit_tree(tree, parents, message, identity)
        return write_object(self.git_dir, b"commit", data).hex()

    def commit_tree(
        self, tree: str, parents: Sequence[str], message: str, identity: Identity
    ) -> str:
        """Make a commit of ``tree`` (signed when this clone signs); return it. No ref moves."""
        options = [arg for parent in parents for arg in ("-p", parent)]
        return self._signed(
            "commit-tree", tree, *options, "-F", "-", identity=identity, input_text=message
        ).strip()

    def unstage(self, paths: Sequence[str]) -> None:
        """Make git's index forget what a failed action staged of ``paths`` (best effort: on a
        disk that is still full, or read-only, git cannot write its index either; another git
        may hold it). Its index update is waited for first, or it could stage them after; and
        the next refresh brings them back to the files whatever became of this."""
        forget_index_updates(self.root)
        with contextlib.suppress(GitError):
            if self.head() is None:
                run_git(self.root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *paths)
            else:
                run_git(self.root, "reset", "-q", "--", *paths)

    def may_have_pending(self) -> bool:
        """Whether anything can have been left uncommitted since this process last looked
        (``commit_pending``); True when it cannot tell.

        Every sync starts by asking, and leaves no git process running, even when it fails:
        the trees' reader of the actions (``store.git.batch``) ends here, the next action
        starts it again.
        """
        from store.git.watch import CLEAN  # the watch (inotify) only for what syncs

        close_reader()
        return not CLEAN.still_clean(self.root, self.head())

    def commit_pending(self, message: str, identity: Identity) -> str | None:
        """Commit whatever an interrupted action, or a hand edit, left uncommitted.

        Looking costs a ``git status`` of every file, unless this process has watched the work
        tree since the last one found nothing and saw nothing happen (``store.git.watch``).
        """
        from store.git.watch import CLEAN

        self.repair()
        if CLEAN.still_clean(self.root, self.head()):
            return None
        self.refresh_index()
        index = CLEAN.watch(self.root)
        # Without writing the index (it would refresh it): the index as the watch began is
        # the one this status vouches for.
        status = run_git(
            self.root, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"
        )
        if not status.strip():
            CLEAN.found_clean(self.root, self.head(), index)
            return None
        run_git(self.root, "add", "-A", "--", ".")
        self._signed(
            "commit", "-q", "--no-verify", "-F", "-", identity=identity, input_text=message
        )
        return self.head()

    def _signed(self, command: str, *args: str, identity: Identity, input_text: str) -> str:
        """Run a git command that makes a commit, signing it when this clone signs."""
        key = self.signing_key
        if key is None:
            return run_git(self.root, command, *args, identity=identity, input_text=input_text)
        try:
            return run_git(
                self.root, *signing_options(key), command, "-S", *args,
                identity=identity, input_text=input_text,
            )  # fmt: skip
        except GitError as exc:
            # What git says when ssh-keygen refused (a disk fault has been said plainly already).
            if SIGNING_REFUSED.search(str(exc)):
                raise signing_failed(key) from exc
            raise

    def refresh_index(self) -> None:
        """Bring git's index up to date with what actions committed without it
        (``store.git.program.refresh_index``), before a git command that reads it.

        Raises:
            GitError: git could not write its index.
        """
        if not refresh_index(self.root):
            raise GitError(_("git failed: {detail}").format(detail="update-index"))

    def repair(self) -> None:
        """Remove an ``index.lock``, or a lock of HEAD's branch, left by a process that was
        killed.

        Only called while this notebook's own lock is held, so no other action's git owns
        the branch's. The index's may be live: an earlier action's index update still
        running in a process of its own (``commit``), a ``carnet list`` in another terminal
        (its check takes the lock when it is free), the participant's own ``git add``. Such
        a lock is left (``remove_abandoned_index_lock``): the next update finds the index
        locked and leaves its paths behind, for the next refresh.
        """
        remove_abandoned_index_lock(self.root)
        branch = refs.branch_file(self.git_dir)
        if branch is not None:
            (self.git_dir / f"{branch}.lock").unlink(missing_ok=True)

    def versions(self, path: str, limit: int = 50) -> Iterator[bytes]:
        """The committed contents of ``path``, newest first (at most ``limit`` of them)."""
        try:
            commits = run_git(self.root, "log", f"-n{limit}", "--format=%H", "--", path).split()
        except GitError:
            return
        for commit in commits:
            try:
                done = subprocess.run(
                    [*GIT, "cat-file", "blob", f"{commit}:{path}"],
                    cwd=self.root, env={**os.environ, **QUIET_GIT_ENV},
                    capture_output=True, timeout=60,
                )  # fmt: skip
            except (OSError, subprocess.TimeoutExpired):
                return
            if done.returncode == 0:
                yield done.stdout

    def history(self, path: str) -> list[HistoryItem]:
        """The commits that touched ``path``, newest first."""
        out = run_git(self.root, "log", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e", "--", path)
        items = []
        for record in out.split("\x1e"):
            fields = record.strip("\n").split("\x1f")
            if len(fields) == 5:
                items.append(HistoryItem(*fields))
        return items

    def contents(self, names: Sequence[str]) -> list[bytes | None]:
        """The contents of the objects ``names`` (``COMMIT:path``, ``COMMIT^:path``), in order,
        read by one ``git cat-file --batch`` however many there are; None for a name that
        names no file (the path did not exist there, the commit has no parent).

        Raises:
            GitError: git could not read the repository.
        """
        if not names:
            return []
        done = git_bytes(
            self.root, "cat-file", "--batch", data="".join(f"{name}\n" for name in names).encode()
        )
        if done.returncode != 0:
            raise GitError(_("git failed: {detail}").format(detail="cat-file"))
        out, position = done.stdout, 0
        found: list[bytes | None] = []
        for _name in names:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            position = end + 1
            if len(header) != 3 or not header[2].isdigit():  # "missing", "ambiguous"
                found.append(None)
                continue
            size = int(header[2])
            found.append(out[position : position + size] if header[1] == b"blob" else None)
            position += size + 1  # the content, then a newline
        return found

    def standing(self, remote: str) -> Standing:
        """The branch against its copy fetched from ``remote`` (none fetched yet: against
        nothing); what git cannot tell counts as nothing."""
        ahead = behind = unpushed = 0
        try:
            branch = run_git(self.root, "symbolic-ref", "-q", "--short", "HEAD").strip()
            tracking = f"refs/remotes/{remote}/{branch}"
            if run_git(self.root, "for-each-ref", "--format=%(refname)", tracking).strip():
                counts = run_git(
                    self.root, "rev-list", "--left-right", "--count", f"HEAD...{tracking}"
                )
                ahead, behind = (int(n) for n in counts.split())
                unpushed = self._count("--no-merges", f"{tracking}..HEAD")
            elif self.head() is not None:
                ahead = self._count("HEAD")
                unpushed = self._count("--no-merges", "HEAD")
            refresh_index(self.root)  # behind, it would count the paths it is behind on
            pending = len(run_git(self.root, "status", "--porcelain", "-uall").splitlines())
        except (GitError, ValueError):
            pending = 0
        return Standing(ahead, behind, unpushed, pending)

    def _count(self, *revisions: str) -> int:
        return int(run_git(self.root, "rev-list", "--count", *revisions))
