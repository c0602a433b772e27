"""The table of reviews: one participant's reading of one entry, and their stance."""

from __future__ import annotations

from store.i18n import N_
from store.ids import is_ulid
from store.labels import stance_label
from store.schema.fields import (
    NOT_A_DOCUMENT,
    Field,
    Merge,
    Schema,
    Shown,
    participant_field,
    time_field,
)
from store.schema.vocabulary import STANCES

REVIEW = Schema(
    "reviews",
    (
        participant_field("participant", Merge.LATEST, N_("participant")),
        Field("entry", str, Merge.LATEST, N_("entry"), is_ulid, NOT_A_DOCUMENT, shown=Shown.ID),
        # Null (or, in early records, absent) until the participant reads the entry.
        time_field("read", Merge.LATEST, N_("read"), required=False, nullable=True),
        Field("stance", object, Merge.LATEST, N_("stance"), lambda v: v in STANCES,
              N_("unknown stance “{value}”"), missing=N_("unknown stance “{value}”"),
              nullable=True, shown=Shown.CHOICE, choices=STANCES,
              choice_label=stance_label),
        time_field("updated", Merge.LATEST, N_("changed")),
    ),
)  # fmt: skip
