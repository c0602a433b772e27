"""The gate of the sync: what arrives from the others is checked before it becomes current.

A peer may push anything with plain git: a document deleted, damaged, replaced by a symbolic
link or a folder. Before a merge is committed, every path the incoming commits change (from
the merge base to theirs) passes here, and a change that would lose a valid document is
undone: the newest valid version the incoming commits gave it (else the base's, else ours)
takes its place, so an edit the damage ran over is merged too. The damaged version stays in
history, and each refusal is reported with who sent it (DESIGN.md §4).

The gate also holds the ownership rules: a stance, a participant record and a comment's text
change only by commits of their owner, and who wrote an entry or a comment never changes. A
commit is tied to a participant by its author email, matched against the participant records
this clone already has (never the incoming ones, which an intruder may have rewritten). A sync
merge commit carries the others' values: its version of a path is judged by where it comes
from (one parent's version, or what ``merge_file`` makes of both), not by who merged.

This module only decides; ``store.sync`` reads the trees and writes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from store.errors import InvalidDocumentError
from store.i18n import _, ngettext
from store.keys import fingerprint
from store.layout import document_of
from store.merge import merge_file
from store.model import Document, read_document

FILE_MODES = ("100644", "100755")

# Why a change was refused.
REMOVED = "removed"  # a document deleted (deletion is a tombstone field, never a removal)
DAMAGED = "damaged"  # a version that does not parse or validate
NOT_A_FILE = "not-a-file"  # a symbolic link, a submodule or a folder where a document was
FORGED = "forged"  # a change only the document's owner may make, by a commit of someone else

# The documents the ownership rules cover (carnet.json belongs to everyone).
OWNED_TABLES = ("participants", "reviews", "comments", "entries")
# What an edit of a comment may change: its text, and a tombstone if a newer Carnet adds one.
COMMENT_EDITABLE = ("body", "deleted")


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
    reason: str  # REMOVED, DAMAGED, NOT_A_FILE or FORGED
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
    old: Blob | None = None  # the version its first parent had


@dataclass(frozen=True)
class Origin:
    """One incoming commit: its parents (the first one first), its author, and the fingerprint
    of the SSH key whose good signature it carries ("": none, or not a good one)."""

    parents: tuple[str, ...]
    author: str
    email: str
    signer: str = ""


@dataclass
class Known:
    """The participants as this clone's records know them (never the incoming ones, which an
    intruder may have rewritten): their emails and SSH keys; and whether ``carnet.json``
    requires signatures."""

    emails: dict[str, str] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: bool = False


@dataclass(frozen=True)
class Lineage:
    """What the ownership rules need to know of the incoming history, read by ``store.sync``.

    ``commits`` are the incoming commits (theirs not in ours); ``participants`` what ours'
    records say of each participant, and the signature policy; ``blob_at`` gives the version
    of a path at a commit that is not incoming; ``merge_base`` the commit a merge of two
    commits starts from, as Carnet's sync picks it.
    """

    tip: str
    commits: Mapping[str, Origin]
    participants: Known
    blob_at: Callable[[str, str], Blob | None]
    merge_base: Callable[[str, str], str | None]


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
    lineage: Lineage | None = None,
) -> Verdict:
    """Check every incoming change of a shared document; decide what to put back.

    Args:
        theirs: the paths that differ from the merge base to theirs, with both versions.
        ours: the same from the merge base to ours (a path not in it is ours as in the base).
        read: gives the contents of blobs by their ids, with one git process for all.
        history: for some paths, the versions the incoming commits gave them, newest first.
        lineage: the incoming commits, to check the ownership rules (None: not checked).

    Returns:
        For each refused path, the version that takes theirs' place: the newest acceptable
        version the incoming commits gave it (valid, and allowed for the commit that wrote
        it, so that what a participant wrote there before the damage or the forgery is merged
        like any change), else the base's, else ours; None (the path left out) for a link or
        submodule, or a new document forged in someone else's name, that has no acceptable
        version to give way to. A damaged file with no valid version to give way to is left
        as it arrived (the loader skips it, ``carnet doctor`` lists it). Each refusal names
        who sent the change.
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

    def mine_of(path: str) -> Blob | None:
        return ours[path].new if path in ours else theirs[path].old

    # Only what changes a document we do not already have as it arrives needs its history.
    owned = sorted(
        path
        for path, change in documents.items()
        if lineage is not None
        and path not in problems
        and (
            _table(path) in OWNED_TABLES
            or (_table(path) == "meta" and lineage.participants.required)
        )
        and change.new != mine_of(path)
    )
    if not problems and not owned:
        return Verdict()
    versions = history([*problems, *owned])
    judge = None
    if lineage is not None:
        trusted = {path: [mine_of(path), theirs[path].old] for path in [*problems, *owned]}
        judge = _Judge(lineage, versions, read, trusted)
        forgeries: dict[str, _Culprit] = {}
        # Participant records first: one accepted on first use makes its owner's commits known.
        for path in sorted(owned, key=lambda p: (_table(p) != "participants", p)):
            culprit = judge.refusal(path, lineage.tip)
            if culprit is not None:
                forgeries[path] = culprit
                problems[path] = (FORGED, culprit.detail)
            elif _table(path) == "participants":
                judge.learn(path, lineage.tip)

    def candidates(path: str) -> list[tuple[Blob, str | None]]:
        base = theirs[path].old
        mine = mine_of(path)
        earlier = [(v.blob, v.commit) for v in versions.get(path, ())]
        return [
            (b, commit)
            for b, commit in (*earlier, (base, None), (mine, None))
            if b is not None and b.is_file
        ]

    contents = read(blob.sha for path in problems for blob, _c in candidates(path))

    def acceptable(path: str, blob: Blob, commit: str | None) -> bool:
        if _invalid(path, contents[blob.sha]) is not None:
            return False
        # The base and ours are this clone's own history: already accepted once.
        return judge is None or commit is None or judge.refusal(path, commit) is None

    verdict = Verdict()
    for path, (reason, detail) in sorted(problems.items()):
        if reason == FORGED:
            culprit = forgeries[path]
            sender = (culprit.commit, culprit.author, culprit.email)
        else:
            sender = _sender_of(theirs[path].new, versions.get(path, ()))
        valid = next((b for b, c in candidates(path) if acceptable(path, b, c)), None)
        if valid is not None:
            verdict.replace[path] = valid
            verdict.refusals.append(Refusal(path, reason, True, detail, *sender))
        elif reason in (NOT_A_FILE, FORGED):
            verdict.replace[path] = None
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        elif reason == DAMAGED:
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        # A removal of something that was not a valid document anyway is let through.
    return verdict


