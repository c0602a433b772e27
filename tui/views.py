"""What the review screen's widgets show, read from the notebook before they draw it.

The widgets are handed these plain values (attributes down) and never query the notebook while
drawing; the names in them are already the names people see (``store.display``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, overload

from store.conflict import Conflict
from store.display import participant_name, participant_names
from store.model import STANCES, Entry
from store.notebook import Notebook

if TYPE_CHECKING:
    from store.listing import Frame

T = TypeVar("T")
# (stance, how many) for the stances taken on an entry, in the order of STANCES.
StanceCounts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class EntryRow:
    """One line of the list: the entry, whether it is unread, its comments and author, when it
    last changed or was commented on, and how many took each stance."""

    entry: Entry
    unread: bool
    comments: int
    author: str
    activity: str = ""  # a stored time
    stances: StanceCounts = ()


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


class BuiltWhenAsked(Sequence[T]):
    """A sequence whose items are each made the first time they are asked for (``_build``),
    then kept."""

    _built: dict[int, T]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        item = self._built.get(index)
        if item is None:
            item = self._built[index] = self._build(index)
        return item

    def _build(self, index: int) -> T:
        """The item at ``index`` (IndexError past the end, as a list)."""
        raise NotImplementedError


class EntryRows(BuiltWhenAsked[EntryRow]):
    """The list's lines for ``entries``, each read from the notebook when first asked for.

    The list draws a screen of lines, not the 10,000 of a large notebook (half a second to
    build them all before the first frame); filters and sorts work on the entries. Without a
    notebook (the listing on disk, while the notebook opens), the lines show the entries
    alone, the ``unread`` ones marked.
    """

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        notebook: Notebook | None = None,
        *,
        readings: bool = True,
        unread: Collection[str] = frozenset(),
    ) -> None:
        # The listing's entries are built when shown: the list of a notebook's, copied.
        self.entries = entries if isinstance(entries, ListedEntries) else list(entries)
        # Without them, a line shows the entry alone: no comment, no stance, read unless in
        # ``unread``.
        self.readings = readings and notebook is not None
        self._positions: dict[str, int] | None = None
        self._notebook = notebook
        self._unread = unread
        self._names: dict[str, str] | None = None
        self._built: dict[int, EntryRow] = {}
        self._measures: RowMeasures | None = None

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def positions(self) -> dict[str, int]:
        """Each entry's position, by id."""
        if self._positions is None:
            entries = self.entries
            ids = (
                entries.frame.ids if isinstance(entries, ListedEntries) else (e.id for e in entries)
            )
            self._positions = {entry_id: index for index, entry_id in enumerate(ids)}
        return self._positions

    def id_at(self, index: int) -> str:
        """The id of the entry at ``index``, without building the listing's entry."""
        if isinstance(self.entries, ListedEntries):
            return self.entries.frame.ids[index]
        return self.entries[index].id

    def _build(self, index: int) -> EntryRow:
        entry = self.entries[index]
        if self.readings:
            assert self._notebook is not None  # readings come with their notebook
            return entry_row(self._notebook, entry, self._names_of())
        return entry_row_alone(entry, self._names_of(), unread=entry.id in self._unread)

    def _names_of(self) -> dict[str, str]:
        if self._names is None:
            # Without the notebook, the entries' authors are their names already.
            notebook = self._notebook
            self._names = participant_names(notebook.participants()) if notebook else {}
        return self._names

    def replace(self, row: EntryRow) -> int | None:
        """Put ``row`` in place of its entry's line; its position, or None if not listed."""
        position = self.positions.get(row.entry.id)
        if position is not None:
            assert isinstance(self.entries, list)  # the listing's lines never change
            self.entries[position] = row.entry
            self._built[position] = row
            self._measures = None
        return position

    def is_unread(self, index: int) -> bool:
        """Whether the entry at ``index`` is unread, without building its line."""
        row = self._built.get(index)
        if row is not None and self.readings:
            return row.unread
        entry_id = self.id_at(index)
        if self._notebook is None:
            return entry_id in self._unread
        return self._notebook.is_unread(entry_id)

    def measures(self, stance_width: Callable[[StanceCounts], int], widest: int) -> RowMeasures:
        """What the columns' widths depend on, over every line (kept until a line changes).

        The stances are counted (the readings of every entry: most of the work) only until
        a line's ``stance_width`` reaches ``widest``, the column's limit.
        """
        if self._measures is None and isinstance(self.entries, ListedEntries):
            self._measures = self.entries.measures()
        if self._measures is None:
            self._measures = self._measure(stance_width, widest)
        return self._measures

    def _measure(self, stance_width: Callable[[StanceCounts], int], widest: int) -> RowMeasures:
        titles, objectives, comments, stances = 0, 0, 0, 0
        kinds: set[str] = set()
        statuses: set[str] = set()
        authors: set[str] = set()
        conflicts = False
        notebook = self._notebook
        for index, entry in enumerate(self.entries):
            titles = max(titles, len(entry.title))
            objectives = max(objectives, len(entry.objectives))
            kinds.add(entry.kind)
            authors.add(entry.author)
            if entry.conflicts:
                conflicts = True
            else:
                statuses.add(entry.status)
            row = self._built.get(index)
            if row is not None:
                comments = max(comments, row.comments)
                if stances < widest:
                    stances = max(stances, stance_width(row.stances))
            elif notebook is not None and self.readings:
                comments = max(comments, notebook.comment_count(entry.id))
                if stances < widest:
                    stances = max(stances, stance_width(stance_counts(notebook, entry.id)))
        names = self._names_of() if notebook is not None else {}
        return RowMeasures(
            title=titles,
            kinds=frozenset(kinds),
            stances=stances,
            authors=frozenset(participant_name(names, author) for author in authors),
            objectives=objectives,
            statuses=frozenset(statuses),
            conflicts=conflicts,
            comments=comments,
        )


