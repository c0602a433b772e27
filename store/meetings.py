"""Meetings of the group: an agenda of entries, minutes for each, the statuses agreed.

A meeting is a document of its own (``meetings/<c>/<id>.json``), synced and merged like an
entry. Closing it applies what it agreed to the entries, in the same commit: each status
agreed, and the open decision on an entry closed with the minutes as its outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from store.actions import _later_than
from store.decisions import NotebookDecisions
from store.errors import InvalidInputError, NotFoundError
from store.i18n import N_, _
from store.ids import new_ulid, short_ids
from store.model import MAX_TITLE_LENGTH, STATUSES, AgendaItem, Entry, Meeting
from store.reads import _resolve
from store.record import replace
from store.schema import DECISION_OUTCOMES, is_day
from store.writing import unknown_participant


class NotebookMeetings(NotebookDecisions):
    """The meetings of a notebook: prepared, held one agenda item at a time, then closed."""

    # --- reading ---------------------------------------------------------------------------

    def meetings(self) -> list[Meeting]:
        """Every meeting (not deleted), by day, the newest first."""
        with self._lock:
            documents = dict(self._storage.read()["meetings"])
        found = [Meeting.from_doc(i, doc) for i, doc in documents.items() if not doc["deleted"]]
        return sorted(found, key=lambda m: (m.day, m.id), reverse=True)

    def meeting(self, meeting_id: str) -> Meeting:
        """The meeting with this id, in full or by a suffix of 4+ characters.

        Raises:
            NotFoundError: no meeting has that id.
            AmbiguousIdError: several meetings end with it.
        """
        documents = self._storage.read()["meetings"]
        found = _resolve(
            meeting_id, documents, _("no meeting has the id “{id}”"), self.meeting_short_id
        )
        return Meeting.from_doc(found, documents[found])

    def meeting_short_id(self, meeting_id: str) -> str:
        """The shortest unique suffix (4+ characters) people see for a meeting."""
        return short_ids(self._storage.read()["meetings"]).get(meeting_id, meeting_id)

    # --- preparing -------------------------------------------------------------------------

    def new_meeting(self, day: str, title: str, place: str = "") -> Meeting:
        """Plan (or record after the fact) a meeting on ``day`` (``YYYY-MM-DD``).

        Raises:
            InvalidInputError: not a day, or an empty or too long title.
        """
        _check_day(day)
        title = title.strip()
        if not title:
            raise InvalidInputError(_("the meeting needs a title"))
        if len(title) > MAX_TITLE_LENGTH:
            raise InvalidInputError(
                _("the title is too long ({count} characters, at most {limit})").format(
                    count=len(title), limit=MAX_TITLE_LENGTH
                )
            )
        with self._action(N_("New meeting: {title}"), title=title) as at:
            if self.me is None:
                raise unknown_participant()
            meeting = Meeting(
                id=new_ulid(), title=title, day=day, place=place.strip(), attendees=(),
                agenda=(), closed=None, closed_by=None, author=self.me, created=at,
                updated_by=self.me, updated=at,
            )  # fmt: skip
            self._write("meetings", meeting.id, meeting.to_doc())
        return meeting

    def prepare_agenda(self, meeting_id: str) -> Meeting:
        """Add to the agenda the entries « à discuter », then those with an open decision (by
        closing day), that are not on it yet."""
        wanted = [e.id for e in self.entries() if e.status == "discuss"]
        wanted += [state.entry.id for state in self.decisions(open_only=True)]

        def prepare(meeting: Meeting) -> Meeting:
            on = {item.entry for item in meeting.agenda}
            added = tuple(AgendaItem(e) for e in dict.fromkeys(wanted) if e not in on)
            return replace(meeting, agenda=(*meeting.agenda, *added))

        return self._update_meeting(meeting_id, prepare, N_("Prepare the agenda: {title}"))

    def set_agenda(self, meeting_id: str, entry_ids: Sequence[str]) -> Meeting:
        """Make the agenda these entries, in this order; an item kept keeps its minutes.

        Raises:
            InvalidInputError: an unknown entry, or one given twice.
        """
        chosen = [self._agenda_entry(e).id for e in entry_ids]
        if len(chosen) != len(set(chosen)):
            raise InvalidInputError(_("an entry is given twice for the agenda"))

        def choose(meeting: Meeting) -> Meeting:
            agenda = tuple(meeting.item(e) or AgendaItem(e) for e in chosen)
            return replace(meeting, agenda=agenda)

        return self._update_meeting(meeting_id, choose, N_("Change the agenda: {title}"))

    def set_attendees(self, meeting_id: str, participants: Sequence[str]) -> Meeting:
        """Record who attended the meeting (participant ids).

        Raises:
            InvalidInputError: someone who is not a participant of the notebook.
        """
        for participant in participants:
            if self.participant(participant) is None:
                raise InvalidInputError(
                    _("“{id}” is not a participant of this notebook").format(id=participant)
                )
        attendees = tuple(sorted(set(participants)))
        return self._update_meeting(
            meeting_id, lambda m: replace(m, attendees=attendees), N_("Attendees: {title}")
        )

    # --- during the meeting ----------------------------------------------------------------

    def note_minutes(self, meeting_id: str, entry_id: str, text: str) -> Meeting:
        """Write the minutes of the agenda's item on ``entry_id``.

        Raises:
            InvalidInputError: an unknown entry, or one that is not on the agenda.
        """
        entry = self._agenda_entry(entry_id)
        return self._update_item(
            meeting_id, entry, lambda item: replace(item, minutes=text), N_("Minutes: {title}")
        )

    def agree(self, meeting_id: str, entry_id: str, status: str | None) -> Meeting:
        """Record the status the meeting agreed for an entry (None: none), applied on closing.

        Raises:
            InvalidInputError: an unknown status or entry, or an entry not on the agenda.
        """
        if status is not None and status not in STATUSES:
            raise InvalidInputError(
                _("unknown status “{value}”: choose one of {choices}").format(
                    value=status, choices=", ".join(STATUSES)
                )
            )
        entry = self._agenda_entry(entry_id)
        return self._update_item(
            meeting_id, entry, lambda item: replace(item, status=status),
            N_("Status agreed in a meeting: {title}"),
        )  # fmt: skip

    def close_meeting(self, meeting_id: str) -> Meeting:
        """Close the meeting, and apply what it agreed, in one commit: each entry takes the
        status agreed for it, and an open decision on an agenda's entry is closed with the
        item's minutes as its outcome (and the status agreed, if adopted or archived).

        Raises:
            InvalidInputError: the meeting is already closed.
        """
        found = self.meeting(meeting_id)
        _check_open(found)
        with self._action(N_("Close the meeting: {title}"), title=found.title) as at:
            me = self.me
            assert me is not None
            current = self.meeting(found.id)  # as it is now, under the lock
            _check_open(current)
            for item in current.agenda:
                entry = self._index.entries.get(item.entry)
                if entry is not None:
                    self._apply_item(entry, item, at)
            closed = replace(
                current, closed=at, closed_by=me, updated_by=me,
                updated=_later_than(at, current.updated),
            )  # fmt: skip
            self._write("meetings", closed.id, closed.to_doc())
        return closed

    # --- helpers ---------------------------------------------------------------------------

    def _apply_item(self, entry: Entry, item: AgendaItem, at: str) -> None:
        """What a closing meeting makes of one entry of its agenda (nothing: no write)."""
        assert self.me is not None
        changes: dict[str, Any] = {}
        if item.status is not None and item.status != entry.status:
            changes["status"] = item.status
        decision = entry.decision
        if decision is not None and not decision.is_closed:
            outcome = item.status if item.status in DECISION_OUTCOMES else None
            changes["decision"] = replace(
                decision, closed_by=self.me, closed=at, outcome=item.minutes.strip(),
                status=outcome, result=tuple(sorted(self.stances(entry.id).items())),
            )  # fmt: skip
        if not changes:
            return
        at = _later_than(at, entry.updated)
        self._put_entry(replace(entry, **changes, updated=at, updated_by=self.me))
        self._write_review(entry.id, at, read=at)

    def _agenda_entry(self, entry_id: str) -> Entry:
        try:
            return self.entry(entry_id)
        except NotFoundError as exc:
            raise InvalidInputError(str(exc)) from None

    def _update_item(
        self,
        meeting_id: str,
        entry: Entry,
        change: Callable[[AgendaItem], AgendaItem],
        message: str,
    ) -> Meeting:
        def on_item(meeting: Meeting) -> Meeting:
            if meeting.item(entry.id) is None:
                raise InvalidInputError(
                    _(
                        "the entry “{title}” is not on the agenda of this meeting: add it first"
                    ).format(title=entry.title)
                )
            agenda = tuple(change(i) if i.entry == entry.id else i for i in meeting.agenda)
            return replace(meeting, agenda=agenda)

        return self._update_meeting(meeting_id, on_item, message)

    def _update_meeting(
        self, meeting_id: str, change: Callable[[Meeting], Meeting], message: str
    ) -> Meeting:
        """Apply ``change`` to the meeting as it is now, under the lock: one commit.

        Raises:
            InvalidInputError: the meeting is closed.
        """
        found = self.meeting(meeting_id)
        _check_open(found)
        change(found)  # refused before the action starts: a refusal changes nothing
        with self._action(message, title=found.title) as at:
            assert self.me is not None
            current = self.meeting(found.id)  # refreshed: what a sync brought meanwhile stays
            _check_open(current)
            updated = replace(
                change(current), updated_by=self.me, updated=_later_than(at, current.updated)
            )
            self._write("meetings", updated.id, updated.to_doc())
        return updated


def _check_day(day: str) -> None:
    if not is_day(day):
        raise InvalidInputError(_("“{value}” is not a day: write it YYYY-MM-DD").format(value=day))


def _check_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise InvalidInputError(_("this meeting is closed: it can no longer be changed"))
