"""The plain data objects that cross the store boundary: entries, comments, participants...

One module per table, as in ``store.schema``, whose fields they hold (a test holds them to
it). The names of the modules below the model are re-exported here too, where the rest of the
code has always found them; every name is imported from ``store.model``, never from its
modules.
"""

from __future__ import annotations

from store.codec import (
    MAX_DOCUMENT_BYTES,
    MAX_SAFE_INTEGER,
    Document,
    canonical_bytes,
    document_bytes,
    format_time,
    now,
    parse_json,
    parse_time,
)
from store.conflict import Conflict
from store.model.comments import Comment
from store.model.entries import Attachment, Decision, DecisionState, Entry
from store.model.loading import filler, held_text, held_value, held_values
from store.model.meetings import AgendaItem, Meeting
from store.model.meta import NotebookInfo, Objective
from store.model.participants import Participant
from store.model.reviews import Review
from store.schema import (
    EDITABLE_FIELDS,
    FORMAT_VERSION,
    KINDS,
    MAX_TITLE_LENGTH,
    SIGNATURE_POLICIES,
    STANCES,
    STATUSES,
    TIME_PATTERN,
)
from store.validate import (
    VALIDATORS,
    is_field_value,
    read_document,
    validate_comment,
    validate_entry,
    validate_meta,
    validate_participant,
    validate_review,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_DOCUMENT_BYTES",
    "MAX_SAFE_INTEGER",
    "MAX_TITLE_LENGTH",
    "SIGNATURE_POLICIES",
    "STANCES",
    "STATUSES",
    "TIME_PATTERN",
    "VALIDATORS",
    "AgendaItem",
    "Attachment",
    "Comment",
    "Conflict",
    "Decision",
    "DecisionState",
    "Document",
    "Entry",
    "Meeting",
    "NotebookInfo",
    "Objective",
    "Participant",
    "Review",
    "canonical_bytes",
    "document_bytes",
    "filler",
    "held_text",
    "held_value",
    "held_values",
    "format_time",
    "is_field_value",
    "now",
    "parse_json",
    "parse_time",
    "read_document",
    "validate_comment",
    "validate_entry",
    "validate_meta",
    "validate_participant",
    "validate_review",
]
