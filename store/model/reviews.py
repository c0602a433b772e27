"""A review: one participant's reading of one entry, and their stance."""

from __future__ import annotations

from store.codec import Document
from store.model.loading import filler, held_as_utf8
from store.record import Record


class Review(Record):
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
        return _fill(doc["participant"], doc["entry"], doc["read"], doc["stance"], doc["updated"])

    def to_doc(self) -> Document:
        read, updated = self.read, self.updated
        return {
            "participant": self.participant,
            "entry": self.entry,
            "read": read,
            "stance": self.stance,
            # Decoded once when one time, as the loader would have read it (held once).
            "updated": read if updated == read else updated,
        }


held_as_utf8(Review, "read")
held_as_utf8(Review, "updated", shares="read")
_fill = filler(Review)  # see filler; made after, to set the times as they are held