def _table(path: str) -> str:
    found = document_of(path)
    return found[0] if found is not None else ""


def _email(text: str) -> str:
    return text.strip().casefold()


@dataclass(frozen=True)
class _Culprit:
    """The commit that wrote a version its author was not allowed to write, and why not."""

    commit: str
    author: str
    email: str
    detail: str


class _Judge:
    """Whether the version of a path at an incoming commit is allowed for whoever wrote it.

    A version is traced to the commit that wrote it: a commit that did not change the path
    passes on its first parent's; a merge commit's version equal to one parent's is that
    parent's; a merge commit's version that Carnet's merge makes of both parents' (recomputed:
    ``merge_file`` is deterministic) is allowed when both are. Any other version of a merge
    is judged as written by whoever made the merge, so a forged change cannot hide in one.
    """

    def __init__(
        self,
        lineage: Lineage,
        versions: Mapping[str, Sequence[Version]],
        read: BlobReader,
        trusted: Mapping[str, Sequence[Blob | None]],
    ) -> None:
        self.lineage = lineage
        self.versions = versions
        self.read = read
        self.changes = {path: {v.commit: v for v in found} for path, found in versions.items()}
        known = lineage.participants
        self.emails = {pid: {_email(e)} for pid, e in known.emails.items()}
        self.keys = {pid: {fingerprint(k) for k in keys} for pid, keys in known.keys.items()}
        self.required = known.required
        self.known = {path: [b for b in blobs if b is not None] for path, blobs in trusted.items()}
        self.verdicts: dict[tuple[str, str], _Culprit | None] = {}
        self.documents: dict[str, Document | None] = {}
        # Every blob the judging reads, with one git process: one each would cost 4 ms a path.
        read(
            [
                *(b.sha for found in trusted.values() for b in found if b and b.is_file),
                *(
                    b.sha
                    for found in versions.values()
                    for v in found
                    for b in (v.blob, v.old)
                    if b is not None and b.is_file
                ),
            ]
        )
        self.trusted = {path: self._first_valid(path, blobs) for path, blobs in trusted.items()}

    def _first_valid(self, path: str, blobs: Iterable[Blob | None]) -> Document | None:
        for blob in blobs:
            doc = self._document(path, blob)
            if doc is not None:
                return doc
        return None

    def _data(self, blob: Blob | None) -> bytes | None:
        if blob is None or not blob.is_file:
            return None
        return self.read([blob.sha])[blob.sha]

    def _document(self, path: str, blob: Blob | None) -> Document | None:
        if blob is None or not blob.is_file:
            return None
        if blob.sha not in self.documents:
            found = document_of(path)
            assert found is not None
            try:
                self.documents[blob.sha] = read_document(*found, self._data(blob) or b"")
            except InvalidDocumentError:
                self.documents[blob.sha] = None
        return self.documents[blob.sha]

    def learn(self, path: str, commit: str) -> None:
        """A participant record accepted at ``commit``: its email and keys now name its owner
        too (its keys were added by a commit the owner signed: see ``_rule``)."""
        doc = self._document(path, self.blob_at(commit, path))
        found = document_of(path)
        if doc is not None and found is not None:
            self.emails.setdefault(found[1], set()).add(_email(doc["email"]))
            self.keys.setdefault(found[1], set()).update(
                fingerprint(key) for key in doc.get("keys", ())
            )

    def _writer(self, commit: str, path: str) -> tuple[str, Version] | None:
        """The incoming commit that gave ``path`` its version at ``commit`` (None: ours')."""
        commits = self.lineage.commits
        while commit in commits:
            version = self.changes.get(path, {}).get(commit)
            if version is not None:
                return commit, version
            parents = commits[commit].parents
            if not parents:
                return None
            commit = parents[0]
        return None

    def blob_at(self, commit: str, path: str) -> Blob | None:
        """The version of ``path`` at ``commit``."""
        commits = self.lineage.commits
        while commit in commits:
            version = self.changes.get(path, {}).get(commit)
            if version is not None:
                return version.blob
            parents = commits[commit].parents
            if not parents:
                return None
            commit = parents[0]
        return self.lineage.blob_at(commit, path)

    def refusal(self, path: str, commit: str) -> _Culprit | None:
        """Why the version of ``path`` at ``commit`` is not acceptable (None: it is)."""
        culprit = self.culprit(commit, path)
        if culprit is not None:
            return culprit
        # Who wrote a document and when never change, whatever the chain of commits since.
        writer = self._writer(commit, path)
        if writer is None:
            return None
        new = self._document(path, writer[1].blob)
        detail = _changed_origin(_table(path), self.trusted.get(path), new)
        if detail is None:
            return None
        origin = self.lineage.commits[writer[0]]
        return _Culprit(writer[0], origin.author, origin.email, detail)

    def culprit(self, commit: str, path: str) -> _Culprit | None:
        """Who wrote the version of ``path`` at ``commit`` without being allowed to."""
        writer = self._writer(commit, path)
        if writer is None:
            return None  # ours' history: this clone already accepted it
        key = (writer[0], path)
        if key not in self.verdicts:
            self.verdicts[key] = None  # a git history has no cycle; this only stops a loop
            self.verdicts[key] = self._judge(path, *writer)
        return self.verdicts[key]

    def _judge(self, path: str, commit: str, version: Version) -> _Culprit | None:
        origin = self.lineage.commits[commit]
        if len(origin.parents) != 2:
            return self._rule(path, commit, origin, version.old, version.blob)
        first, second = origin.parents
        new, one = version.blob, version.old
        if new is None or not new.is_file:
            return None  # a removal, a link: the validity check's business
        other = self.blob_at(second, path)
        if other == new:
            return self.culprit(second, path)
        if one is None and other is None:
            return self._rule(path, commit, origin, one, new)
        start = self.lineage.merge_base(first, second)
        base = self.blob_at(start, path) if start is not None else None
        data = self._data(new)
        if self._merged(path, base, one, other) == data:
            return self.culprit(first, path) or self.culprit(second, path)
        # The merging clone's gate refused theirs' version and merged an earlier one instead
        # (an incoming version, or one this clone has).
        earlier: list[tuple[Blob | None, str | None]] = [
            (v.blob, v.commit) for v in self.versions.get(path, ()) if v.commit != commit
        ]
        earlier += [(b, None) for b in self.known.get(path, ())]
        for blob, writer in earlier:
            if blob is None or not blob.is_file:
                continue
            made = blob == new or self._merged(path, base, one, blob) == data
            if made and (writer is None or self.culprit(writer, path) is None):
                return self.culprit(first, path)
        return self._rule(path, commit, origin, one, new)

    def _merged(
        self, path: str, base: Blob | None, ours: Blob | None, theirs: Blob | None
    ) -> bytes | None:
        one, other = self._data(ours), self._data(theirs)
        if one is None and other is None:
            return None
        return merge_file(path, self._data(base), one, other).data

    def _rule(
        self, path: str, commit: str, origin: Origin, old: Blob | None, new: Blob | None
    ) -> _Culprit | None:
        doc = self._document(path, new)
        if doc is None:
            return None  # a removal or a damaged version: the validity check's business
        before = self._document(path, old) or self.trusted.get(path)
        found = document_of(path)
        assert found is not None
        table, doc_id = found
        if table == "meta":
            # Required signatures are never turned off from another clone.
            if not self.required or doc.get("signatures") == "required":
                return None
            return _Culprit(
                commit, origin.author, origin.email,
                _("signatures are required in this notebook: nobody may turn that off"),
            )  # fmt: skip
        email = _email(origin.email)
        named = {pid for pid, emails in self.emails.items() if email in emails}
        who = {pid for pid in named if self._signed_by(pid, origin.signer)}
        if table == "participants":
            detail = self._record_rule(doc_id, doc, email, named, who, origin.signer)
        else:
            detail = _broken(table, doc_id, before, doc, who)
        if detail is not None and named - who:
            detail = _("a change in the name of {owner} without their signature").format(
                owner=", ".join(sorted(named - who))
            )
        return None if detail is None else _Culprit(commit, origin.author, origin.email, detail)

    def _signed_by(self, participant: str, signer: str) -> bool:
        """Whether a commit signed by ``signer`` may speak for ``participant``: by one of
        their keys once they have one (or signatures are required); by any commit before."""
        keys = self.keys.get(participant)
        if keys:
            return signer in keys
        return not self.required

    def _record_rule(
        self, doc_id: str, new: Document, email: str, named: set[str], who: set[str], signer: str
    ) -> str | None:
        """Who may write a participant record: its owner. A record seen for the first time
        is its owner's if its email is the commit's (trust on first use), and so are the
        first keys it lists if the commit is signed with one of them; keys already known
        change only by a commit signed with one of those."""
        first_use = not self.keys.get(doc_id)
        if first_use:
            offered = {fingerprint(key) for key in new.get("keys", ())}
            if (offered or self.required) and signer not in offered:
                return _("only {owner} may change their participant record").format(owner=doc_id)
        if doc_id in self.emails:
            allowed = doc_id in (named if first_use else who)
        else:
            allowed = _email(new["email"]) == email
        if not allowed:
            return _("only {owner} may change their participant record").format(owner=doc_id)
        return None


