"""Which commits already in the history should have been signed and are not (``carnet doctor``).

The sync's gate refuses what arrives unsigned in the name of someone who signs; this looks at
what is already there: commits made before this clone had the rules, or accepted from a clone
that did not check. A participant's commits must carry their signature from the commit that
first listed a key in their record; once ``carnet.json`` requires signatures, every commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.errors import GitError
from store.folder import META_FILE
from store.git.program import ALLOWED_SIGNERS, CARNET_DIR, run_git
from store.i18n import ngettext
from store.keys import fingerprint
from store.layout import document_path
from store.notebook import Notebook

UNSIGNED = "unsigned"  # no signature at all
WRONG_KEY = "wrong-key"  # a good signature, by a key that is not the author's
BAD = "bad"  # a signature that does not verify


@dataclass(frozen=True)
class UnsignedCommit:
    """A commit that should carry its author's signature, and what is wrong with it."""

    commit: str
    author: str
    email: str
    time: str
    problem: str


def unsigned_history(notebook: Notebook) -> list[UnsignedCommit]:
    """The commits of the history that should be signed by their author and are not, oldest
    first. Verifying a signature costs one ``ssh-keygen`` each: only the commits after the
    first key or the requirement appeared are looked at."""
    keys = {p.id: {fingerprint(k) for k in p.keys} for p in notebook.participants() if p.keys}
    owners = {p.email.casefold(): p.id for p in notebook.participants()}
    starts = {pid: _first_commit(notebook, document_path("participants", pid)) for pid in keys}
    required = _first_commit(notebook, META_FILE, '"signatures"')
    if not notebook.info.signatures_required:
        required = None
    # The commits that must be signed: for each participant with a key, those from its
    # first listing on (the commits that do not come before it); all, once required.
    after = {pid: _since(notebook, start) for pid, start in starts.items() if start}
    everyone = _since(notebook, required) if required else set()
    wanted = everyone.union(*after.values())
    if not wanted:
        return []
    notebook.share_keys()
    allowed = notebook.repo.git_dir / CARNET_DIR / ALLOWED_SIGNERS
    try:
        out = run_git(
            notebook.root, "-c", f"gpg.ssh.allowedSignersFile={allowed}",
            "log", "--no-walk=unsorted", "--stdin",
            "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%G?%x1f%GK",
            input_text="".join(f"{commit}\n" for commit in _oldest_first(notebook, wanted)),
        )  # fmt: skip
    except GitError:
        return []
    found = []
    for line in out.splitlines():
        commit, author, email, time, letter, key = (line.split("\x1f") + [""] * 5)[:6]
        owner = owners.get(email.casefold())
        if commit == required or commit in starts.values():
            continue  # the commit that adds a key is signed with it: the gate checked that
        if commit not in everyone and (owner is None or commit not in after.get(owner, ())):
            continue
        good = letter in ("G", "U")
        if good and (owner not in keys or key in keys[owner]):
            continue
        problem = WRONG_KEY if good else BAD if letter == "B" else UNSIGNED
        found.append(UnsignedCommit(commit, author, email, time, problem))
    return found


def _oldest_first(notebook: Notebook, commits: set[str]) -> list[str]:
    try:
        order = run_git(notebook.root, "rev-list", "--topo-order", "--reverse", "HEAD").split()
    except GitError:
        return sorted(commits)
    return [commit for commit in order if commit in commits]


def _since(notebook: Notebook, start: str) -> set[str]:
    """The commits of HEAD that do not come before ``start`` (``start`` included)."""
    try:
        out = run_git(notebook.root, "rev-list", "HEAD", "--not", f"{start}^@")
    except GitError:
        return set()
    return set(out.split())


def _first_commit(notebook: Notebook, path: str, text: str = '"keys"') -> str | None:
    """The oldest commit that put ``text`` into ``path`` (git's ``-G``), or None."""
    try:
        out = run_git(notebook.root, "log", "--reverse", "--format=%H", f"-G{text}", "--", path)
    except GitError:
        return None
    commits = out.split()
    return commits[0] if commits else None


def describe_unsigned(found: list[UnsignedCommit]) -> list[str]:
    """One line per author, in plain words."""
    by_author: dict[tuple[str, str], list[UnsignedCommit]] = {}
    for item in found:
        by_author.setdefault((item.author, item.email), []).append(item)
    lines = []
    for (author, email), items in sorted(by_author.items()):
        lines.append(
            ngettext(
                "{count} change in the name of {author} <{email}> does not carry their "
                "signature (commit {commit})",
                "{count} changes in the name of {author} <{email}> do not carry their "
                "signature (first: commit {commit})",
                len(items),
            ).format(count=len(items), author=author, email=email, commit=items[0].commit[:10])
        )
    return lines
