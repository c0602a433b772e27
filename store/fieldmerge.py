"""Three-way merge of the documents people edit together (entries, meetings), field by field
as their table in ``store.schema`` says: nothing lost, a clash kept among the conflicts."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from store.codec import Document, canonical_bytes
from store.linemerge import merge_text
from store.schema import AGENDA_ITEM, Merge, Schema, entry_fields

_MISSING: Any = object()


@dataclass(frozen=True)
class Rules:
    """A table's fields grouped by how they merge, and what it is "against" when it was added
    on both sides with no common version."""

    scalar: tuple[str, ...]
    sets: tuple[str, ...]
    # Sets of records (the attachments), absent from a document until it has one.
    record_sets: tuple[str, ...]
    texts: tuple[str, ...]
    agendas: tuple[str, ...]
    decisions: tuple[str, ...]
    fixed: tuple[str, ...]
    winner: tuple[str, ...]
    # What a participant changes, as opposed to deleting the document or settling its conflicts.
    content: tuple[str, ...]
    empty: Document


_rules: dict[str, Rules] = {}


def rules_of(schema: Schema) -> Rules:
    """The merge rules of ``schema``'s fields, read once from its table."""
    found = _rules.get(schema.table)
    if found is None:
        found = _rules[schema.table] = _read_rules(schema)
    return found


def _read_rules(schema: Schema) -> Rules:
    return Rules(
        scalar=entry_fields(Merge.SCALAR, schema),
        sets=tuple(f.name for f in schema.fields if f.merge is Merge.SET and f.items is None),
        record_sets=tuple(
            f.name for f in schema.fields if f.merge is Merge.SET and f.items is not None
        ),
        texts=entry_fields(Merge.TEXT, schema),
        agendas=entry_fields(Merge.AGENDA, schema),
        decisions=entry_fields(Merge.DECISION, schema),
        fixed=entry_fields(Merge.FIXED, schema),
        winner=entry_fields(Merge.WINNER, schema),
        content=tuple(
            f.name for f in schema.fields if f.editable and f.merge is not Merge.DELETION
        ),
        # Nullable fields every document has (when a meeting closed) start as null.
        empty={
            f.name: copy.deepcopy(f.empty)
            for f in schema.fields
            if f.editable or f.merge is Merge.RECORDS or (f.nullable and f.required)
        },
    )


def wins(ours: Document, theirs: Document) -> bool:
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


