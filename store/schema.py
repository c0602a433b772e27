"""The fields of every kind of document, each described once: type, check, merge rule, label.

Adding a field to a document means adding it to its table here. Validation (``store.validate``),
the merge (``store.merge``), the words people see (``store.display``), the conflicts screen, the
report, the command line's JSON and the entry editor read these tables; only a field that needs
a new way of being drawn needs more than a line here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from store.i18n import N_
from store.ids import is_slug, is_ulid
from store.keys import parse_key
from store.labels import kind_label, stance_label, status_label

FORMAT_VERSION = 1
# carnet.json "signatures": whether every change to owned documents must be signed.
SIGNATURE_POLICIES = ("optional", "required")
# The kinds people choose for an entry they write (forms, filters, ``carnet add``).
KINDS = ("practice", "research", "tool", "contact", "reflection", "proposal")
# The group's synthesis texts (``store.sections``): entries too, but made by their name only.
SECTION_KIND = "section"
ENTRY_KINDS = (*KINDS, SECTION_KIND)
STATUSES = ("draft", "open", "discuss", "adopted", "archived")
STANCES = ("agree", "question", "disagree", "abstain", "block")
# What a closed decision makes of its entry.
DECISION_OUTCOMES = ("adopted", "archived")
# The keys of a decision that only a closed one has.
DECISION_CLOSING = ("closed_by", "closed", "outcome", "status", "result")
MAX_TITLE_LENGTH = 300  # asked of a title people type; a peer's longer one still loads
# carnet.json "attachment_limit_mb": the largest file one may attach, in MB (absent: this).
ATTACHMENT_LIMIT_MB = 20
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")

TIME_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")
DAY_PATTERN = re.compile(r"^\d{4}-\d\d-\d\d$")

MISSING = N_("the field “{name}” is missing")
WRONG_TYPE = N_("the field “{name}” has the wrong type")
NOT_A_TIME = N_("the field “{name}” is not a time")
NOT_A_PARTICIPANT = N_("the field “{name}” is not a participant id")
NOT_A_DOCUMENT = N_("the field “{name}” is not a document id")


class Merge(Enum):
    """How a 3-way merge settles a field that both sides changed (``store.merge``)."""

    SCALAR = "scalar"  # a deterministic winner; in an entry the other value becomes a conflict
    SET = "set"  # 3-way set merge: an addition beats a removal
    TEXT = "text"  # 3-way line merge; clashing lines become a conflict, never markers
    DELETION = "deletion"  # a tombstone: a modification on the other side beats it
    RECORDS = "records"  # the conflict records: a record resolved on either side stays so
    FIXED = "fixed"  # set at creation, never changed: the earlier creation's value
    WINNER = "winner"  # who changed it last, and when: the side that won the merge
    NEWEST = "newest"  # the greater value (a format version)
    LATEST = "latest"  # one writer: the document's later version wins whole
    AGENDA = "agenda"  # ordered items, each merged field by field; an added item stays
    # A decision: as a scalar, except that a closing by a participant beats one by the deadline,
    # and two closings by the deadline (nobody's words) merge their stances.
    DECISION = "decision"


class Shown(Enum):
    """How a field's value is shown to people, and edited where it is editable."""

    CHOICE = "choice"  # one of ``choices``, by its label
    LINE = "line"  # one line of text
    TEXT = "text"  # Markdown text
    NUMBERS = "numbers"  # objective numbers, with their titles
    WORDS = "words"  # a set of words, comma-separated
    DELETION = "deletion"  # whether the entry is deleted
    PARTICIPANT = "participant"  # a participant id, shown by name
    TIME = "time"  # a stored time, shown in the local zone
    ID = "id"  # a document id
    KEYS = "keys"  # SSH public keys
    RECORDS = "records"  # nested records, shown by their own screen


