"""The participant's actions on entries and on their reviews: each one checked, one commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from store.adding import NEW_ENTRY, clean_tags, new_entry
from store.direct_actions import MARK_UNREAD, READ, STANCE_ON
from store.display import field_label
from store.errors import InvalidInputError, NotFoundError
from store.i18n import N_, _
from store.ids import new_ulid
from store.labels import stance_label
from store.merge import TEXT_FIELDS, combine_texts, merge_entry
from store.model import (
    STANCES,
    Conflict,
    Entry,
    Review,
    format_time,
    is_field_value,
    parse_time,
)
from store.record import replace
from store.writing import NotebookWriting

_KEEP: Any = object()  # a review field the write leaves as it was


class NotebookActions(NotebookWriting):
    """The changes a participant makes to entries and to their own reviews of them (each one
    action of ``NotebookWriting``: an action that fails leaves the read model as it was)."""

    def add_entry(
        self,
        kind: str,
        title: str,
        body: str = "",
        *,
        objectives: Iterable[int] = (),
        tags: Iterable[str] = (),
        status: str = "open",
    ) -> Entry:
        """Write a new entry; the author has read it.

        Raises:
            InvalidInputError: unknown kind, status or objective, empty title, or an entry
                over 1 MB once saved.
        """
        objectives, tags = tuple(objectives), clean_tags(tags)
        self._check_entry_fields(kind=kind, title=title, status=status, objectives=objectives)
        with self._action(NEW_ENTRY, title=title.strip()) as at:
            assert self.me is not None
            entry, review = new_entry(
                new_ulid(), self.me, at, kind, title, body, objectives, tags, status
            )
            self._put_entry(entry)
            # A new entry has no reading yet: written as is, without deriving everyone's.
            self._write("reviews", review.key, review.to_doc())
        return entry

    def edit_entry(
        self,
        entry_id: str,
        *,
        base: Entry | None = None,
        kind: str | None = None,
        title: str | None = None,
        body: str | None = None,
        status: str | None = None,
        objectives: Iterable[int] | None = None,
        tags: Iterable[str] | None = None,
    ) -> Entry:
        """Change the given fields of an entry; fields left at None keep their value.

        An edit is a merge: the participant's changes are what the given fields change in
        ``base``, the entry as they read it when they started (the editor's opening, the
        command's read), and they are merged onto the entry as it is now with the rules of a
        sync. What someone else saved meanwhile stays; where both changed the same lines or
        the same field, this save is the latest and its value is kept, the other one waits
        among the entry's conflicts. Without ``base``, the entry as this call first reads it.

        Args:
            entry_id: the entry, by its full or short id.
            base: the version of the entry the participant started from.

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: a value is not acceptable.
        """
        objectives = tuple(objectives) if objectives is not None else None
        self._check_entry_fields(kind=kind, title=title, status=status, objectives=objectives)
        current = self.entry(entry_id)
        start = base if base is not None else current
        if start.id != current.id:
            raise ValueError(f"the base of an edit of {current.id} is {start.id}")
        changes: dict[str, Any] = {}
        if kind is not None:
            changes["kind"] = kind
        if title is not None:
            changes["title"] = title.strip()
        if body is not None:
            changes["body"] = body
        if status is not None:
            changes["status"] = status
        if objectives is not None:
            changes["objectives"] = tuple(sorted(set(objectives)))
        if tags is not None:
            changes["tags"] = clean_tags(tags)
        changes = {k: v for k, v in changes.items() if getattr(start, k) != v}
        if not changes:
            return current
        return self._update_entry(start, changes, N_("Edit: {title}"))

    def delete_entry(self, entry_id: str) -> Entry:
        """Mark an entry deleted (a tombstone: the file stays, and a merge can bring it back).

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: the entry is already deleted.
        """
        current = self.entry(entry_id)
        if current.deleted:
            raise InvalidInputError(_("this entry is already deleted"))
        return self._update_entry(current, {"deleted": True}, N_("Delete: {title}"))

    def resolve_conflict(
        self, entry_id: str, field: str, keep: str, *, text: str | None = None
    ) -> Entry:
        """Settle a merge conflict on ``field``: keep the ``current`` value, the ``other`` one,
        or, for a text field, the ``combined`` ``text`` a participant made of both.

        The commit says which (a combination is told apart from a pick), and the version put
        aside stays readable in the entry's history: the commit before holds its record.

        Raises:
            NotFoundError: the entry has no conflict on that field.
            InvalidInputError: the other value is not one the field can have; a combination
                without its text or on a field that is not text.
        """
        if keep not in ("current", "other", "combined"):
            raise InvalidInputError(_("say which value to keep: current, other or combined"))
        if keep == "combined" and field not in TEXT_FIELDS:
            raise InvalidInputError(
                _("only a text can be combined: keep the current or the other value")
            )
        if (keep == "combined") != isinstance(text, str):
            raise InvalidInputError(_("a combined text is given with keep=combined, and only then"))
        current = self.entry(entry_id)
        pending = _conflicts_on(current, field)
        changes: dict[str, Any] = {
            "conflicts": tuple(c for c in current.conflicts if c.field != field)
        }
        message = N_("Resolve a conflict: {title}")
        if keep == "combined":
            changes[field] = text
            message = N_("Resolve a conflict by combining both versions: {title}")
        elif keep == "other":
            value = pending[-1].value
            # The record was written by a peer: loading checks it, and so does this, since its
            # value becomes the field's own.
            if not is_field_value(field, value):
                raise InvalidInputError(
                    _(
                        "the other value of “{field}” cannot be kept: it is not a value this "
                        "field can have; keep the current one"
                    ).format(field=field)
                )
            if field == "title":
                self._check_entry_fields(title=value)  # as long as a title may be
            changes[field] = tuple(value) if isinstance(value, list) else value
        return self._update_entry(current, changes, message)

    def combined_text(self, entry_id: str, field: str) -> str:
        """What a combination of the conflict on the text ``field`` starts from: the line
        merge of the current version and the other one, against their base when it is known.

        Raises:
            NotFoundError: the entry has no conflict on that field.
            InvalidInputError: the field, or the other value, is not a text.
        """
        current = self.entry(entry_id)
        pending = _conflicts_on(current, field)
        other, base = pending[-1].value, pending[-1].base
        if field not in TEXT_FIELDS or not isinstance(other, str):
            raise InvalidInputError(
                _("only a text can be combined: keep the current or the other value")
            )
        return combine_texts(
            base if isinstance(base, str) else None, getattr(current, field), other
        )

    def _update_entry(self, base: Entry, changes: dict[str, Any], message: str) -> Entry:
        """Apply ``changes`` to ``base`` and merge that onto the entry as it is now: one commit.

        The merge is sync's own (``merge_entry``), so an edit keeps what arrived since ``base``
        exactly as a sync would, and records a clash the same way.
        """
        with self._action(message, title=self.entry(base.id).title) as at:
            assert self.me is not None
            # Read again under the lock: refresh() may have brought a newer version.
            current = self._index.entries[base.id]
            # The person saving now is the latest writer: their version must be the later one
            # for the merge's rule (later ``updated`` wins), even if another clock ran ahead.
            at = _later_than(at, current.updated)
            ours = replace(base, **changes, updated=at, updated_by=self.me)
            merged, _new = merge_entry(base.to_doc(), ours.to_doc(), current.to_doc())
            # Two texts merged may outgrow what each one was: the storage refuses a document
            # over the limit once saved, conflicts included, before anything is written.
            entry = Entry.from_doc(base.id, merged)
            self._put_entry(entry)
            self._write_review(entry.id, at, read=at)
        return entry

    def mark_read(self, entry_id: str) -> Review:
        """Record that the participant has read the entry as it is now."""
        entry = self.entry(entry_id)
        with self._action(READ, title=entry.title) as at:
            return self._write_review(entry.id, at, read=at)

    def mark_unread(self, entry_id: str) -> Review:
        """Put the entry back among the participant's unread ones."""
        entry = self.entry(entry_id)
        with self._action(MARK_UNREAD, title=entry.title) as at:
            return self._write_review(entry.id, at, read=None)

    def set_stance(self, entry_id: str, stance: str | None) -> Review:
        """Take a stance on an entry (agree, question, disagree), or withdraw it with None.

        Raises:
            InvalidInputError: an unknown stance.
        """
        if stance is not None and stance not in STANCES:
            raise InvalidInputError(
                _("unknown stance “{value}”: choose one of {choices}").format(
                    value=stance, choices=", ".join(map(stance_label, STANCES))
                )
            )
        entry = self.entry(entry_id)
        with self._action(STANCE_ON, title=entry.title) as at:
            return self._write_review(entry.id, at, stance=stance, read=at)

    def _write_review(
        self,
        entry_id: str,
        at: str,
        *,
        read: str | None | Any = _KEEP,
        stance: str | None | Any = _KEEP,
    ) -> Review:
        assert self.me is not None
        previous = self._index.reviews_of.get(entry_id, {}).get(self.me)
        review = Review(
            participant=self.me,
            entry=entry_id,
            read=(previous.read if previous else None) if read is _KEEP else read,
            stance=(previous.stance if previous else None) if stance is _KEEP else stance,
            updated=at,
        )
        if previous is not None and (previous.read, previous.stance) == (
            review.read,
            review.stance,
        ):
            return previous
        self._write("reviews", review.key, review.to_doc())
        return review

    def _put_entry(self, entry: Entry) -> None:
        self._write("entries", entry.id, entry.to_doc())


def _later_than(at: str, previous: str) -> str:
    """``at``, or one millisecond after ``previous`` if ``at`` is not later (a clock behind)."""
    if at > previous:
        return at
    return format_time(parse_time(previous) + timedelta(milliseconds=1))


def _conflicts_on(entry: Entry, field: str) -> list[Conflict]:
    """The conflicts waiting on ``field``, the latest last; at least one."""
    pending = [c for c in entry.conflicts if c.field == field]
    if pending:
        return pending
    if not entry.conflicts:
        raise NotFoundError(_("this entry has no conflict to resolve"))
    waiting = sorted({field_label(c.field) for c in entry.conflicts})
    raise NotFoundError(
        _("the entry has no conflict on “{field}”; it has one on: {fields}").format(
            field=field_label(field), fields=", ".join(waiting)
        )
    )