def merge_set(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Keep what both kept, and whatever either side added: an addition beats a removal."""
    old = set(base)
    ours_set, theirs_set = set(ours), set(theirs)
    return sorted((ours_set & theirs_set) | (ours_set - old) | (theirs_set - old))


def _merge_records(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """3-way set merge of records: a record added on either side stays (an attachment), one
    taken away on either side stays away (a conflict resolved)."""
    by_key = {_record_key(r): r for r in (*base, *ours, *theirs)}
    keys = merge_set(
        [_record_key(r) for r in base],
        [_record_key(r) for r in ours],
        [_record_key(r) for r in theirs],
    )
    return [by_key[k] for k in keys]


class _Merge:
    """One merge of two versions: who wins a clash, and the conflict records it makes."""

    def __init__(self, ours: Document, theirs: Document) -> None:
        self.ours, self.theirs = ours, theirs
        self.ours_wins = wins(ours, theirs)
        self.winner, self.loser = (ours, theirs) if self.ours_wins else (theirs, ours)
        self.new: list[Document] = []

    def record(self, field: str, value: Any, base: Any, by: Document | None = None) -> None:
        """Keep ``value``, which lost the merge of ``field`` (written by ``by``, the loser
        unless said), among the conflicts, with who wrote the value kept."""
        by = by or self.loser
        kept = self.ours if by is self.theirs else self.theirs
        self.new.append(
            {"field": field, "value": value, "author": by["updated_by"],
             "updated": by["updated"], "base": base,
             "kept_by": kept["updated_by"], "kept": kept["updated"]}
        )  # fmt: skip

    def scalar(self, field: str, b: Any, o: Any, t: Any) -> Any:
        """One side's change, or the winner's value (``_MISSING``: absent) on a clash."""
        if o == t or t == b:
            return o
        if o == b:
            return t
        lost = t if self.ours_wins else o
        if lost is not _MISSING:
            self.record(field, lost, None if b is _MISSING else b)
        return o if self.ours_wins else t

    def text(self, field: str, b: str, o: str, t: str) -> str:
        """The line merge of a text; clashing lines keep the winner's, the loser's is kept."""
        text = merge_text(b, o, t)
        if text.clean:
            return text.ours
        kept, other = (text.ours, text.theirs) if self.ours_wins else (text.theirs, text.ours)
        self.record(field, other, b)
        return kept


def merge_document(
    schema: Schema, base: Document | None, ours: Document, theirs: Document
) -> tuple[Document, list[Document]]:
    """Merge two versions of a document of ``schema`` against their common ancestor (None:
    added on both sides).

    Returns the merged document and the conflict records this merge added to it. A field
    changed on one side takes that change; on both sides alike, that value. A true conflict
    keeps the winner's value (later ``updated``, then greater ``updated_by``) and records the
    other.
    """
    if ours == theirs:
        return dict(ours), []
    rules = rules_of(schema)
    old = base if base is not None else {**rules.empty, **_metadata_of(rules, ours, theirs)}
    merge = _Merge(ours, theirs)
    merged: Document = {}
    for field in rules.scalar:
        # A field that not every document has (a decision) is absent rather than null.
        b, o, t = (d.get(field, _MISSING) for d in (old, ours, theirs))
        value = merge.scalar(field, b, o, t)
        if value is not _MISSING:
            merged[field] = value
    for field in rules.decisions:
        b, o, t = (d.get(field, _MISSING) for d in (old, ours, theirs))
        value = _closed_alike(o, t)
        if value is None:
            value = merge.scalar(field, b, o, t)
        if value is not _MISSING:
            merged[field] = value
    for field in rules.sets:
        merged[field] = merge_set(old[field], ours[field], theirs[field])
    for field in rules.record_sets:
        if field in ours or field in theirs:
            b, o, t = (d.get(field, []) for d in (old, ours, theirs))
            merged[field] = _merge_records(b, o, t)
    for field in rules.texts:
        merged[field] = merge.text(field, old[field], ours[field], theirs[field])
    for field in rules.agendas:
        merged[field] = _merge_agenda(merge, old[field], ours[field], theirs[field])
    merged["deleted"] = _merge_deletion(merge, rules, old, ours, theirs)

    known = _merge_records(old["conflicts"], ours["conflicts"], theirs["conflicts"])
    seen = {_record_key(r) for r in known}
    new = [r for r in merge.new if _record_key(r) not in seen]
    merged["conflicts"] = sorted(
        known + new, key=lambda r: (r["updated"], r["field"], _record_key(r))
    )
    # Who wrote the document never changes; with no common version the earlier creation counts.
    merged.update(_metadata_of(rules, ours, theirs))
    merged.update((field, merge.winner[field]) for field in rules.winner)
    # Carry any field a newer Carnet added, from the winner.
    for field, value in merge.winner.items():
        merged.setdefault(field, value)
    return merged, new


def _closed_alike(ours: Any, theirs: Any) -> Document | None:
    """The one decision that two closings of the same decision make, when no participant's
    words are at stake; None when the scalar rule applies (a conflict if the outcomes differ).

    Each clone closes an overdue decision by itself, with the stances it knows: two clones
    that did it offline knew different stances, all given before the deadline, and both count.
    A closing by a participant (with an outcome) beats one by the deadline.
    """
    if not (isinstance(ours, dict) and isinstance(theirs, dict)) or ours == theirs:
        return None
    if "closed" not in ours or "closed" not in theirs:
        return None
    opening = ("question", "closes", "opened_by", "opened")
    if any(ours.get(key) != theirs.get(key) for key in opening):
        return None  # not the same decision: two openings clashed before
    by_deadline = [side for side in (ours, theirs) if side.get("closed_by") == ""]
    if len(by_deadline) == 1:
        return theirs if by_deadline[0] is ours else ours
    if len(by_deadline) == 0:
        return None
    # Both by the deadline: every stance either knew; a participant known with two different
    # stances (one clone had an older review) keeps the greater, the same on every clone.
    stances: dict[str, str] = {}
    for participant, stance in [*ours["result"].items(), *theirs["result"].items()]:
        stances[participant] = max(stance, stances.get(participant, stance))
    return {**ours, "result": dict(sorted(stances.items()))}


def _merge_deletion(
    merge: _Merge, rules: Rules, old: Document, ours: Document, theirs: Document
) -> bool:
    """Modify beats delete: a document deleted on one side and edited on the other stays, and
    the deletion waits in the conflicts for someone to confirm it."""
    b, o, t = old["deleted"], ours["deleted"], theirs["deleted"]
    deleted: bool = o if (o == t or t == b) else t
    if deleted and not b and o != t:
        deleter, editor = (ours, theirs) if o else (theirs, ours)
        if any(editor[f] != old[f] for f in rules.content):
            merge.record("deleted", True, False, by=deleter)
            return False
    return deleted


def _metadata_of(rules: Rules, ours: Document, theirs: Document) -> Document:
    first = min(ours, theirs, key=lambda d: (d["created"], d["author"]))
    return {field: first[field] for field in rules.fixed}


# --- an agenda: ordered items, each one an entry --------------------------------------------

_ITEM_KEY = entry_fields(Merge.FIXED, AGENDA_ITEM)[0]
_EMPTY_ITEM = {f.name: f.empty for f in AGENDA_ITEM.fields if f.merge is not Merge.FIXED}


def _merge_agenda(
    merge: _Merge, base: list[Document], ours: list[Document], theirs: list[Document]
) -> list[Document]:
    """Merge two versions of an agenda: an item added on either side stays, so does one
    removed on one side and changed on the other; each item's fields merge as their table
    says, a clash recorded as ``<field>/<entry>``; the order is the one side's that changed
    it, or the winner's when both did, then the items that order lacks."""
    b, o, t = ({item[_ITEM_KEY]: item for item in side} for side in (base, ours, theirs))
    kept: dict[str, Document] = {}
    for key in [*o, *(k for k in t if k not in o)]:
        if key in o and key in t:
            kept[key] = _merge_item(merge, key, b.get(key), o[key], t[key])
            continue
        side = o.get(key) or t[key]
        if key not in b or side != b[key]:  # added, or changed while the other removed it
            kept[key] = side
    orders = [list(o), list(t)]
    reordered = [_reordered(list(b), order) for order in orders]
    if reordered[0] != reordered[1]:
        first = orders[0] if reordered[0] else orders[1]
    else:
        first = orders[0] if merge.ours_wins else orders[1]
    sequence = dict.fromkeys([*first, *orders[0], *orders[1]])
    return [kept[key] for key in sequence if key in kept]


def _reordered(base: list[str], side: list[str]) -> bool:
    """Whether ``side`` put the items it kept from ``base`` in another order."""
    return [k for k in side if k in base] != [k for k in base if k in side]


def _merge_item(
    merge: _Merge, key: str, base: Document | None, ours: Document, theirs: Document
) -> Document:
    old = base if base is not None else {_ITEM_KEY: key, **copy.deepcopy(_EMPTY_ITEM)}
    item: Document = {}
    for rule in AGENDA_ITEM.fields:
        name = rule.name
        b, o, t = old[name], ours[name], theirs[name]
        if rule.merge is Merge.TEXT:
            item[name] = merge.text(f"{name}/{key}", b, o, t)
        elif rule.merge is Merge.SCALAR:
            item[name] = merge.scalar(f"{name}/{key}", b, o, t)
        else:
            item[name] = key
    # A field of an item that a newer Carnet added comes from the winner's item.
    for name, value in (ours if merge.ours_wins else theirs).items():
        item.setdefault(name, value)
    return item
