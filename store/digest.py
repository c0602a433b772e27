"""« Depuis ma dernière visite »: what is new for the participant, item by item.

Nothing new is stored: an item is unread when it is later than the participant's ``read``
time of its entry (their review). Reading an entry moves that time, so it marks read every
item of the entry at once; the entry's text already read is not an item again, but a comment
written since is. Stance changes and conflicts have no time of their own in the documents: a
stance counts from its review's last change, a conflict from its entry's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from store.errors import InvalidInputError
from store.i18n import N_, _
from store.labels import stance_label
from store.mentions import handles, mentioned
from store.model import Comment, Entry, Review
from store.schema import is_day
from store.sections import NotebookSections
from store.storage import collection_paused
from store.text import safe_line

# How many days before its closing day an open decision is a reminder.
CLOSING_SOON_DAYS = 3

# The kinds of item, and how each is said.
ITEM_LABELS = {
    "entry": N_("new entry"),
    "comment": N_("new comment"),
    "reply": N_("reply to you"),
    "mention": N_("mentions you"),
    "stance": N_("stance on your entry"),
    "closing": N_("decision closing soon"),
    "closed": N_("decision closed"),
    "conflict": N_("conflict on your text"),
}


@dataclass(frozen=True)
class DigestItem:
    """One thing new for the participant: what happened, where, by whom, when.

    ``text`` is the entry's title (a new entry, a conflict's field), the comment itself, the
    stance taken, or the decision's question or outcome.
    """

    kind: str  # one of ITEM_LABELS
    entry: str
    comment: str | None
    author: str  # a participant id; empty for a decision closed by its deadline
    time: str
    text: str
    unread: bool = True


def describe(item: DigestItem, author_name: str) -> str:
    """An item in words, on one line of safe text: what, by whom (``author_name``), its text.

    A decision closed by its deadline has no author: the deadline is named instead.
    """
    text = stance_label(item.text) if item.kind == "stance" else item.text
    who = author_name if item.author else _("the deadline")
    said = _("{who}: {text}").format(who=safe_line(who), text=safe_line(text))
    return f"{_(ITEM_LABELS[item.kind])} · {said}"


class NotebookDigest(NotebookSections):
    """What is new for the participant, computed from the documents and their readings."""

    def digest(self, since: str | None = None) -> list[DigestItem]:
        """What the participant has not seen yet, grouped by entry, newest first.

        Args:
            since: a day (``YYYY-MM-DD``): instead of what is unread, everything from that day
                on, read or not (each item says which).

        Raises:
            InvalidInputError: ``since`` is not a day.
        """
        if since is not None and not is_day(since):
            raise InvalidInputError(
                _("“{value}” is not a day: write it YYYY-MM-DD").format(value=since)
            )
        if self.me is None:
            return []
        # The lock: a sync's apply() must not change the read model midway. The collector is
        # paused because the items made here are acyclic, and its passes over the notebook's
        # heap would cost more than the digest itself.
        with self._lock, collection_paused():
            gathering = _Gathering(self.me, since, self._today(), handles(self.participants()))
            index = self._index
            for entry in index.entries.values():
                if entry.deleted:
                    continue
                readers = index.reviews_of.get(entry.id, {})
                gathering.entry(entry, readers)
                read = gathering.read
                if since is None and read is not None and read >= index.activity[entry.id]:
                    continue  # read since its latest comment: none of them is news
                gathering.comments(entry, index.comments_of.get(entry.id, ()), index.comments)
        return gathering.grouped()

    def digest_count(self) -> int:
        """How many items are waiting for the participant."""
        return len(self.digest())


class _Gathering:
    """The items of one digest, gathered entry by entry."""

    def __init__(self, me: str, since: str | None, today: str, known: dict[str, str]) -> None:
        self.me, self.since, self.known = me, since, known
        soon = date.fromisoformat(today) + timedelta(days=CLOSING_SOON_DAYS)
        self.closing_soon = soon.isoformat()
        self.read: str | None = None  # the participant's read time of the current entry
        self.by_entry: dict[str, list[DigestItem]] = {}

    def _add(self, kind: str, entry: str, comment: str | None, author: str, time: str,
             text: str, unread: bool) -> None:  # fmt: skip
        # Without a day, what is unread; with one, everything from that day on.
        if unread if self.since is None else time >= self.since:
            item = DigestItem(kind, entry, comment, author, time, text, unread)
            self.by_entry.setdefault(entry, []).append(item)

    def _unread(self, time: str) -> bool:
        return self.read is None or self.read < time

    def _mentions_me(self, text: str) -> bool:
        return "@" in text and self.me in mentioned(text, self.known)

    def entry(self, entry: Entry, readers: dict[str, Review]) -> None:
        """The items of the entry itself: new, mentioning me, stances, decision, conflicts."""
        me = self.me
        mine = readers.get(me)
        self.read = mine.read if mine is not None else None
        mentions_me = self._mentions_me(entry.body)
        if entry.author != me:
            kind = "mention" if mentions_me else "entry"
            self._add(kind, entry.id, None, entry.author, entry.created, entry.title,
                      self.read is None)  # fmt: skip
        elif mentions_me and entry.updated_by != me:
            self._add("mention", entry.id, None, entry.updated_by, entry.updated, entry.title,
                      self._unread(entry.updated))  # fmt: skip
        if entry.author == me:
            for participant, review in readers.items():
                if participant != me and review.stance:
                    self._add("stance", entry.id, None, participant, review.updated,
                              review.stance, self._unread(review.updated))  # fmt: skip
        self._decision(entry, mine)
        for conflict in entry.conflicts:
            if me not in (conflict.author, entry.author):
                continue
            time = max(entry.updated, conflict.updated)
            author = conflict.author if conflict.author != me else entry.updated_by
            self._add("conflict", entry.id, None, author, time, conflict.field,
                      self._unread(time))  # fmt: skip

    def _decision(self, entry: Entry, mine: Review | None) -> None:
        decision = entry.decision
        if decision is None:
            return
        if decision.closed is not None:
            if decision.closed_by != self.me:
                self._add("closed", entry.id, None, decision.closed_by or "", decision.closed,
                          decision.outcome or decision.question or entry.title,
                          self._unread(decision.closed))  # fmt: skip
        elif decision.closes <= self.closing_soon and (mine is None or not mine.stance):
            # A reminder from the day it comes within reach, for whoever has not answered.
            start = date.fromisoformat(decision.closes) - timedelta(days=CLOSING_SOON_DAYS)
            time = max(decision.opened, f"{start.isoformat()}T00:00:00.000Z")
            self._add("closing", entry.id, None, decision.opened_by, time,
                      decision.question or entry.title, self._unread(time))  # fmt: skip

    def comments(self, entry: Entry, thread: Sequence[Comment], by_id: dict[str, Comment]) -> None:
        """The comments of others: on an entry I had read, replying to me, or mentioning me."""
        me, read = self.me, self.read
        for comment in thread:
            if comment.author == me:
                continue
            unread = read is None or read < comment.created
            if not unread and self.since is None:
                continue  # the common case, decided before any text is looked at
            body = comment.body
            if "@" in body and me in mentioned(body, self.known):
                kind = "mention"
            elif comment.parent is not None and _author(by_id, comment.parent) == me:
                kind = "reply"
            elif read is not None:
                kind = "comment"
            else:
                continue  # an entry never read is one item, its comments with it
            self._add(kind, entry.id, comment.id, comment.author, comment.created,
                      comment.body, unread)  # fmt: skip

    def grouped(self) -> list[DigestItem]:
        """Every item, by entry (the entry with the newest item first), newest first."""
        groups = [
            sorted(items, key=lambda item: (item.time, item.comment or ""), reverse=True)
            for items in self.by_entry.values()
        ]
        groups.sort(key=lambda items: (items[0].time, items[0].entry), reverse=True)
        return [item for items in groups for item in items]


def _author(by_id: dict[str, Comment], comment_id: str) -> str | None:
    parent = by_id.get(comment_id)
    return parent.author if parent is not None else None
