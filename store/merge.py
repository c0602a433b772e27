"""Three-way merge of notebook documents, field by field: nothing lost, no conflict markers."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from store.errors import InvalidDocumentError
from store.i18n import _
from store.layout import document_of
from store.model import MAX_DOCUMENT_BYTES, Document, canonical_bytes, read_document
from store.schema import ENTRY, META, Merge, entry_fields

# The entry's fields by how they merge (store.schema's table says which is which).
SCALAR_FIELDS = entry_fields(Merge.SCALAR)
SET_FIELDS = entry_fields(Merge.SET)
TEXT_FIELDS = entry_fields(Merge.TEXT)
FIXED_FIELDS = entry_fields(Merge.FIXED)
WINNER_FIELDS = entry_fields(Merge.WINNER)
# What a participant changes, as opposed to deleting the entry or settling its conflicts.
CONTENT_FIELDS = tuple(f.name for f in ENTRY.fields if f.editable and f.merge is not Merge.DELETION)
# What an entry is "against" when it was added on both sides with no common version.
EMPTY_ENTRY: Document = {
    f.name: copy.deepcopy(f.empty) for f in ENTRY.fields if f.editable or f.merge is Merge.RECORDS
}


@dataclass(frozen=True)
class MergeResult:
    """The merged bytes of one file, and what the merge had to report about it."""

    data: bytes
    conflicts: int = 0
    problem: str | None = None  # why one side was not a valid document and was not merged


@dataclass(frozen=True)
class TextMerge:
    """A 3-way line merge: the text each side's version of the clashing lines gives."""

    ours: str
    theirs: str

    @property
    def clean(self) -> bool:
        """No lines clashed: both texts are the same merged text."""
        return self.ours == self.theirs


# --- text -----------------------------------------------------------------------------------


def _matches(base: Sequence[str], other: Sequence[str]) -> list[tuple[int, int, int]]:
    # autojunk off: blank lines between paragraphs are "popular" and must still match.
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(m.a, m.b, m.size) for m in matcher.get_matching_blocks()]


