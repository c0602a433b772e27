"""The table of comments: on an entry, or in reply to another comment."""

from __future__ import annotations

from store.i18n import N_
from store.ids import is_ulid
from store.schema.fields import (
    NOT_A_DOCUMENT,
    Field,
    Merge,
    Schema,
    Shown,
    participant_field,
    time_field,
)

COMMENT = Schema(
    "comments",
    (
        Field("entry", str, Merge.SCALAR, N_("entry"), is_ulid, NOT_A_DOCUMENT, shown=Shown.ID),
        # A reply names the comment it answers; a comment on the entry itself has null.
        Field("parent", object, Merge.SCALAR, N_("reply to"), is_ulid, NOT_A_DOCUMENT,
              missing=NOT_A_DOCUMENT, nullable=True, shown=Shown.ID),
        participant_field("author", Merge.SCALAR, N_("author")),
        Field("body", str, Merge.SCALAR, N_("text"), shown=Shown.TEXT),
        time_field("created", Merge.SCALAR, N_("written")),
        # Withdrawn by its author: the text is emptied, the comment stays so its replies keep
        # their place. Absent rather than false: comments never withdrawn stay as they were.
        Field("deleted", bool, Merge.DELETION, N_("withdrawn"), required=False,
              shown=Shown.DELETION),
    ),
)  # fmt: skip
