"""The plain data objects that cross the store boundary: entries, comments, participants...

Their fields are those of the tables in ``store.schema`` (a test holds them to it). The names
of the modules below are re-exported here, where the rest of the code has always found them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
from store.schema import (
    ATTACHMENT,
    ATTACHMENT_LIMIT_MB,
    EDITABLE_FIELDS,
    FORMAT_VERSION,
    KINDS,
    MAX_TITLE_LENGTH,
    MEETING,
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

# --- plain data objects that cross the store boundary -----------------------------------------


@dataclass(frozen=True)
class Objective:
    """One of the mission's numbered objectives."""

    number: int
    title: str


@dataclass(frozen=True)
class NotebookInfo:
    """What ``carnet.json`` says of the notebook."""

    title: str
    language: str
    objectives: tuple[Objective, ...]
    format: int = FORMAT_VERSION
    # Once on, a change to a participant's documents must carry their signature (store.gate).
    signatures_required: bool = False
    attachment_limit_mb: int = ATTACHMENT_LIMIT_MB  # the largest file one may attach

    @classmethod
    def from_doc(cls, doc: Document) -> NotebookInfo:
        objectives = tuple(
            Objective(o["number"], o["title"]) for o in sorted(doc["objectives"], key=_number)
        )
        required = doc.get("signatures") == "required"
        limit = doc.get("attachment_limit_mb", ATTACHMENT_LIMIT_MB)
        return cls(doc["title"], doc["language"], objectives, doc["format"], required, limit)

    def to_doc(self) -> Document:
        return {
            "format": self.format,
            "title": self.title,
            "language": self.language,
            "objectives": [{"number": o.number, "title": o.title} for o in self.objectives],
            "kinds": list(KINDS),
            "statuses": list(STATUSES),
            **({"signatures": "required"} if self.signatures_required else {}),
            **(
                {"attachment_limit_mb": self.attachment_limit_mb}
                if self.attachment_limit_mb != ATTACHMENT_LIMIT_MB
                else {}
            ),
        }


def _number(objective: Document) -> int:
    return int(objective["number"])


@dataclass(frozen=True)
class Decision:
    """An entry put to the group: until ``closes`` (a day), then closed with an outcome.

    Closing freezes the stances as they were (``result``): those taken afterwards still show
    on the entry, but they no longer change what was decided.
    """

    question: str
    closes: str  # YYYY-MM-DD
    opened_by: str
    opened: str
    closed_by: str | None = None
    closed: str | None = None
    outcome: str | None = None
    status: str | None = None  # the entry's status once closed: adopted or archived
    result: tuple[tuple[str, str], ...] = ()  # (participant, stance), by participant

    @property
    def is_closed(self) -> bool:
        return self.closed is not None

    @classmethod
    def from_doc(cls, doc: Document) -> Decision:
        return cls(
            doc["question"], doc["closes"], doc["opened_by"], doc["opened"],
            doc.get("closed_by"), doc.get("closed"), doc.get("outcome"), doc.get("status"),
            tuple(sorted(doc.get("result", {}).items())),
        )  # fmt: skip

    def to_doc(self) -> Document:
        doc: Document = {
            "question": self.question,
            "closes": self.closes,
            "opened_by": self.opened_by,
            "opened": self.opened,
        }
        if self.is_closed:
            doc.update(
                closed_by=self.closed_by, closed=self.closed, outcome=self.outcome,
                status=self.status, result=dict(self.result),
            )  # fmt: skip
        return doc


@dataclass(frozen=True)
class Attachment:
    """A file attached to an entry: its bytes are stored once, by their hash (store.layout)."""

    name: str
    size: int
    type: str  # its MIME type, guessed from its name
    sha256: str
    added_by: str
    added: str

    @classmethod
    def from_doc(cls, doc: Document) -> Attachment:
        return cls(**{name: doc[name] for name in ATTACHMENT.names})

    def to_doc(self) -> Document:
        return {name: getattr(self, name) for name in ATTACHMENT.names}


@dataclass(frozen=True)
class Entry:
    """An entry of the notebook: an observation, a reference, a tool, a contact, a reflection..."""

    id: str
    kind: str
    title: str
    body: str
    objectives: tuple[int, ...]
    tags: tuple[str, ...]
    status: str
    author: str
    updated_by: str
    created: str
    updated: str
    deleted: bool = False
    conflicts: tuple[Conflict, ...] = field(default=())
    decision: Decision | None = None
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        # A decision kept from a conflict record arrives as its document.
        if isinstance(self.decision, dict):
            object.__setattr__(self, "decision", Decision.from_doc(self.decision))

    @classmethod
    def from_doc(cls, entry_id: str, doc: Document) -> Entry:
        return cls(
            id=entry_id,
            kind=doc["kind"],
            title=doc["title"],
            body=doc["body"],
            objectives=tuple(doc["objectives"]),
            tags=tuple(doc["tags"]),
            status=doc["status"],
            author=doc["author"],
            updated_by=doc["updated_by"],
            created=doc["created"],
            updated=doc["updated"],
            deleted=doc["deleted"],
            conflicts=tuple(Conflict.from_doc(c) for c in doc["conflicts"]),
            decision=Decision.from_doc(doc["decision"]) if "decision" in doc else None,
            attachments=tuple(Attachment.from_doc(a) for a in doc.get("attachments", ())),
        )

    def to_doc(self) -> Document:
        return {
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "objectives": sorted(set(self.objectives)),
            "tags": sorted(set(self.tags)),
            "status": self.status,
            "author": self.author,
            "updated_by": self.updated_by,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "conflicts": [c.to_doc() for c in self.conflicts],
            # Absent rather than null when there is none: entries stay byte for byte.
            **({"decision": self.decision.to_doc()} if self.decision is not None else {}),
            **({"attachments": [a.to_doc() for a in self.attachments]} if self.attachments else {}),
        }


