"""Three-way merge of notebook documents, field by field: nothing lost, no conflict markers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from store.errors import InvalidDocumentError
from store.fieldmerge import merge_document
from store.i18n import _
from store.layout import document_of
from store.linemerge import TextMerge, combine_texts, merge_text
from store.model import MAX_DOCUMENT_BYTES, Document, canonical_bytes, read_document
from store.schema import ENTRY, MEETING, META, Merge, entry_fields

# The texts of an entry: those a conflict can be settled on by combining both versions.
TEXT_FIELDS = entry_fields(Merge.TEXT)

__all__ = [
    "MERGERS",
    "Documents",
    "MERGE_RULES",
    "TEXT_FIELDS",
    "MergeResult",
    "TextMerge",
    "combine_texts",
    "merge_entry",
    "merge_file",
    "merge_meeting",
    "merge_text",
]


@dataclass(frozen=True)
class MergeResult:
    """The merged bytes of one file, and what the merge had to report about it."""

    data: bytes
    conflicts: int = 0
    problem: str | None = None  # why one side was not a valid document and was not merged


class Documents:
    """The versions of documents one sync reads, each parsed and checked once.

    The gate checks every version that arrives, then judges who wrote it against ours and
    the base, and the merge merges those same versions: parsing each of them once is a third
    of what the merge used to cost. A document handed out is shared: nobody changes it.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str, bytes], Document | str] = {}

    def read(self, path: str, data: bytes) -> Document:
        """The document ``data`` holds at ``path`` (a document's path), as ``read_document``
        reads it.

        Raises:
            InvalidDocumentError: the bytes are not a valid document for that path.
        """
        key = (path, data)
        found = self._known.get(key)
        if found is None:
            table, doc_id = _document_at(path)
            try:
                found = read_document(table, doc_id, data)
            except InvalidDocumentError as exc:
                found = str(exc)
            self._known[key] = found
        if isinstance(found, str):
            raise InvalidDocumentError(found)
        return found


def _document_at(path: str) -> tuple[str, str]:
    found = document_of(path)
    if found is None:
        raise ValueError(f"{path} holds no document")
    return found


# --- the documents people edit together -----------------------------------------------------


