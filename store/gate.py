"""The gate of the sync: what arrives from the others is checked before it becomes current.

A peer may push anything with plain git: a document deleted, damaged, replaced by a symbolic
link or a folder. Before a merge is committed, every path the incoming commits change (from
the merge base to theirs) passes here, and a change that would lose a valid document is
undone: the valid version (ours, else the base) is put back in its place. The damaged
version stays in history, and each refusal is reported with who sent it (DESIGN.md §4).

This module only decides; ``store.sync`` reads the trees and writes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from store.errors import InvalidDocumentError
from store.i18n import _, ngettext
from store.layout import document_of
from store.model import read_document

FILE_MODES = ("100644", "100755")

# Why a change was refused.
REMOVED = "removed"  # a document deleted (deletion is a tombstone field, never a removal)
DAMAGED = "damaged"  # a version that does not parse or validate
NOT_A_FILE = "not-a-file"  # a symbolic link, a submodule or a folder where a document was


@dataclass(frozen=True)
class Blob:
    """One version of a path in a git tree."""

    mode: str
    sha: str

    @property
    def is_file(self) -> bool:
        """A plain file (not a symbolic link or a submodule)."""
        return self.mode in FILE_MODES


@dataclass(frozen=True)
class Change:
    """A path that differs between two trees: its version in each (None: not there)."""

    old: Blob | None
    new: Blob | None


@dataclass(frozen=True)
class Refusal:
    """A change that arrived and was not applied (``kept``) or could not be made good."""

    path: str
    reason: str  # REMOVED, DAMAGED or NOT_A_FILE
    kept: bool  # a valid version stays in its place; False: nothing valid to put back
    detail: str = ""  # what is wrong with the version that arrived
    commit: str = ""  # the newest incoming commit that changed the path
    author: str = ""
    email: str = ""

    def to_doc(self) -> dict[str, object]:
        """As saved in the sync log and printed by ``carnet doctor --json``."""
        return {
            "path": self.path,
            "reason": self.reason,
            "kept": self.kept,
            "detail": self.detail,
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, object]) -> Refusal:
        """Read back what ``to_doc`` saved (a damaged log entry gives empty fields)."""

        def text(key: str) -> str:
            value = doc.get(key)
            return value if isinstance(value, str) else ""

        return cls(
            path=text("path"),
            reason=text("reason"),
            kept=doc.get("kept") is True,
            detail=text("detail"),
            commit=text("commit"),
            author=text("author"),
            email=text("email"),
        )


@dataclass(frozen=True)
class Version:
    """The version of a path one incoming commit gave it (None: the commit removed it)."""

    commit: str
    author: str
    email: str
    blob: Blob | None


@dataclass
class Verdict:
    """What to do with theirs before merging: the paths to put back, and why."""

    replace: dict[str, Blob | None] = field(default_factory=dict)  # None: leave the path out
    refusals: list[Refusal] = field(default_factory=list)


BlobReader = Callable[[Iterable[str]], Mapping[str, bytes]]
HistoryReader = Callable[[Iterable[str]], Mapping[str, Sequence[Version]]]


def inspect(
    theirs: Mapping[str, Change],
    ours: Mapping[str, Change],
    read: BlobReader,
    history: HistoryReader,
) -> Verdict:
    """Check every incoming change of a shared document; decide what to put back.

    Args:
        theirs: the paths that differ from the merge base to theirs, with both versions.
        ours: the same from the merge base to ours (a path not in it is ours as in the base).
        read: gives the contents of blobs by their ids, with one git process for all.
        history: for some paths, the versions the incoming commits gave them, newest first.

    Returns:
        For each refused path, the version that takes theirs' place: the newest valid version
        the incoming commits gave it (so that what a participant wrote there before the damage
        is merged like any change), else the base's, else ours; None (the path left out) for a
        link or submodule that has no valid version to give way to. A damaged file with no
        valid version to give way to is left as it arrived (the loader skips it, ``carnet
        doctor`` lists it). Each refusal names who sent the change.
    """
    documents = {path: change for path, change in theirs.items() if document_of(path)}
    arrived = read(c.new.sha for c in documents.values() if c.new is not None and c.new.is_file)
    problems: dict[str, tuple[str, str]] = {}
    for path, change in documents.items():
        new = change.new
        if new is None:
            problems[path] = (REMOVED, "")
        elif not new.is_file:
            problems[path] = (NOT_A_FILE, "")
        else:
            reason = _invalid(path, arrived[new.sha])
            if reason is not None:
                problems[path] = (DAMAGED, reason)
    if not problems:
        return Verdict()
    versions = history(problems)

    def candidates(path: str) -> list[Blob]:
        base = theirs[path].old
        mine = ours[path].new if path in ours else base
        earlier = [v.blob for v in versions.get(path, ())]
        return [b for b in (*earlier, base, mine) if b is not None and b.is_file]

    contents = read(blob.sha for path in problems for blob in candidates(path))
    verdict = Verdict()
    for path, (reason, detail) in sorted(problems.items()):
        sender = _sender_of(theirs[path].new, versions.get(path, ()))
        valid = next((b for b in candidates(path) if _invalid(path, contents[b.sha]) is None), None)
        if valid is not None:
            verdict.replace[path] = valid
            verdict.refusals.append(Refusal(path, reason, True, detail, *sender))
        elif reason == NOT_A_FILE:
            verdict.replace[path] = None
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        elif reason == DAMAGED:
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        # A removal of something that was not a valid document anyway is let through.
    return verdict


def _sender_of(arrived: Blob | None, versions: Sequence[Version]) -> tuple[str, str, str]:
    """Who sent what arrived: the earliest of the newest commits that gave the path that
    version (a merge that only passed it on does not count as sending it)."""
    sender = ("", "", "")
    for version in versions:
        if version.blob != arrived:
            break
        sender = (version.commit, version.author, version.email)
    return sender


def _invalid(path: str, data: bytes) -> str | None:
    """Why ``data`` is not a valid document for ``path``, or None if it is one."""
    found = document_of(path)
    assert found is not None
    try:
        read_document(*found, data)
    except InvalidDocumentError as exc:
        return str(exc)
    return None


def describe(refusals: Iterable[Refusal]) -> list[str]:
    """One line per kind of refusal and sender, in plain words, for the sync's report."""
    groups: dict[tuple[str, bool, str], int] = {}
    for refusal in refusals:
        sender = _sender(refusal)
        key = (refusal.reason, refusal.kept, sender)
        groups[key] = groups.get(key, 0) + 1
    lines = []
    for (reason, kept, sender), count in sorted(groups.items()):
        if reason == REMOVED:
            text = ngettext(
                "{count} document deleted by {who} was put back: in Carnet, deleting marks "
                "a document deleted, it never removes its file",
                "{count} documents deleted by {who} were put back: in Carnet, deleting marks "
                "a document deleted, it never removes its file",
                count,
            )
        elif reason == NOT_A_FILE and kept:
            text = ngettext(
                "{count} document replaced by a link or a folder by {who} was put back",
                "{count} documents replaced by a link or a folder by {who} were put back",
                count,
            )
        elif reason == NOT_A_FILE:
            text = ngettext(
                "{count} link or folder sent by {who} was refused",
                "{count} links or folders sent by {who} were refused",
                count,
            )
        elif kept:
            text = ngettext(
                "{count} damaged document sent by {who} did not replace the valid version, "
                "which is kept",
                "{count} damaged documents sent by {who} did not replace the valid versions, "
                "which are kept",
                count,
            )
        else:
            text = ngettext(
                "{count} damaged document sent by {who} is skipped: carnet doctor lists it",
                "{count} damaged documents sent by {who} are skipped: carnet doctor lists them",
                count,
            )
        lines.append(text.format(count=count, who=sender))
    return lines


def _sender(refusal: Refusal) -> str:
    if refusal.author and refusal.email:
        return f"{refusal.author} <{refusal.email}>"
    return refusal.author or refusal.email or _("an unknown sender")