def _broken(
    table: str, doc_id: str, old: Document | None, new: Document, who: set[str]
) -> str | None:
    """Which ownership rule a commit by ``who`` (participant ids) broke writing ``new``."""
    if table == "reviews":
        owner = doc_id.partition("/")[0]
        if owner not in who:
            return _("only {owner} may change their stance").format(owner=doc_id.partition("/")[0])
    elif table == "comments":
        if old is None:
            if new["author"] not in who:
                return _("a new comment must be written by its author, {owner}").format(
                    owner=new["author"]
                )
        elif old["author"] not in who:
            return _("only {owner} may change their comment").format(owner=old["author"])
        else:
            return _changed_origin(table, old, new)
    elif table == "entries":
        if old is None and new["author"] not in who:
            return _("a new entry must be written by its author, {owner}").format(
                owner=new["author"]
            )
        if old is not None:
            changed = _changed_origin(table, old, new)
            if changed is not None:
                return changed
        if new["updated_by"] not in who:
            return _("an entry edited in the name of {owner}").format(owner=new["updated_by"])
    return None


def _changed_origin(table: str, old: Document | None, new: Document | None) -> str | None:
    """Why ``new`` is not the same document as ``old``: its author, date, entry changed."""
    if old is None or new is None:
        return None
    if table == "entries":
        fixed: Iterable[str] = ("author", "created")
    elif table == "comments":
        fixed = (key for key in {*old, *new} if key not in COMMENT_EDITABLE)
    else:
        return None
    for key in sorted(fixed):
        if old.get(key) != new.get(key):
            return _("the field “{name}” of {owner}'s document was changed").format(
                name=key, owner=old.get("author")
            )
    return None


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
        if reason == FORGED and kept:
            text = ngettext(
                "{who} tried to change {count} document in someone else's name (a stance, "
                "a participant record, a comment, or who wrote an entry): the change was "
                "not applied",
                "{who} tried to change {count} documents in someone else's name (stances, "
                "participant records, comments, or who wrote entries): the changes were "
                "not applied",
                count,
            )
        elif reason == FORGED:
            text = ngettext(
                "{who} tried to add {count} document in someone else's name: it was refused",
                "{who} tried to add {count} documents in someone else's name: they were refused",
                count,
            )
        elif reason == REMOVED:
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
