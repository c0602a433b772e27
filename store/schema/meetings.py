"""The table of meetings: an agenda of entries, its minutes, its conflict records."""

from __future__ import annotations

from typing import Any

from store.i18n import N_
from store.ids import is_slug, is_ulid
from store.labels import status_label
from store.schema.entries import CONFLICT
from store.schema.fields import (
    NOT_A_DOCUMENT,
    Field,
    Merge,
    Schema,
    Shown,
    is_day,
    participant_field,
    time_field,
)
from store.schema.vocabulary import STATUSES


def _is_agenda(value: Any) -> bool:
    """No entry twice: an item is known by its entry (its minutes, its conflicts)."""
    entries = [item.get("entry") for item in value if isinstance(item, dict)]
    return len(entries) == len(set(entries))


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
        time_field("closed", Merge.SCALAR, N_("closed"), nullable=True, contested=True),
        participant_field("closed_by", Merge.SCALAR, N_("closed by"), nullable=True,
                          contested=True),
        participant_field("author", Merge.FIXED, N_("author")),
        time_field("created", Merge.FIXED, N_("written")),
        participant_field("updated_by", Merge.WINNER, N_("changed by")),
        time_field("updated", Merge.WINNER, N_("changed")),
        Field("deleted", bool, Merge.DELETION, N_("deletion"), shown=Shown.DELETION,
              empty=False),
        Field("conflicts", list, Merge.RECORDS, N_("conflicts"), items=MEETING_CONFLICT,
              shown=Shown.RECORDS, empty=[]),
    ),
)  # fmt: skip
