"""A participant: a member of the delegation, and the keys that sign their changes."""

from __future__ import annotations

from store.codec import Document
from store.record import Record


class Participant(Record):
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
