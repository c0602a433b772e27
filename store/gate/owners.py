"""The ownership rules of the gate: who may write what, judged through the incoming history.

A stance, a participant record and a comment's text change only by commits of their owner, and
who wrote an entry, a meeting or a comment never changes. A commit is tied to a participant by
its author email, matched against the participant records this clone already has (never the
incoming ones, which an intruder may have rewritten), and by the SSH key of its signature once the
participant has one (trust on first use: the first keys a record lists are its owner's if the
commit that adds them is signed with one). A sync merge commit carries the others' values: its
version of a path is judged by where it comes from (one parent's version, or what
``merge_file`` makes of both), not by who merged. Once ``carnet.json`` requires signatures,
no commit from another clone may turn that off.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from store.errors import InvalidDocumentError
from store.gate.data import Blob, BlobReader, Lineage, Origin, Version
from store.i18n import _
from store.keys import fingerprint
from store.layout import document_of
from store.merge import Documents, merge_file
from store.model import Document
from store.sections import is_section_path

# The documents the ownership rules cover (carnet.json belongs to everyone).
OWNED_TABLES = ("participants", "reviews", "comments", "entries", "meetings")
# What an edit of a comment may change: its text, and a tombstone if a newer Carnet adds one.
COMMENT_EDITABLE = ("body", "deleted")


@functools.lru_cache(maxsize=1 << 16)
def table_of(path: str) -> str:
    """The table of the document at ``path`` ("": no document belongs there).

    Asked several times of each path a sync brings in: remembered.
    """
    found = document_of(path)
    return found[0] if found is not None else ""


def _email(text: str) -> str:
    return text.strip().casefold()


@dataclass(frozen=True)
class Culprit:
    """The commit that wrote a version its author was not allowed to write, and why not."""

    commit: str
    author: str
    email: str
    detail: str


class Judge:
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
        documents: Documents,
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
        self.verdicts: dict[tuple[str, str], Culprit | None] = {}
        self.documents = documents
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
        data = self._data(blob)
        if data is None:
            return None
        try:
            return self.documents.read(path, data)
        except InvalidDocumentError:
            return None

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

    def refusal(self, path: str, commit: str) -> Culprit | None:
        """Why the version of ``path`` at ``commit`` is not acceptable (None: it is)."""
        culprit = self.culprit(commit, path)
        if culprit is not None:
            return culprit
        # Who wrote a document and when never change, whatever the chain of commits since.
        writer = self._writer(commit, path)
        # A section is made by its name: two clones may each make it, and the merge settles
        # which making counts; each one was judged as a new entry by its own author.
        if writer is None or is_section_path(path):
            return None
        new = self._document(path, writer[1].blob)
        detail = _changed_origin(table_of(path), self.trusted.get(path), new)
        if detail is None:
            return None
        origin = self.lineage.commits[writer[0]]
        return Culprit(writer[0], origin.author, origin.email, detail)

    def culprit(self, commit: str, path: str) -> Culprit | None:
        """Who wrote the version of ``path`` at ``commit`` without being allowed to."""
        writer = self._writer(commit, path)
        if writer is None:
            return None  # ours' history: this clone already accepted it
        key = (writer[0], path)
        if key not in self.verdicts:
            self.verdicts[key] = None  # a git history has no cycle; this only stops a loop
            self.verdicts[key] = self._judge(path, *writer)
        return self.verdicts[key]

    def _judge(self, path: str, commit: str, version: Version) -> Culprit | None:
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
        return merge_file(path, self._data(base), one, other, self.documents).data

    def _rule(
        self, path: str, commit: str, origin: Origin, old: Blob | None, new: Blob | None
    ) -> Culprit | None:
        doc = self._document(path, new)
        if doc is None:
            return None  # a removal or a damaged version: the validity check's business
        before = self._document(path, old)
        if before is None and not is_section_path(path):
            before = self.trusted.get(path)
        found = document_of(path)
        assert found is not None
        table, doc_id = found
        if table == "meta":
            # Required signatures are never turned off from another clone.
            if not self.required or doc.get("signatures") == "required":
                return None
            return Culprit(
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
        return None if detail is None else Culprit(commit, origin.author, origin.email, detail)

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
        elif old.get("deleted") is True and new.get("deleted") is not True:
            # A withdrawal is final: an older version pushed again does not bring it back.
            return _("{owner}'s withdrawn comment cannot be brought back").format(
                owner=old["author"]
            )
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
        return _attached_by_others(old, new, who)
    elif table == "meetings":
        # A meeting belongs to everyone, as an entry does, but only in one's own name.
        if old is None and new["author"] not in who:
            return _("a new meeting must be written by its author, {owner}").format(
                owner=new["author"]
            )
        changed = _changed_origin(table, old, new)
        if changed is not None:
            return changed
        if new["updated_by"] not in who:
            return _("a meeting edited in the name of {owner}").format(owner=new["updated_by"])
    return None


def _attached_by_others(old: Document | None, new: Document, who: set[str]) -> str | None:
    """An attachment is added, or taken away, only in one's own name."""
    before = {json.dumps(a, sort_keys=True): a for a in (old or {}).get("attachments", ())}
    after = {json.dumps(a, sort_keys=True): a for a in new.get("attachments", ())}
    for key in before.keys() ^ after.keys():
        added_by = (before.get(key) or after[key])["added_by"]
        if added_by not in who:
            return _("a file attached in the name of {owner}").format(owner=added_by)
    return None


def _changed_origin(table: str, old: Document | None, new: Document | None) -> str | None:
    """Why ``new`` is not the same document as ``old``: its author, date, entry changed."""
    if old is None or new is None:
        return None
    if table in ("entries", "meetings"):
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
