"""The parts of a field table: a field, a table, its merge rules and the checks they share."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any, NamedTuple

from store.i18n import N_
from store.ids import is_slug

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


class Field(NamedTuple):
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


class Schema:
    """The fields of one kind of document, in the order they are checked.

    Neither it nor ``Field`` is a dataclass: a dataclass's methods are code made and compiled
    when its module is imported, about a millisecond for ``Field`` on the 2-core machine, and
    every command that checks a document (``carnet add``) imports the schema.
    """

    __slots__ = ("table", "fields", "_by_name")

    def __init__(self, table: str, fields: tuple[Field, ...]) -> None:
        self.table = (
            table  # where its documents live: entries, comments... and meta for carnet.json
        )
        self.fields = fields
        self._by_name = {f.name: f for f in fields}

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None for a field this table does not know."""
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of its fields, in order."""
        return tuple(f.name for f in self.fields)


def has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    """``isinstance``, except that a boolean is not an integer in a document."""
    if kind is object:
        return True
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def is_int(value: Any) -> bool:
    """Whether ``value`` is an integer, and not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_time(value: str) -> bool:
    """Whether ``value`` is a time as documents hold it: UTC, written ``…T…Z``."""
    return TIME_PATTERN.match(value) is not None


def is_day(value: Any) -> bool:
    """Whether ``value`` is a calendar day written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or DAY_PATTERN.match(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def time_field(name: str, merge: Merge, label: str, **more: Any) -> Field:
    """A field holding a stored time."""
    return Field(name, str, merge, label, is_time, NOT_A_TIME, shown=Shown.TIME, **more)


def participant_field(name: str, merge: Merge, label: str, **more: Any) -> Field:
    """A field holding a participant's id."""
    return Field(
        name, str, merge, label, is_slug, NOT_A_PARTICIPANT, shown=Shown.PARTICIPANT, **more
    )
