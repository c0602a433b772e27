"""The plain data objects that cross the store boundary: entries, comments, participants...

One module per table, as in ``store.schema``, whose fields they hold (a test holds them to
it). The names of the modules below the model are re-exported here too, where the rest of the
code has always found them; every name is imported from ``store.model``, never from its
modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import names_from

if TYPE_CHECKING:
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
# Where each name comes from. Imported on first use, not with the package (as in
# ``store.storage``): ``carnet add`` and the direct actions need the entry, reading,
# participant and settings records and the validators, not every table's model (the
# meetings', the comments'), whose records cost them about 2 ms of imports.
_HOMES = {
    "MAX_DOCUMENT_BYTES": "store.codec",
    "MAX_SAFE_INTEGER": "store.codec",
    "Document": "store.codec",
    "canonical_bytes": "store.codec",
    "document_bytes": "store.codec",
    "format_time": "store.codec",
    "now": "store.codec",
    "parse_json": "store.codec",
    "parse_time": "store.codec",
    "Conflict": "store.conflict",
    "Comment": "store.model.comments",
    "Attachment": "store.model.entries",
    "Decision": "store.model.entries",
    "DecisionState": "store.model.entries",
    "Entry": "store.model.entries",
    "filler": "store.model.loading",
    "held_text": "store.model.loading",
    "held_value": "store.model.loading",
    "held_values": "store.model.loading",
    "AgendaItem": "store.model.meetings",
    "Meeting": "store.model.meetings",
    "NotebookInfo": "store.model.meta",
    "Objective": "store.model.meta",
    "Participant": "store.model.participants",
    "Review": "store.model.reviews",
    "EDITABLE_FIELDS": "store.schema",
    "FORMAT_VERSION": "store.schema",
    "KINDS": "store.schema",
    "MAX_TITLE_LENGTH": "store.schema",
    "SIGNATURE_POLICIES": "store.schema",
    "STANCES": "store.schema",
    "STATUSES": "store.schema",
    "TIME_PATTERN": "store.schema",
    "VALIDATORS": "store.validate",
    "is_field_value": "store.validate",
    "read_document": "store.validate",
    "validate_comment": "store.validate",
    "validate_entry": "store.validate",
    "validate_meta": "store.validate",
    "validate_participant": "store.validate",
    "validate_review": "store.validate",
}


__getattr__ = names_from(__name__, _HOMES)