@dataclass(frozen=True)
class RowMeasures:
    """The longest title, most objectives and comments of the lines, and the distinct kinds,
    stance counts, author names and statuses (a conflict shows instead of the status)."""

    title: int
    kinds: frozenset[str]
    stances: int  # the widest stance counts, up to the column's limit
    authors: frozenset[str]
    objectives: int
    statuses: frozenset[str]
    conflicts: bool
    comments: int


def entry_rows(notebook: Notebook, entries: Sequence[Entry], *, readings: bool = True) -> EntryRows:
    """The list's lines for ``entries``, each built when first shown; with ``readings``
    False, without their comments and readings (see ``entry_row_alone``)."""
    return EntryRows(entries, notebook, readings=readings)


# What marks an entry of the listing as holding conflicts: the listing tells whether it has
# some, not what they are; the list shows the mark alone.
LISTED_CONFLICTS = (Conflict(field="", value=None, author="", updated="", base=None),)


class ListedEntries(BuiltWhenAsked[Entry]):
    """The entries of the listing's ``frame``, each built when first asked for: the list
    draws a screen of them, not the 30,000 of a large notebook.

    An entry holds what the listing tells of it (kind, status, title, author, objectives;
    no text, no decision, no time: the activity column stays blank until the notebook is
    open).
    """

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self._built: dict[int, Entry] = {}

    def __len__(self) -> int:
        return len(self.frame.ids)

    def _build(self, index: int) -> Entry:
        frame = self.frame
        entry_id = frame.ids[index]
        return Entry(
            id=entry_id,
            kind=frame.kinds[index],
            title=frame.titles[index],
            body="",
            objectives=frame.objectives[index],
            tags=(),
            status=frame.statuses[index],
            author=frame.authors[index],
            updated_by="",
            created="",
            updated="",
            conflicts=LISTED_CONFLICTS if entry_id in frame.conflicts else (),
        )

    def measures(self) -> RowMeasures:
        """``EntryRows.measures`` of these entries, from the frame's columns: no comment, no
        stance."""
        frame = self.frame
        return RowMeasures(
            title=max(map(len, frame.titles), default=0),
            kinds=frozenset(frame.kinds),
            stances=0,
            authors=frozenset(participant_name({}, author) for author in set(frame.authors)),
            objectives=max(map(len, frame.objectives), default=0),
            statuses=frozenset(
                status
                for entry_id, status in zip(frame.ids, frame.statuses, strict=True)
                if entry_id not in frame.conflicts
            ),
            conflicts=bool(frame.conflicts),
            comments=0,
        )


def listed_rows(frame: Frame) -> EntryRows:
    """The list's lines for the entries the review screen lists first (all but the deleted),
    read from the listing on disk before the notebook is open, the unread ones marked."""
    return EntryRows(ListedEntries(frame), readings=False, unread=frame.unread)


def stance_counts(notebook: Notebook, entry_id: str) -> StanceCounts:
    """How many took each stance on the entry, the stances taken only, in their order."""
    taken = Counter(notebook.stances(entry_id).values())
    return tuple((stance, taken[stance]) for stance in STANCES if taken[stance])


def entry_row_alone(entry: Entry, names: dict[str, str], *, unread: bool = False) -> EntryRow:
    """The list's line for ``entry`` before the comments and readings are derived (a second
    at 10,000 entries, after the first frame): no comment, no stance, read unless ``unread``."""
    return EntryRow(
        entry=entry,
        unread=unread,
        comments=0,
        author=participant_name(names, entry.author),
        activity=entry.updated,
    )


def entry_row(notebook: Notebook, entry: Entry, names: dict[str, str] | None = None) -> EntryRow:
    """The list's line for ``entry`` (``names`` from ``participant_names``, read if not given)."""
    if names is None:
        names = participant_names(notebook.participants())
    comments = notebook.comments(entry.id)
    return EntryRow(
        entry=entry,
        unread=notebook.is_unread(entry.id),
        comments=len(comments),
        author=participant_name(names, entry.author),
        activity=max([entry.updated, *(comment.created for comment in comments)]),
        stances=stance_counts(notebook, entry.id),
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
