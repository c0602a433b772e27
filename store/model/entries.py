"""An entry and what it holds: its decision, its attached files; where a decision stands."""

from __future__ import annotations

from store.codec import Document
from store.conflict import Conflict
from store.model.loading import held_as_utf8
from store.record import Record
from store.schema import ATTACHMENT


class Decision(Record):
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


class Attachment(Record):
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


class Entry(Record):
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
    conflicts: tuple[Conflict, ...] = ()
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


held_as_utf8(Entry, "body", deflate=True)


class DecisionState(Record):
    """Where a decision stands: the stances counted (frozen once closed), who has answered."""

    entry: Entry
    decision: Decision
    counts: tuple[tuple[str, int], ...]  # (stance, how many), for every stance, in order
    answered: tuple[str, ...]  # participant ids
    missing: tuple[str, ...]  # the participants who have taken no stance

    @property
    def closed(self) -> bool:
        return self.decision.is_closed
