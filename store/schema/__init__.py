"""The fields of every kind of document, each described once: type, check, merge rule, label.

Adding a field to a document means adding it to its table: one module per table (``entries``,
``comments``, ``participants``, ``reviews``, ``meetings``, ``meta`` for ``carnet.json``), built
from the parts in ``fields`` and the words in ``vocabulary``. Validation (``store.validate``),
the merge (``store.merge``), the words people see (``store.display``), the conflicts screen, the
report, the command line's JSON and the entry editor read these tables; only a field that needs
a new way of being drawn needs more than a line there. The rest of the code imports every name
from ``store.schema``, never from its modules.
"""

from __future__ import annotations

from store.schema.comments import COMMENT
from store.schema.entries import (
    ATTACHMENT,
    CONFLICT,
    CONTESTED_FIELDS,
    DECISION_CLOSING,
    EDITABLE_FIELDS,
    ENTRY,
    MAX_TITLE_LENGTH,
    SHA256_PATTERN,
    entry_fields,
    is_text_field,
)
from store.schema.fields import (
    DAY_PATTERN,
    MISSING,
    NOT_A_DOCUMENT,
    NOT_A_PARTICIPANT,
    NOT_A_TIME,
    TIME_PATTERN,
    WRONG_TYPE,
    Field,
    Merge,
    Schema,
    Shown,
    has_type,
    is_day,
)
from store.schema.meetings import (
    AGENDA_CONTESTED,
    AGENDA_ITEM,
    MEETING,
    MEETING_CONFLICT,
    MEETING_CONTESTED,
    is_meeting_conflict_field,
)
from store.schema.meta import (
    ATTACHMENT_LIMIT_MB,
    FORMAT_VERSION,
    META,
    OBJECTIVE,
    SIGNATURE_POLICIES,
    attachment_limit,
)
from store.schema.participants import PARTICIPANT
from store.schema.reviews import REVIEW
from store.schema.vocabulary import (
    DECISION_OUTCOMES,
    ENTRY_KINDS,
    KINDS,
    SECTION_KIND,
    STANCES,
    STATUSES,
)

__all__ = [
    "AGENDA_CONTESTED",
    "AGENDA_ITEM",
    "ATTACHMENT",
    "ATTACHMENT_LIMIT_MB",
    "COMMENT",
    "CONFLICT",
    "CONTESTED_FIELDS",
    "DAY_PATTERN",
    "DECISION_CLOSING",
    "DECISION_OUTCOMES",
    "EDITABLE_FIELDS",
    "ENTRY",
    "ENTRY_KINDS",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_TITLE_LENGTH",
    "MEETING",
    "MEETING_CONFLICT",
    "MEETING_CONTESTED",
    "META",
    "MISSING",
    "NOT_A_DOCUMENT",
    "NOT_A_PARTICIPANT",
    "NOT_A_TIME",
    "OBJECTIVE",
    "PARTICIPANT",
    "REVIEW",
    "SCHEMAS",
    "SECTION_KIND",
    "SHA256_PATTERN",
    "SIGNATURE_POLICIES",
    "STANCES",
    "STATUSES",
    "TIME_PATTERN",
    "WRONG_TYPE",
    "Field",
    "Merge",
    "Schema",
    "Shown",
    "attachment_limit",
    "entry_fields",
    "has_type",
    "is_day",
    "is_meeting_conflict_field",
    "is_text_field",
]

# Every kind of document, by the table it is kept in ("meta": carnet.json).
SCHEMAS: dict[str, Schema] = {
    s.table: s for s in (ENTRY, COMMENT, PARTICIPANT, REVIEW, MEETING, META)
}
