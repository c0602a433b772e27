"""A meeting: its day, who came, its agenda of entries and their minutes."""

from __future__ import annotations

from store.codec import Document
from store.conflict import Conflict
from store.record import Record
from store.schema import MEETING


class AgendaItem(Record):
    """One entry on a meeting's agenda: what was said of it, and the status agreed for it."""

    entry: str
    minutes: str = ""
    status: str | None = None  # applied to the entry when the meeting closes; None: no change

    @classmethod
    def from_doc(cls, doc: Document) -> AgendaItem:
        return cls(doc["entry"], doc["minutes"], doc["status"])

    def to_doc(self) -> Document:
        return {"entry": self.entry, "minutes": self.minutes, "status": self.status}


class Meeting(Record):
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