@dataclass(frozen=True)
class Field:
    """One field of a document kind.

    ``type`` is the JSON type its value has (``object``: any); ``check`` what more the value
    must be, else the document is refused with ``problem``; a missing required field is refused
    with ``missing``. Messages are message ids, formatted with ``name`` (``reported_as`` if set,
    for the messages a field overrides) and ``value``.
    """

    name: str
    type: type | tuple[type, ...]
    merge: Merge
    label: str  # message id, translated when shown
    check: Callable[[Any], bool] | None = None
    problem: str = WRONG_TYPE
    required: bool = True
    missing: str = MISSING
    nullable: bool = False
    editable: bool = False  # people change it, so a merge may find it in conflict
    # Changed by an action rather than the entry's form, yet a merge may find it in conflict.
    contested: bool = False
    shown: Shown = Shown.LINE
    choices: tuple[str, ...] = ()
    choice_label: Callable[[str], str] = str  # a choice in words, in the current language
    items: Schema | None = None  # a list of objects, each of that schema
    empty: Any = None  # its value in an entry that has none yet (added on both sides)
    reported_as: str | None = None

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` can be this field's value (a tuple counts as a list)."""
        if isinstance(value, tuple):
            value = list(value)
        if value is None and self.nullable:
            return True
        if not has_type(value, self.type):
            return False
        return self.check is None or bool(self.check(value))


@dataclass(frozen=True)
class Schema:
    """The fields of one kind of document, in the order they are checked."""

    table: str  # where its documents live: entries, comments... and meta for carnet.json
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None for a field this table does not know."""
        by_name: dict[str, Field] = self._by_name  # type: ignore[attr-defined]
        return by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of its fields, in order."""
        return tuple(f.name for f in self.fields)


def has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    """``isinstance``, except that a boolean is not an integer in a document."""
    if kind is object:
        return True
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value: str) -> bool:
    return TIME_PATTERN.match(value) is not None


def _are_keys(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(key, str) and parse_key(key) == key for key in value
    )


def is_day(value: Any) -> bool:
    """Whether ``value`` is a calendar day written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or DAY_PATTERN.match(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


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
        and _is_time(value["opened"])
    )
    if not opened or "closed" not in value:
        return opened and not any(k in value for k in DECISION_CLOSING)
    result = value.get("result")
    return (
        # "": closed by its deadline, by no participant.
        (value.get("closed_by") == "" or is_slug(value.get("closed_by")))
        and isinstance(value["closed"], str)
        and _is_time(value["closed"])
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
    return _is_int(value) and value >= 0


def _is_sha256(value: str) -> bool:
    return SHA256_PATTERN.match(value) is not None


def _is_limit(value: Any) -> bool:
    return _is_int(value) and value > 0


def attachment_limit(meta: dict[str, Any]) -> int:
    """The largest file that may be attached, in bytes, as ``carnet.json`` says."""
    megabytes = meta.get("attachment_limit_mb", ATTACHMENT_LIMIT_MB)
    return int(megabytes if _is_limit(megabytes) else ATTACHMENT_LIMIT_MB) * 1024 * 1024


def _is_agenda(value: Any) -> bool:
    """No entry twice: an item is known by its entry (its minutes, its conflicts)."""
    entries = [item.get("entry") for item in value if isinstance(item, dict)]
    return len(entries) == len(set(entries))


def _time(name: str, merge: Merge, label: str, **more: Any) -> Field:
    return Field(name, str, merge, label, _is_time, NOT_A_TIME, shown=Shown.TIME, **more)


def _participant(name: str, merge: Merge, label: str, **more: Any) -> Field:
    return Field(
        name, str, merge, label, is_slug, NOT_A_PARTICIPANT, shown=Shown.PARTICIPANT, **more
    )


# A conflict record: a value that lost a merge, waiting for someone to choose (store.model's
# Conflict). Which field it names, and whether its value fits that field, is checked with the
# entry (store.validate).
CONFLICT = Schema(
    "conflicts",
    (
        Field("field", str, Merge.FIXED, N_("field"), lambda v: v in CONTESTED_FIELDS,
              reported_as="conflicts"),
        _participant("author", Merge.FIXED, N_("author")),
        _time("updated", Merge.FIXED, N_("date")),
        Field("value", object, Merge.FIXED, N_("value"), missing=WRONG_TYPE,
              reported_as="conflicts", nullable=True),
        Field("base", object, Merge.FIXED, N_("value before"), missing=WRONG_TYPE,
              reported_as="conflicts", nullable=True),
        # Who wrote the value the merge kept, and when: the entry's own "changed by" moves on
        # with the next edit (resolving another field), and would then name the wrong person.
        # Absent in records of earlier versions.
        _participant("kept_by", Merge.FIXED, N_("kept value by"), required=False),
        _time("kept", Merge.FIXED, N_("kept value of"), required=False),
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
        _participant("added_by", Merge.FIXED, N_("added by")),
        _time("added", Merge.FIXED, N_("added")),
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
        Field("objectives", list, Merge.SET, N_("objectives"), lambda v: all(map(_is_int, v)),
              editable=True, shown=Shown.NUMBERS, empty=[]),
        Field("tags", list, Merge.SET, N_("tags"), lambda v: all(isinstance(t, str) for t in v),
              editable=True, shown=Shown.WORDS, empty=[]),
        Field("status", str, Merge.SCALAR, N_("status"), lambda v: v in STATUSES,
              N_("unknown status “{value}”"), editable=True, shown=Shown.CHOICE,
              choices=STATUSES, choice_label=status_label),
        _participant("author", Merge.FIXED, N_("author")),
        _participant("updated_by", Merge.WINNER, N_("changed by")),
        _time("created", Merge.FIXED, N_("written")),
        _time("updated", Merge.WINNER, N_("changed")),
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

COMMENT = Schema(
    "comments",
    (
        Field("entry", str, Merge.SCALAR, N_("entry"), is_ulid, NOT_A_DOCUMENT, shown=Shown.ID),
        # A reply names the comment it answers; a comment on the entry itself has null.
        Field("parent", object, Merge.SCALAR, N_("reply to"), is_ulid, NOT_A_DOCUMENT,
              missing=NOT_A_DOCUMENT, nullable=True, shown=Shown.ID),
        _participant("author", Merge.SCALAR, N_("author")),
        Field("body", str, Merge.SCALAR, N_("text"), shown=Shown.TEXT),
        _time("created", Merge.SCALAR, N_("written")),
        # Withdrawn by its author: the text is emptied, the comment stays so its replies keep
        # their place. Absent rather than false: comments never withdrawn stay as they were.
        Field("deleted", bool, Merge.DELETION, N_("withdrawn"), required=False,
              shown=Shown.DELETION),
    ),
)  # fmt: skip

PARTICIPANT = Schema(
    "participants",
    (
        Field("name", str, Merge.SCALAR, N_("name"), lambda v: bool(v.strip()), MISSING),
        Field("email", str, Merge.SCALAR, N_("email")),
        Field("organisation", str, Merge.SCALAR, N_("organisation")),
        Field("role", str, Merge.SCALAR, N_("role")),
        # Absent rather than empty when there is none: older records stay byte for byte.
        Field("keys", object, Merge.SCALAR, N_("SSH keys"), _are_keys,
              N_("the field “{name}” is not a list of SSH public keys"), required=False,
              shown=Shown.KEYS),
    ),
)  # fmt: skip

REVIEW = Schema(
    "reviews",
    (
        _participant("participant", Merge.LATEST, N_("participant")),
        Field("entry", str, Merge.LATEST, N_("entry"), is_ulid, NOT_A_DOCUMENT, shown=Shown.ID),
        # Null (or, in early records, absent) until the participant reads the entry.
        _time("read", Merge.LATEST, N_("read"), required=False, nullable=True),
        Field("stance", object, Merge.LATEST, N_("stance"), lambda v: v in STANCES,
              N_("unknown stance “{value}”"), missing=N_("unknown stance “{value}”"),
              nullable=True, shown=Shown.CHOICE, choices=STANCES,
              choice_label=stance_label),
        _time("updated", Merge.LATEST, N_("changed")),
    ),
)  # fmt: skip

OBJECTIVE = Schema(
    "objectives",
    (
        Field("number", int, Merge.SCALAR, N_("number")),
        Field("title", str, Merge.SCALAR, N_("title")),
    ),
)

META = Schema(
    "meta",
    (
        Field("format", int, Merge.NEWEST, N_("format version")),
        Field("title", str, Merge.SCALAR, N_("title")),
        Field("language", str, Merge.SCALAR, N_("language")),
        Field("objectives", list, Merge.SCALAR, N_("objectives"), items=OBJECTIVE,
              shown=Shown.RECORDS),
        # Written for other tools to read; Carnet's own lists are KINDS and STATUSES.
        Field("kinds", object, Merge.SCALAR, N_("kinds"), required=False, shown=Shown.WORDS),
        Field("statuses", object, Merge.SCALAR, N_("statuses"), required=False,
              shown=Shown.WORDS),
        Field("signatures", object, Merge.SCALAR, N_("signatures"),
              lambda v: v in SIGNATURE_POLICIES, required=False, shown=Shown.CHOICE,
              choices=SIGNATURE_POLICIES),
        Field("attachment_limit_mb", int, Merge.SCALAR, N_("attachment limit (MB)"), _is_limit,
              required=False),
    ),
)  # fmt: skip

# What a meeting decided on one entry of its agenda (store.model's AgendaItem).
AGENDA_ITEM = Schema(
    "agenda",
    (
        Field("entry", str, Merge.FIXED, N_("entry"), is_ulid, NOT_A_DOCUMENT, shown=Shown.ID),
        Field("minutes", str, Merge.TEXT, N_("minutes"), shown=Shown.TEXT, empty=""),
        # The status the meeting agreed for the entry, applied when it closes; null: none.
        Field("status", object, Merge.SCALAR, N_("status agreed"), lambda v: v in STATUSES,
              N_("unknown status “{value}”"), missing=N_("unknown status “{value}”"),
              nullable=True, shown=Shown.CHOICE, choices=STATUSES, choice_label=status_label),
    ),
)  # fmt: skip

# The fields of a meeting that people change, and those of its agenda's items, which its
# conflict records name as "minutes/<entry id>" or "status/<entry id>".
MEETING_CONTESTED = ("title", "day", "place", "closed", "closed_by")
AGENDA_CONTESTED = ("minutes", "status")


def is_meeting_conflict_field(value: Any) -> bool:
    """Whether a meeting's conflict record may name ``value``: one of its fields, or a field
    of one item of its agenda."""
    if value in MEETING_CONTESTED:
        return True
    item_field, _sep, entry = str(value).partition("/")
    return item_field in AGENDA_CONTESTED and is_ulid(entry)


MEETING_CONFLICT = Schema(
    "conflicts",
    (
        Field("field", str, Merge.FIXED, N_("field"), is_meeting_conflict_field,
              reported_as="conflicts"),
        *CONFLICT.fields[1:],
    ),
)  # fmt: skip

MEETING = Schema(
    "meetings",
    (
        Field("title", str, Merge.SCALAR, N_("title"), lambda v: bool(v.strip()),
              N_("the title is empty"), editable=True, empty=""),
        Field("day", str, Merge.SCALAR, N_("day"), is_day,
              N_("the field “{name}” is not a day"), editable=True, empty=""),
        Field("place", str, Merge.SCALAR, N_("place"), editable=True, empty=""),
        Field("attendees", list, Merge.SET, N_("attendees"), lambda v: all(map(is_slug, v)),
              editable=True, shown=Shown.WORDS, empty=[]),
        Field("agenda", list, Merge.AGENDA, N_("agenda"), _is_agenda,
              N_("an entry is twice on the agenda"), editable=True, items=AGENDA_ITEM,
              shown=Shown.RECORDS, empty=[]),
        _time("closed", Merge.SCALAR, N_("closed"), nullable=True, contested=True),
        _participant("closed_by", Merge.SCALAR, N_("closed by"), nullable=True,
                     contested=True),
        _participant("author", Merge.FIXED, N_("author")),
        _time("created", Merge.FIXED, N_("written")),
        _participant("updated_by", Merge.WINNER, N_("changed by")),
        _time("updated", Merge.WINNER, N_("changed")),
        Field("deleted", bool, Merge.DELETION, N_("deletion"), shown=Shown.DELETION,
              empty=False),
        Field("conflicts", list, Merge.RECORDS, N_("conflicts"), items=MEETING_CONFLICT,
              shown=Shown.RECORDS, empty=[]),
    ),
)  # fmt: skip

# Every kind of document, by the table it is kept in ("meta": carnet.json).
SCHEMAS: dict[str, Schema] = {
    s.table: s for s in (ENTRY, COMMENT, PARTICIPANT, REVIEW, MEETING, META)
}

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
