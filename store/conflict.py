"""A conflict record: the value that lost a merge, kept in its entry or meeting."""

from __future__ import annotations

from typing import Any

from store.codec import Document
from store.record import Record


class Conflict(Record):
    """A value that lost a merge: kept here until someone chooses between it and the current one."""

    field: str
    value: Any
    author: str
    updated: str
    base: Any
    # Who wrote the value the merge kept, and when ("": a record of an earlier version).
    kept_by: str = ""
    kept: str = ""

    @classmethod
    def from_doc(cls, doc: Document) -> Conflict:
        return cls(
            doc["field"], doc["value"], doc["author"], doc["updated"], doc["base"],
            doc.get("kept_by", ""), doc.get("kept", ""),
        )  # fmt: skip

    def to_doc(self) -> Document:
        doc = {
            "field": self.field,
            "value": self.value,
            "author": self.author,
            "updated": self.updated,
            "base": self.base,
        }
        if self.kept_by:
            doc.update(kept_by=self.kept_by, kept=self.kept)
        return doc