def _sync_regions(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """Runs of base lines that both sides kept unchanged, with where they sit on each side."""
    ours_blocks, theirs_blocks = _matches(base, ours), _matches(base, theirs)
    regions = []
    i = j = 0
    while i < len(ours_blocks) and j < len(theirs_blocks):
        o_base, o_at, o_len = ours_blocks[i]
        t_base, t_at, t_len = theirs_blocks[j]
        start, end = max(o_base, t_base), min(o_base + o_len, t_base + t_len)
        if start < end:
            o_start, t_start = o_at + start - o_base, t_at + start - t_base
            regions.append(
                (start, end, o_start, o_start + end - start, t_start, t_start + end - start)
            )
        if o_base + o_len < t_base + t_len:
            i += 1
        else:
            j += 1
    n_base, n_ours, n_theirs = len(base), len(ours), len(theirs)
    regions.append((n_base, n_base, n_ours, n_ours, n_theirs, n_theirs))
    return regions


def merge_text(base: str, ours: str, theirs: str) -> TextMerge:
    """Merge two edits of a text line by line (the diff3 rule); never writes conflict markers.

    Changes that don't touch the same lines are both applied. Where both sides changed the
    same lines differently, ``ours`` holds our version of those lines and ``theirs`` theirs,
    each with every change that did not clash.
    """
    if ours == theirs or theirs == base:
        return TextMerge(ours, ours)
    if ours == base:
        return TextMerge(theirs, theirs)
    # A final newline on every side makes the last line a line like the others (an edit on
    # the line before it then doesn't clash with an addition after it); removed at the end.
    b, o, t = ((s + "\n").splitlines(keepends=True) for s in (base, ours, theirs))
    merged_ours: list[str] = []
    merged_theirs: list[str] = []
    at_base = at_ours = at_theirs = 0
    for z_start, z_end, o_start, o_end, t_start, t_end in _sync_regions(b, o, t):
        chunk_base = b[at_base:z_start]
        chunk_ours = o[at_ours:o_start]
        chunk_theirs = t[at_theirs:t_start]
        if chunk_ours == chunk_theirs or chunk_theirs == chunk_base:
            merged_ours += chunk_ours
            merged_theirs += chunk_ours
        elif chunk_ours == chunk_base:
            merged_ours += chunk_theirs
            merged_theirs += chunk_theirs
        else:
            merged_ours += chunk_ours
            merged_theirs += chunk_theirs
        merged_ours += b[z_start:z_end]
        merged_theirs += b[z_start:z_end]
        at_base, at_ours, at_theirs = z_end, o_end, t_end
    return TextMerge(_unterminated(merged_ours), _unterminated(merged_theirs))


def combine_texts(base: str | None, current: str, other: str) -> str:
    """One text holding both versions of a conflict, for a participant to finish by hand.

    With the base the two versions came from, the 3-way merge applies every change that did
    not clash; the lines that did clash, and every differing line when the base is unknown,
    appear once each, the current version's before the other's, with no marker between them.
    """
    if base is not None:
        merged = merge_text(base, current, other)
        if merged.clean:
            return merged.ours
        current, other = merged.ours, merged.theirs
    a, b = ((s + "\n").splitlines(keepends=True) for s in (current, other))
    combined: list[str] = []
    for tag, a_start, a_end, b_start, b_end in SequenceMatcher(
        None, a, b, autojunk=False
    ).get_opcodes():
        combined += a[a_start:a_end]
        if tag != "equal":
            combined += b[b_start:b_end]
    return _unterminated(combined)


def _unterminated(lines: list[str]) -> str:
    text = "".join(lines)
    return text[:-1] if text.endswith("\n") else text


# --- entries --------------------------------------------------------------------------------


def _wins(ours: Document, theirs: Document) -> bool:
    """Whether ``ours`` wins a true conflict: the later ``updated``, then greater ``updated_by``.

    The documents' bytes break a last tie, so every clone picks the same winner.
    """
    ours_key = (ours["updated"], ours["updated_by"])
    theirs_key = (theirs["updated"], theirs["updated_by"])
    if ours_key != theirs_key:
        return ours_key > theirs_key
    return canonical_bytes(ours) >= canonical_bytes(theirs)


def _record_key(record: Any) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _merge_set(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Keep what both kept, and whatever either side added: an addition beats a removal."""
    old = set(base)
    ours_set, theirs_set = set(ours), set(theirs)
    return sorted((ours_set & theirs_set) | (ours_set - old) | (theirs_set - old))


def _merge_records(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """3-way merge of conflict records: a record resolved on either side stays resolved."""
    by_key = {_record_key(r): r for r in (*base, *ours, *theirs)}
    keys = _merge_set(
        [_record_key(r) for r in base],
        [_record_key(r) for r in ours],
        [_record_key(r) for r in theirs],
    )
    return [by_key[k] for k in keys]


def _changed(base: Document, doc: Document) -> bool:
    return any(doc[f] != base[f] for f in CONTENT_FIELDS)


def merge_entry(
    base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    """Merge two versions of an entry against their common ancestor (None: added on both sides).

    Returns the merged document and the conflict records this merge added to it. A field changed
    on one side takes that change; on both sides alike, that value. A true conflict keeps the
    winner's value (later ``updated``, then greater ``updated_by``) and records the other.
    """
    if ours == theirs:
        return dict(ours), []
    old = base if base is not None else {**EMPTY_ENTRY, **_metadata_of(ours, theirs)}
    ours_wins = _wins(ours, theirs)
    winner, loser = (ours, theirs) if ours_wins else (theirs, ours)
    merged: Document = {}
    new: list[Document] = []

    def record(field: str, value: Any) -> None:
        new.append(
            {
                "field": field,
                "value": value,
                "author": loser["updated_by"],
                "updated": loser["updated"],
                "base": old.get(field),
            }
        )

    for field in SCALAR_FIELDS:
        # A field that not every entry has (a decision) is absent rather than null.
        b, o, t = (d.get(field, _MISSING) for d in (old, ours, theirs))
        value = o if (o == t or t == b) else t if o == b else winner.get(field, _MISSING)
        if value is not _MISSING:
            merged[field] = value
        if o != t and o != b and t != b and loser.get(field, _MISSING) is not _MISSING:
            record(field, loser[field])
    for field in SET_FIELDS:
        merged[field] = _merge_set(old[field], ours[field], theirs[field])
    for field in TEXT_FIELDS:
        text = merge_text(old[field], ours[field], theirs[field])
        if text.clean:
            merged[field] = text.ours
        else:
            merged[field], other = (
                (text.ours, text.theirs) if ours_wins else (text.theirs, text.ours)
            )
            record(field, other)

    # Modify beats delete: an entry deleted on one side and edited on the other stays, and the
    # deletion waits in the conflicts for someone to confirm it.
    b, o, t = old["deleted"], ours["deleted"], theirs["deleted"]
    deleted = o if (o == t or t == b) else t
    if deleted and not b and o != t:
        deleter, editor = (ours, theirs) if o else (theirs, ours)
        if _changed(old, editor):
            deleted = False
            new.append(
                {
                    "field": "deleted",
                    "value": True,
                    "author": deleter["updated_by"],
                    "updated": deleter["updated"],
                    "base": False,
                }
            )
    merged["deleted"] = deleted

    known = _merge_records(old["conflicts"], ours["conflicts"], theirs["conflicts"])
    seen = {_record_key(r) for r in known}
    new = [r for r in new if _record_key(r) not in seen]
    merged["conflicts"] = sorted(
        known + new, key=lambda r: (r["updated"], r["field"], _record_key(r))
    )

    # Who wrote the entry never changes; with no common version the earlier creation counts.
    merged.update(_metadata_of(ours, theirs))
    merged.update((field, winner[field]) for field in WINNER_FIELDS)
    # Carry any field a newer Carnet added, from the winner.
    for field, value in winner.items():
        merged.setdefault(field, value)
    return merged, new


def _metadata_of(ours: Document, theirs: Document) -> Document:
    first = min(ours, theirs, key=lambda d: (d["created"], d["author"]))
    return {field: first[field] for field in FIXED_FIELDS}


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
    "comments": _merge_plain,
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
            Merge.SET,
            Merge.TEXT,
            Merge.DELETION,
            Merge.RECORDS,
            Merge.FIXED,
            Merge.WINNER,
        )
    ),
    "comments": frozenset((Merge.SCALAR,)),
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
    path: str, base: bytes | None, ours: bytes | None, theirs: bytes | None
) -> MergeResult:
    """Merge one file that both sides changed (``None``: the side has no such file).

    A file deleted on one side and changed on the other is kept as changed: Carnet never removes
    a document. A version that is not a valid document never replaces a valid one: the valid
    side is kept and the other reported (it stays in history). With both sides damaged, ours
    stays as it is, for someone to repair.
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
    table, doc_id = found
    sides: list[Document | None] = []
    reasons: list[str] = []
    for side in (ours, theirs):
        try:
            sides.append(read_document(table, doc_id, side))
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
            old = read_document(table, doc_id, base)
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
