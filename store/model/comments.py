"""A comment on an entry, or a reply to another comment."""

from __future__ import annotations

from store.codec import Document
from store.model.loading import filler, held_as_utf8
from store.record import Record


class Comment(Record):
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
        return _fill(
            comment_id, doc["entry"], doc["parent"], doc["author"], doc["body"], doc["created"],
            doc.get("deleted", False),
        )  # fmt: skip

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


held_as_utf8(Comment, "body", deflate=True)
held_as_utf8(Comment, "created")
_fill = filler(Comment)  # see filler; made after, to set the body as it is held
