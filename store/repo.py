"""The notebook's local git repository, driven through the ``git`` program.

Local work (a commit per action, an entry's history) runs the git binary directly: it costs a
few milliseconds, where importing GitPython alone costs more than the command line's whole
budget for ``carnet add``. Everything that talks to a remote lives in ``store.sync``.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from store.errors import CarnetError, NotANotebookError, git_fault
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
ZERO_ID = "0" * 40  # "must not exist yet", for update-ref
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree


@dataclass(frozen=True)
class Identity:
    """Who a commit is by."""

    name: str
    email: str


@dataclass(frozen=True)
class HistoryItem:
    """One commit that touched a document."""

    commit: str
    author: str
    email: str
    time: str
    message: str


class GitError(CarnetError):
    """The git program failed on a local operation."""


def run_git(
    cwd: Path, *args: str, identity: Identity | None = None, input_text: str | None = None
) -> str:
    """Run ``git`` in ``cwd`` with no prompt possible; return its standard output.

    Raises:
        GitError: git is missing or exited with an error.
    """
    env = {**os.environ, **QUIET_GIT_ENV}
    if identity is not None:
        env.update(
            GIT_AUTHOR_NAME=identity.name,
            GIT_AUTHOR_EMAIL=identity.email,
            GIT_COMMITTER_NAME=identity.name,
            GIT_COMMITTER_EMAIL=identity.email,
        )
    try:
        done = subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", *args],
            cwd=cwd,
            env=env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=120,
            # No controlling terminal: ssh-keygen, signing, cannot stop to ask for a passphrase.
            start_new_session=True,
        )
    except FileNotFoundError:
        raise GitError(_("git is not installed: install git, then try again")) from None
    except subprocess.TimeoutExpired:
        raise GitError(_("git did not answer within two minutes")) from None
    if done.returncode != 0:
        fault = git_fault(f"{done.stderr}\n{done.stdout}", cwd)
        if fault is not None:  # a full disk, a read-only folder: said in plain words
            raise GitError(fault)
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(
            _("git failed: {detail}").format(detail=detail[-1] if detail else done.returncode)
        )
    return done.stdout


@dataclass(frozen=True)
class WorkTreeState:
    """What git says of the notebook's files: the commit HEAD points to (None before the first
    commit) and every path that differs from it, in the index or the work tree, or is untracked.
    """

    head: str | None
    differing: frozenset[str]


class WorkTreeProbe:
    """``git status`` of some folders, started at once and read later.

    It runs in its own process, so on a machine with two cores it costs nothing while the
    caller does something else (loading its cache). git compares each file with the stat data
    of its index, and reads the content when that data cannot be trusted (a file changed
    within the same timestamp tick as the index, which git calls "racily clean").
    """

    def __init__(self, root: Path, folders: Sequence[str]) -> None:
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                ["git", "-c", "core.hooksPath=/dev/null", "status", "--porcelain=v2", "-z",
                 "--branch", "--untracked-files=all", "--no-renames", "--", *folders],
                cwd=root, env={**os.environ, **QUIET_GIT_ENV},
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            self._process = None

    def result(self) -> WorkTreeState | None:
        """The state, or None if git could not tell (no git, not a repository, an error)."""
        if self._process is None:
            return None
        try:
            out, _err = self._process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            return None
        if self._process.returncode != 0:
            return None
        return _parse_status(out.decode("utf-8", "surrogateescape"))


# Fields before the path in ``git status --porcelain=v2`` records, by their first letter.
_STATUS_FIELDS = {"1": 8, "u": 10, "?": 1, "!": 1}


def _parse_status(out: str) -> WorkTreeState | None:
    head: str | None = None
    differing: set[str] = set()
    for record in out.split("\0"):
        if record.startswith("# branch.oid "):
            oid = record[len("# branch.oid ") :]
            head = None if oid == "(initial)" else oid
        elif record[:1] in _STATUS_FIELDS:
            fields = record.split(" ", _STATUS_FIELDS[record[0]])
            if len(fields) != _STATUS_FIELDS[record[0]] + 1:
                return None
            differing.add(fields[-1])
        elif record and not record.startswith("#"):
            return None  # a record this code does not know: better to read every file
    return WorkTreeState(head, frozenset(differing))


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


def git_config(key: str, cwd: Path | None = None) -> str | None:
    """A value of the user's git configuration, or None."""
    try:
        value = run_git(cwd or Path.cwd(), "config", "--get", key).strip()
    except GitError:
        return None
    return value or None


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
        ref = head[5:]
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

        Plumbing rather than ``git commit -- paths``: that command re-examines every file of
        the work tree, which costs most of a second at 10,000 entries, where updating the
        index entries of the few files an action wrote costs milliseconds. The split index
        keeps the index file written each time small. The branch moves only if it still
        points where it did (``update-ref`` with the old value), so a concurrent writer is
        refused rather than overwritten.
        """
        if not paths:
            return None
        self.repair()
        run_git(self.root, "-c", "core.splitIndex=true", "update-index", "--add", "--", *paths)
        tree = run_git(self.root, "write-tree").strip()
        parent = self.head()
        commit = self.commit_tree(tree, [parent] if parent else [], message, identity)
        summary = message.strip().splitlines()[0] if message.strip() else "carnet"
        run_git(
            self.root, "update-ref", "-m", f"commit: {summary}", "HEAD", commit,
            parent or ZERO_ID,
        )  # fmt: skip
        return commit

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
        disk that is still full, or read-only, git cannot write its index either)."""
        with contextlib.suppress(GitError):
            if self.head() is None:
                run_git(self.root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *paths)
            else:
                run_git(self.root, "reset", "-q", "--", *paths)

    def commit_pending(self, message: str, identity: Identity) -> str | None:
        """Commit whatever an interrupted action left written but uncommitted."""
        self.repair()
        status = run_git(self.root, "status", "--porcelain", "--untracked-files=all")
        if not status.strip():
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

    def repair(self) -> None:
        """Remove an ``index.lock`` left by a git process that was killed.

        Only called while this notebook's own lock is held, so no live git of ours owns it.
        """
        lock = self.git_dir / "index.lock"
        if lock.exists():
            lock.unlink()

    def versions(self, path: str, limit: int = 50) -> Iterator[bytes]:
        """The committed contents of ``path``, newest first (at most ``limit`` of them)."""
        try:
            commits = run_git(self.root, "log", f"-n{limit}", "--format=%H", "--", path).split()
        except GitError:
            return
        for commit in commits:
            try:
                done = subprocess.run(
                    ["git", "cat-file", "blob", f"{commit}:{path}"],
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
