"""What ``carnet.json`` says of the notebook: its title, its objectives, its settings."""

from __future__ import annotations

from store.codec import Document
from store.record import Record
from store.schema import ATTACHMENT_LIMIT_MB, FORMAT_VERSION, KINDS, STATUSES


class Objective(Record):
    """One of the mission's numbered objectives."""

    number: int
    title: str


class NotebookInfo(Record):
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
