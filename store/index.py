"""The read model: every read of entries, comments and reviews, derived from the documents."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from store.ids import ShortIds, short_ids
from store.model import Comment, Document, Entry, Participant, Review
from store.search import EntryFilter, SearchIndex, select
from store.storage import collection_paused, model_of

__all__ = ["EntryFilter", "Index", "Tables", "ThreadItem"]

Tables = Mapping[str, Mapping[str, Document]]


@dataclass(frozen=True)
class ThreadItem:
    """A comment in its thread, with its depth (0 for a comment, 1 for a reply...)."""

    comment: Comment
    depth: int


class Index:
    """What the screens ask for at every keystroke, derived from the documents ``documents``
    gives (the storage's tables, never copied). A comment or a reading is the object the
    storage holds it as (``store.storage.records``): the notebook holds it once.

    ``apply`` is the one way it changes, whatever changed the documents: opening the
    notebook (everything), an action (the documents it wrote), a merge (those the sync
    changed).
    """

    def __init__(self, documents: Callable[[], Tables]) -> None:
        self._documents = documents
        self._threads_lock = threading.Lock()
        self._forget()

    def _forget(self) -> None:
        self.entries: dict[str, Entry] = {}
        self._comments: dict[str, Comment] = {}
        self._comments_of: dict[str, list[Comment]] = {}
        self._reviews_of: dict[str, dict[str, Review]] = {}
        self._activity: dict[str, str] = {}
        # Whether the comments and readings (and what derives from them: activity, unread)
        # are still to be derived from the storage, on first use (``_threads``).
        self._threads_pending = False
        self.participants: dict[str, Participant] = {}
        self._search: SearchIndex | None = None
        self._short_entry_ids: ShortIds | None = None
        self._short_comment_ids: ShortIds | None = None
        self._unread: set[str] = set()
        self._unread_for: str | None = None

    def apply(self, changed: Mapping[str, Iterable[str]] | None = None) -> None:
        """Take in the documents of ``changed`` (ids by table; None: every document) as the
        storage now holds them.

        Only what these documents touch is derived again; an id the storage no longer holds
        (its file removed or damaged) leaves the index. The search text of an entry follows
        an edit or a new comment; a comment changed or gone makes it all be built again.

        Opening (``changed`` None) derives the participants and entries alone: comments and
        readings, most of the documents, are derived when first asked for, from the storage
        as it is then; a command that adds or lists entries never asks.
        """
        tables = self._documents()
        if changed is None:
            self._forget()
            self._threads_pending = True
            changed = tables
        if self._threads_pending:
            # The comments and readings of ``changed`` are in the storage, taken in with all
            # the others when first asked for.
            self._apply_participants(tables, changed)
            self._apply_entries(tables["entries"], changed.get("entries", ()), set())
            return
        touched: set[str] = set()  # entries whose thread, activity or unread state may change
        self._apply_participants(tables, changed)
        self._apply_comments(tables["comments"], changed.get("comments", ()), touched)
        self._apply_reviews(tables["reviews"], changed.get("reviews", ()), touched)
        self._apply_entries(tables["entries"], changed.get("entries", ()), touched)
        self._derive(touched)

    def _threads(self) -> None:
        """Derive the comments and readings left for later by opening, if they still are."""
        if not self._threads_pending:
            return
        with self._threads_lock, collection_paused():
            if not self._threads_pending:
                return  # another thread just did
            tables = self._documents()
            touched = set(self.entries)
            self._apply_comments(tables["comments"], tables["comments"], touched)
            self._apply_reviews(tables["reviews"], tables["reviews"], touched)
            self._derive(touched)
            self._threads_pending = False

    def _apply_participants(self, tables: Tables, changed: Mapping[str, Iterable[str]]) -> None:
        participants = tables["participants"]
        for participant_id in changed.get("participants", ()):
            doc = participants.get(participant_id)
            if doc is None:
                self.participants.pop(participant_id, None)
            else:
                self.participants[participant_id] = Participant.from_doc(participant_id, doc)

    def _derive(self, touched: Iterable[str]) -> None:
        """The thread order, activity and unread state of the entries ``touched``."""
        for entry_id in touched:
            thread = self._comments_of.get(entry_id)
            if thread is not None and len(thread) > 1:
                thread.sort(key=_thread_order)
            known = self.entries.get(entry_id)
            if known is not None:
                self._activity[entry_id] = (
                    max(known.updated, thread[-1].created) if thread else known.updated
                )
                self._touch(entry_id)

    def _apply_comments(
        self, documents: Mapping[str, Document], ids: Iterable[str], touched: set[str]
    ) -> None:
        comments, comments_of = self._comments, self._comments_of
        for comment_id in ids:
            old = comments.pop(comment_id, None)
            if old is not None:
                was_in = comments_of[old.entry]
                was_in.remove(old)
                if not was_in:
                    del comments_of[old.entry]
                touched.add(old.entry)
                self._search = None  # its text is inside its entry's: build it all again
            comment: Comment | None = model_of(documents, comment_id, "comments")
            if (old is None) != (comment is None):  # an id came or went: short ids may change
                self._short_comment_ids = None
            if comment is not None:
                comments[comment_id] = comment
                thread = comments_of.get(comment.entry)
                if thread is None:
                    comments_of[comment.entry] = [comment]
                else:
                    thread.append(comment)
                touched.add(comment.entry)
                if self._search is not None:
                    self._search.add_comment(comment.entry, comment.body)

    def _apply_reviews(
        self, documents: Mapping[str, Document], ids: Iterable[str], touched: set[str]
    ) -> None:
        reviews_of = self._reviews_of
        for review_id in ids:
            participant, _slash, entry_id = review_id.partition("/")
            readers = reviews_of.get(entry_id)
            if readers is not None:
                readers.pop(participant, None)
            review: Review | None = model_of(documents, review_id, "reviews")
            if review is not None:
                readers = reviews_of.get(review.entry)
                if readers is None:
                    reviews_of[review.entry] = {review.participant: review}
                else:
                    readers[review.participant] = review
            touched.add(entry_id)

    def _apply_entries(
        self, documents: Mapping[str, Document], ids: Iterable[str], touched: set[str]
    ) -> None:
        for entry_id in ids:
            entry: Entry | None = model_of(documents, entry_id, "entries")
            if entry is None:
                if self.entries.pop(entry_id, None) is not None:
                    self._activity.pop(entry_id, None)
                    self._unread.discard(entry_id)
                    self._short_entry_ids = self._search = None
                continue
            if entry_id not in self.entries:
                self._short_entry_ids = None
            self.entries[entry_id] = entry
            if self._search is not None:
                self._search.set_entry(entry_id, entry.title, entry.body, entry.tags)
            touched.add(entry_id)

    # --- questions -----------------------------------------------------------------------

    def select(self, criteria: EntryFilter, participant: str | None) -> list[Entry]:
        """The entries matching ``criteria`` (unread by ``participant``), oldest first."""
        return select(
            self.entries.values(),
            criteria,
            lambda: self.unread(participant) if participant else set(),
            lambda: self.search,
        )

    def unread(self, participant: str) -> set[str]:
        """The entries (not deleted) with news since ``participant`` last read them.

        Computed once, then kept up to date entry by entry as documents are applied.
        """
        if self._unread_for != participant:
            self._unread = {i for i in self.entries if self._is_unread(i, participant)}
            self._unread_for = participant
        return self._unread

    def _is_unread(self, entry_id: str, participant: str) -> bool:
        if self.entries[entry_id].deleted:
            return False
        review = self.reviews_of.get(entry_id, {}).get(participant)
        if review is None or review.read is None:
            return True
        return review.read < self.activity.get(entry_id, "")

    def _touch(self, entry_id: str) -> None:
        if self._unread_for is None or entry_id not in self.entries:
            return
        if self._is_unread(entry_id, self._unread_for):
            self._unread.add(entry_id)
        else:
            self._unread.discard(entry_id)

    def thread(self, entry_id: str) -> list[ThreadItem]:
        """An entry's comments in reading order: each followed by its replies, indented."""
        comments = self.comments_of.get(entry_id, [])
        known = {c.id for c in comments}
        children: dict[str | None, list[Comment]] = {}
        for comment in comments:
            # A reply whose parent never arrived is shown as a top-level comment, not lost.
            parent = comment.parent if comment.parent in known else None
            children.setdefault(parent, []).append(comment)
        items: list[ThreadItem] = []
        stack = [(c, 0) for c in reversed(children.get(None, []))]
        while stack:
            comment, depth = stack.pop()
            items.append(ThreadItem(comment, depth))
            stack.extend((c, depth + 1) for c in reversed(children.get(comment.id, [])))
        return items

    @property
    def comments(self) -> dict[str, Comment]:
        """Every comment, by id."""
        self._threads()
        return self._comments

    @property
    def comments_of(self) -> dict[str, list[Comment]]:
        """Each entry's comments, oldest first."""
        self._threads()
        return self._comments_of

    @property
    def reviews_of(self) -> dict[str, dict[str, Review]]:
        """Each entry's readings, by participant."""
        self._threads()
        return self._reviews_of

    @property
    def activity(self) -> dict[str, str]:
        """When something last happened on each entry: its edit or its latest comment."""
        self._threads()
        return self._activity

    @property
    def search_built(self) -> SearchIndex | None:
        """The search's texts if a query has built them already (building them costs a
        second or more at 10,000 entries), else None."""
        return self._search

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            index = SearchIndex()
            for entry in self.entries.values():
                index.set_entry(entry.id, entry.title, entry.body, entry.tags)
            for entry_id, thread in self.comments_of.items():
                index.add_comments(entry_id, (comment.body for comment in thread))
            self._search = index
        return self._search

    @property
    def short_entry_ids(self) -> ShortIds:
        if self._short_entry_ids is None:
            self._short_entry_ids = short_ids(self.entries)
        return self._short_entry_ids

    @property
    def short_comment_ids(self) -> ShortIds:
        if self._short_comment_ids is None:
            self._short_comment_ids = short_ids(self.comments)
        return self._short_comment_ids


def _thread_order(comment: Comment) -> tuple[str, str]:
    return comment.created, comment.id
