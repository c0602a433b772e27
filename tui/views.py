"""What the review screen's widgets show, read from the notebook before they draw it.

The widgets are handed these plain values (attributes down) and never query the notebook while
drawing; the names in them are already the names people see (``store.display``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from store.display import participant_name, participant_names
from store.model import STANCES, Entry
from store.notebook import Notebook


@dataclass(frozen=True)
class EntryRow:
    """One line of the list: the entry, whether it is unread, its comments and author, when it
    last changed or was commented on, and how many took each stance."""

    entry: Entry
    unread: bool
    comments: int
    author: str
    activity: str = ""  # a stored time
    stances: tuple[tuple[str, int], ...] = ()  # (stance, how many), the stances taken only


@dataclass(frozen=True)
class CommentLine:
    """A comment as the entry view shows it, in its thread."""

    depth: int
    author: str
    created: str
    short_id: str
    body: str
    withdrawn: bool = False  # by its author: « commentaire retiré », its replies stay


@dataclass(frozen=True)
class EntryDetails:
    """Everything the entry view draws of one entry; two equal details draw the same lines."""

    entry: Entry
    short_id: str
    unread: bool
    author: str
    updated_by: str
    stances: tuple[tuple[str, str], ...]  # (name, stance), by name
    my_stance: str | None
    readers: tuple[str, ...]  # names, sorted
    thread: tuple[CommentLine, ...]
    read_before: bool = False  # read by the participant, but changed or commented on since


def entry_rows(notebook: Notebook, entries: list[Entry]) -> list[EntryRow]:
    """The list's lines for ``entries``."""
    names = participant_names(notebook.participants())
    return [entry_row(notebook, entry, names) for entry in entries]


def entry_row(notebook: Notebook, entry: Entry, names: dict[str, str] | None = None) -> EntryRow:
    """The list's line for ``entry`` (``names`` from ``participant_names``, read if not given)."""
    if names is None:
        names = participant_names(notebook.participants())
    comments = notebook.comments(entry.id)
    taken = Counter(notebook.stances(entry.id).values())
    return EntryRow(
        entry=entry,
        unread=notebook.is_unread(entry.id),
        comments=len(comments),
        author=participant_name(names, entry.author),
        activity=max([entry.updated, *(comment.created for comment in comments)]),
        stances=tuple((stance, taken[stance]) for stance in STANCES if taken[stance]),
    )


def entry_details(notebook: Notebook, entry_id: str) -> EntryDetails:
    """What the entry view shows of ``entry_id``."""
    entry = notebook.entry(entry_id)
    names = participant_names(notebook.participants())
    stances = notebook.stances(entry.id)
    readers = notebook.readers(entry.id)
    unread = notebook.is_unread(entry.id)
    return EntryDetails(
        entry=entry,
        short_id=notebook.short_id(entry.id),
        unread=unread,
        author=participant_name(names, entry.author),
        updated_by=participant_name(names, entry.updated_by),
        stances=tuple(
            sorted((participant_name(names, who), stance) for who, stance in stances.items())
        ),
        my_stance=stances.get(notebook.me or ""),
        readers=tuple(sorted(participant_name(names, who) for who in readers)),
        thread=tuple(
            CommentLine(
                depth=item.depth,
                author=participant_name(names, item.comment.author),
                created=item.comment.created,
                short_id=notebook.short_id(item.comment.id),
                body=item.comment.body,
                withdrawn=item.comment.deleted,
            )
            for item in notebook.thread(entry.id)
        ),
        read_before=unread and notebook.me in readers,
    )