@dataclass(frozen=True)
class DecisionState:
    """Where a decision stands: the stances counted (frozen once closed), who has answered."""

    entry: Entry
    decision: Decision
    counts: tuple[tuple[str, int], ...]  # (stance, how many), for every stance, in order
    answered: tuple[str, ...]  # participant ids
    missing: tuple[str, ...]  # the participants who have taken no stance

    @property
    def closed(self) -> bool:
        return self.decision.is_closed


def _loaded(instance: object) -> dict[str, Any]:
    """The attributes of a frozen dataclass instance made by ``object.__new__``, to fill in.

    Opening a notebook of 10,000 entries builds 110,000 comments and reviews from documents
    already checked. A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, six times slower than filling the instance's dict at once (0.15 s
    of each opening). Only ``from_doc`` does this, with every field, so the instance is as
    ``__init__`` would have made it.
    """
    attributes: dict[str, Any] = instance.__dict__
    return attributes


@dataclass(frozen=True)
class Comment:
    """A comment on an entry, or a reply to another comment (``parent``)."""

    id: str
    entry: str
    parent: str | None
    author: str
    body: str
    created: str
    deleted: bool = False  # withdrawn by its author: « commentaire retiré », replies stay

    @classmethod
    def from_doc(cls, comment_id: str, doc: Document) -> Comment:
        comment = object.__new__(cls)  # see _loaded
        _loaded(comment).update(
            id=comment_id, entry=doc["entry"], parent=doc["parent"], author=doc["author"],
            body=doc["body"], created=doc["created"], deleted=doc.get("deleted", False),
        )  # fmt: skip
        return comment

    def to_doc(self) -> Document:
        doc: Document = {
            "entry": self.entry,
            "parent": self.parent,
            "author": self.author,
            "body": self.body,
            "created": self.created,
        }
        if self.deleted:  # absent rather than false: older comments stay byte for byte
            doc["deleted"] = True
        return doc


@dataclass(frozen=True)
class Participant:
    """A member of the delegation; ``email`` is their git identity."""

    id: str
    name: str
    email: str
    organisation: str = ""
    role: str = ""
    keys: tuple[str, ...] = ()  # SSH public keys (``type base64``) that sign their commits

    @classmethod
    def from_doc(cls, participant_id: str, doc: Document) -> Participant:
        return cls(
            participant_id, doc["name"], doc["email"], doc["organisation"], doc["role"],
            tuple(doc.get("keys", ())),
        )  # fmt: skip

    def to_doc(self) -> Document:
        doc: Document = {
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "role": self.role,
        }
        if self.keys:  # absent rather than empty: records without a key stay as they were
            doc["keys"] = list(self.keys)
        return doc


@dataclass(frozen=True)
class Review:
    """One participant's reading of one entry: when they last read it, and their stance."""

    participant: str
    entry: str
    read: str | None
    stance: str | None
    updated: str

    @property
    def key(self) -> str:
        """The document id: ``participant/entry``, which is also its path under ``reviews/``."""
        return f"{self.participant}/{self.entry}"

    @classmethod
    def from_doc(cls, doc: Document) -> Review:
        review = object.__new__(cls)  # see _loaded
        _loaded(review).update(
            participant=doc["participant"], entry=doc["entry"], read=doc["read"],
            stance=doc["stance"], updated=doc["updated"],
        )  # fmt: skip
        return review

    def to_doc(self) -> Document:
        return {
            "participant": self.participant,
            "entry": self.entry,
            "read": self.read,
            "stance": self.stance,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class AgendaItem:
    """One entry on a meeting's agenda: what was said of it, and the status agreed for it."""

    entry: str
    minutes: str = ""
    status: str | None = None  # applied to the entry when the meeting closes; None: no change

    @classmethod
    def from_doc(cls, doc: Document) -> AgendaItem:
        return cls(doc["entry"], doc["minutes"], doc["status"])

    def to_doc(self) -> Document:
        return {"entry": self.entry, "minutes": self.minutes, "status": self.status}


@dataclass(frozen=True)
class Meeting:
    """A meeting of the group: its day, who came, its agenda of entries and their minutes."""

    id: str
    title: str
    day: str  # YYYY-MM-DD
    place: str
    attendees: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    closed: str | None
    closed_by: str | None
    author: str
    created: str
    updated_by: str
    updated: str
    deleted: bool = False
    conflicts: tuple[Conflict, ...] = ()

    @property
    def is_closed(self) -> bool:
        return self.closed is not None

    def item(self, entry_id: str) -> AgendaItem | None:
        """The agenda's item on ``entry_id``, if it is on the agenda."""
        return next((item for item in self.agenda if item.entry == entry_id), None)

    @classmethod
    def from_doc(cls, meeting_id: str, doc: Document) -> Meeting:
        values = {name: doc[name] for name in MEETING.names}
        values.update(
            attendees=tuple(doc["attendees"]),
            agenda=tuple(AgendaItem.from_doc(item) for item in doc["agenda"]),
            conflicts=tuple(Conflict.from_doc(c) for c in doc["conflicts"]),
        )
        return cls(meeting_id, **values)

    def to_doc(self) -> Document:
        doc: Document = {name: getattr(self, name) for name in MEETING.names}
        doc.update(
            attendees=sorted(set(self.attendees)),
            agenda=[item.to_doc() for item in self.agenda],
            conflicts=[c.to_doc() for c in self.conflicts],
        )
        return doc