def merge_entry(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    """Merge two versions of an entry against their common ancestor (None: added on both sides).

    Returns the merged document and the conflict records this merge added to it (see
    ``store.fieldmerge.merge_document``).
    """
    return merge_document(ENTRY, base, ours, theirs)


def merge_meeting(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    """Merge two versions of a meeting like an entry; its agenda item by item, minutes line by
    line (a clash kept among its conflicts)."""
    return merge_document(MEETING, base, ours, theirs)


# --- the other documents --------------------------------------------------------------------


def merge_fields(
    base: Document | None, ours: Document, theirs: Document, prefer: Document
) -> Document:
    """Key by key 3-way merge; where both sides changed a key differently, ``prefer`` wins."""
    old = base or {}
    merged: Document = {}
    for key in sorted(set(ours) | set(theirs)):
        b, o, t = old.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        value = o if (o == t or t == b) else t if o == b else prefer.get(key, _MISSING)
        if value is not _MISSING:
            merged[key] = value
    return merged


_MISSING: Any = object()


def _larger(ours: Document, theirs: Document) -> Document:
    """A deterministic pick between two documents, the same whichever side is "ours"."""
    return ours if canonical_bytes(ours) >= canonical_bytes(theirs) else theirs


def merge_review(base: Document | None, ours: Document, theirs: Document) -> Document:
    """A review has one writer: the later ``updated`` wins."""
    if (ours["updated"], canonical_bytes(ours)) >= (theirs["updated"], canonical_bytes(theirs)):
        return ours
    return theirs


def merge_meta(base: Document | None, ours: Document, theirs: Document) -> Document:
    """``carnet.json``: key by key; the newer format version always wins."""
    merged = merge_fields(base, ours, theirs, _larger(ours, theirs))
    for field in META.fields:
        if field.merge is Merge.NEWEST:
            merged[field.name] = max(ours[field.name], theirs[field.name])
    return merged


def _merge_plain(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    return merge_fields(base, ours, theirs, _larger(ours, theirs)), []


def _merge_comment(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    """A comment key by key, except that a withdrawal is never undone by a version without it."""
    merged = merge_fields(base, ours, theirs, _larger(ours, theirs))
    withdrawn = [side for side in (ours, theirs) if side.get("deleted") is True]
    if withdrawn:
        merged.update(deleted=True, body=withdrawn[0]["body"])
    return merged, []


def _merge_review(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    return merge_review(base, ours, theirs), []


def _merge_meta(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    return merge_meta(base, ours, theirs), []


Merger = Callable[[Document | None, Document, Document], tuple[Document, list[Document]]]

MERGERS: dict[str, Merger] = {
    "entries": merge_entry,
    "meetings": merge_meeting,
    "comments": _merge_comment,
    "participants": _merge_plain,
    "reviews": _merge_review,
    "meta": _merge_meta,
}
# The rules each table's merger applies: a field of store.schema's tables with another rule
# would need its merger taught it first (a test holds the tables to this).
MERGE_RULES: dict[str, frozenset[Merge]] = {
    "entries": frozenset(
        (
            Merge.SCALAR,
            Merge.DECISION,
            Merge.SET,
            Merge.TEXT,
            Merge.DELETION,
            Merge.RECORDS,
            Merge.FIXED,
            Merge.WINNER,
        )
    ),
    "meetings": frozenset(
        (
            Merge.SCALAR,
            Merge.SET,
            Merge.AGENDA,
            Merge.DELETION,
            Merge.RECORDS,
            Merge.FIXED,
            Merge.WINNER,
        )
    ),
    "comments": frozenset((Merge.SCALAR, Merge.DELETION)),
    "participants": frozenset((Merge.SCALAR,)),
    "reviews": frozenset((Merge.LATEST,)),
    "meta": frozenset((Merge.SCALAR, Merge.NEWEST)),
}


def _merge_unknown(base: bytes | None, ours: bytes, theirs: bytes) -> bytes:
    """A file Carnet doesn't own (a README...): line merge if it is text, else a fixed pick."""
    try:
        texts = [(side or b"").decode("utf-8") for side in (base, ours, theirs)]
    except UnicodeDecodeError:
        return max(ours, theirs)
    merged = merge_text(*texts)
    if merged.clean:
        return merged.ours.encode("utf-8")
    return max(ours, theirs)


def merge_file(
    path: str,
    base: bytes | None,
    ours: bytes | None,
    theirs: bytes | None,
    documents: Documents | None = None,
) -> MergeResult:
    """Merge one file that both sides changed (``None``: the side has no such file).

    A file deleted on one side and changed on the other is kept as changed: Carnet never removes
    a document. A version that is not a valid document never replaces a valid one: the valid
    side is kept and the other reported (it stays in history). With both sides damaged, ours
    stays as it is, for someone to repair. ``documents``: the versions already read, by the
    gate (None: none).
    """
    if ours is None or theirs is None:
        kept = ours if theirs is None else theirs
        assert kept is not None, "git resolves a file deleted on both sides by itself"
        return MergeResult(kept)
    if ours == theirs:
        return MergeResult(ours)
    found = document_of(path)
    if found is None:
        return MergeResult(_merge_unknown(base, ours, theirs))
    table = found[0]
    documents = documents or Documents()
    sides: list[Document | None] = []
    reasons: list[str] = []
    for side in (ours, theirs):
        try:
            sides.append(documents.read(path, side))
        except InvalidDocumentError as exc:
            sides.append(None)
            reasons.append(str(exc))
    ours_doc, theirs_doc = sides
    if ours_doc is None:
        return MergeResult(theirs if theirs_doc is not None else ours, problem=reasons[0])
    if theirs_doc is None:
        return MergeResult(ours, problem=reasons[0])
    old: Document | None = None
    if base is not None:
        try:
            old = documents.read(path, base)
        except InvalidDocumentError:
            old = None  # a damaged ancestor: merge as if both sides had added the document
    merged, new = MERGERS[table](old, ours_doc, theirs_doc)
    data = canonical_bytes(merged)
    if len(data) > MAX_DOCUMENT_BYTES:
        # Two long texts and the conflict record between them would make a file that no
        # reader accepts: one whole side is kept (the same on every clone), the other stays
        # in history.
        return MergeResult(max(ours, theirs), problem=_("the merged document is over 1 MB"))
    return MergeResult(data, conflicts=len(new))
