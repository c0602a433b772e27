"""The table of entries, with those of the records they hold: conflicts, attachments."""

from __future__ import annotations

import re
from typing import Any

from store.i18n import N_
from store.ids import is_slug
from store.labels import kind_label, status_label
from store.schema.fields import (
    WRONG_TYPE,
    Field,
    Merge,
    Schema,
    Shown,
    is_day,
    is_int,
    is_time,
    participant_field,
    time_field,
)
from store.schema.vocabulary import DECISION_OUTCOMES, ENTRY_KINDS, STANCES, STATUSES

# The keys of a decision that only a closed one has.
DECISION_CLOSING = ("closed_by", "closed", "outcome", "status", "result")
MAX_TITLE_LENGTH = 300  # asked of a title people type; a peer's longer one still loads
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def _is_decision(value: Any) -> bool:
    """An open decision (question, closes, opened_by, opened), or a closed one: also who
    closed it, when, its outcome, the entry's resulting status and the stances frozen then."""
    if not isinstance(value, dict):
        return False
    opened = (
        isinstance(value.get("question"), str)
        and is_day(value.get("closes"))
        and is_slug(value.get("opened_by"))
        and isinstance(value.get("opened"), str)
        and is_time(value["opened"])
    )
    if not opened or "closed" not in value:
        return opened and not any(k in value for k in DECISION_CLOSING)
    result = value.get("result")
    return (
        # "": closed by its deadline, by no participant.
        (value.get("closed_by") == "" or is_slug(value.get("closed_by")))
        and isinstance(value["closed"], str)
        and is_time(value["closed"])
        and isinstance(value.get("outcome"), str)
        # None: closed by the deadline, which leaves the entry's status to the group.
        and "status" in value
        and value["status"] in (*DECISION_OUTCOMES, None)
        and isinstance(result, dict)
        and all(is_slug(p) and s in STANCES for p, s in result.items())
    )


def _is_file_name(value: str) -> bool:
    """A file's own name, without a folder: what a peer writes there is only ever shown."""
    return bool(value.strip()) and len(value) <= 255 and not any(c in value for c in "/\\\0")


def _is_size(value: Any) -> bool:
    return is_int(value) and value >= 0


def _is_sha256(value: str) -> bool:
    return SHA256_PATTERN.match(value) is not None


# A conflict record: a value that lost a merge, waiting for someone to choose (store.model's
# Conflict). Which field it names, and whether its value fits that field, is checked with the
# entry (store.validate).
CONFLICT = Schema(
    "conflicts",
    (
        Field("field", str, Merge.FIXED, N_("field"), lambda v: v in CONTESTED_FIELDS,
              reported_as="conflicts"),
        participant_field("author", Merge.FIXED, N_("author")),
        time_field("updated", Merge.FIXED, N_("date")),
        Field("value", object, Merge.FIXED, N_("value"), missing=WRONG_TYPE,
              reported_as="conflicts", nullable=True),
        Field("base", object, Merge.FIXED, N_("value before"), missing=WRONG_TYPE,
              reported_as="conflicts", nullable=True),
        # Who wrote the value the merge kept, and when: the entry's own "changed by" moves on
        # with the next edit (resolving another field), and would then name the wrong person.
        # Absent in records of earlier versions.
        participant_field("kept_by", Merge.FIXED, N_("kept value by"), required=False),
        time_field("kept", Merge.FIXED, N_("kept value of"), required=False),
    ),
)  # fmt: skip

# A file attached to an entry (store.model's Attachment); its bytes are stored once, by their
# hash, at ``attachments/<aa>/<sha256>`` (store.layout).
ATTACHMENT = Schema(
    "attachments",
    (
        Field("name", str, Merge.FIXED, N_("name"), _is_file_name),
        Field("size", int, Merge.FIXED, N_("size"), _is_size),
        Field("type", str, Merge.FIXED, N_("type")),
        Field("sha256", str, Merge.FIXED, N_("hash"), _is_sha256),
        participant_field("added_by", Merge.FIXED, N_("added by")),
        time_field("added", Merge.FIXED, N_("added")),
    ),
)  # fmt: skip

ENTRY = Schema(
    "entries",
    (
        Field("kind", str, Merge.SCALAR, N_("kind"), lambda v: v in ENTRY_KINDS,
              N_("unknown kind “{value}”"), editable=True, shown=Shown.CHOICE, choices=ENTRY_KINDS,
              choice_label=kind_label),
        Field("title", str, Merge.SCALAR, N_("title"), lambda v: bool(v.strip()),
              N_("the title is empty"), editable=True, empty=""),
        Field("body", str, Merge.TEXT, N_("text"), editable=True, shown=Shown.TEXT, empty=""),
        Field("objectives", list, Merge.SET, N_("objectives"), lambda v: all(map(is_int, v)),
              editable=True, shown=Shown.NUMBERS, empty=[]),
        Field("tags", list, Merge.SET, N_("tags"), lambda v: all(isinstance(t, str) for t in v),
              editable=True, shown=Shown.WORDS, empty=[]),
        Field("status", str, Merge.SCALAR, N_("status"), lambda v: v in STATUSES,
              N_("unknown status “{value}”"), editable=True, shown=Shown.CHOICE,
              choices=STATUSES, choice_label=status_label),
        participant_field("author", Merge.FIXED, N_("author")),
        participant_field("updated_by", Merge.WINNER, N_("changed by")),
        time_field("created", Merge.FIXED, N_("written")),
        time_field("updated", Merge.WINNER, N_("changed")),
        Field("deleted", bool, Merge.DELETION, N_("deletion"), editable=True,
              shown=Shown.DELETION, empty=False),
        Field("conflicts", list, Merge.RECORDS, N_("conflicts"), items=CONFLICT,
              shown=Shown.RECORDS, empty=[]),
        # Absent until the entry is put to a decision: the entries without one stay as they were.
        Field("decision", object, Merge.DECISION, N_("decision"), _is_decision,
              N_("the decision on the entry is not valid"), required=False, contested=True,
              shown=Shown.RECORDS),
        # Absent until a file is attached; merged as a set: an attachment added on either side
        # stays.
        Field("attachments", list, Merge.SET, N_("attachments"), items=ATTACHMENT,
              required=False, shown=Shown.RECORDS),
    ),
)  # fmt: skip


# The fields of an entry that people edit in its form.
EDITABLE_FIELDS: tuple[str, ...] = tuple(f.name for f in ENTRY.fields if f.editable)
# Every field a merge can find in conflict: those, and those that actions change.
CONTESTED_FIELDS: tuple[str, ...] = tuple(f.name for f in ENTRY.fields if f.editable or f.contested)


def is_text_field(name: str) -> bool:
    """Whether the entry's field ``name`` is a text that two versions can be combined into."""
    rule = ENTRY.field(name)
    return rule is not None and rule.merge is Merge.TEXT


def entry_fields(merge: Merge, schema: Schema = ENTRY) -> tuple[str, ...]:
    """The names of the entry's (or another table's) fields that merge by ``merge``, in order."""
    return tuple(f.name for f in schema.fields if f.merge is merge)
