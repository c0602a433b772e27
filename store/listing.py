"""The listing on disk: what ``carnet list`` prints and searches, read without opening the notebook.

Opening a notebook loads every document (entries, comments, readings) to build its read model;
``carnet list`` and ``carnet list --search`` print a line per entry. The listing keeps exactly
that under ``.git/carnet/`` beside the load cache: for every entry the fields the line shows,
its folded search text (the in-memory search's own, ``store.search``), and the entries unread
by the participant of this clone. The command line reads this one file and runs one ``git
status``; the notebook's code is not even imported.

The review TUI draws its first frame from the listing too, while the notebook opens: for it the
listing also holds that frame's lines (``Frame``), the entries the review screen lists first in
its order, column by column (a few tuples to unmarshal, not an object per entry), read without
the rows and search texts of the command line.

It is trusted only when nothing it was made from can have changed, checked the way the load
cache is: HEAD is the commit it was made at, ``git status`` finds none of the files it is made
of (entries, comments, participants, this participant's readings, ``carnet.json``) differing
from it, this clone's settings file is the one it was made with, and its checksums and the
code that wrote it match. Anything else (a commit, a sync,
a hand edit, a truncated file) and it is not used: the command opens the notebook and writes
the listing again from the read model. Like everything under ``.git/``, it is trusted not to
be forged on purpose: the checksum guards against accidents.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from store import cache
from store.errors import CarnetError
from store.listing_check import ListingCheck, taken
from store.listing_file import (
    FORMAT,
    FRAME,
    META,
    ROWS,
    TEXTS,
    code_fingerprint,
    file_bytes,
    read_parts,
)
from store.search import EntryFilter, SearchIndex, select

__all__ = [
    "EntryFilter",
    "Frame",
    "Listing",
    "Row",
    "listing_path",
    "load",
    "save",
    "start_frame",
]

LISTING_FILE = cache.LISTING_FILE


class Row(NamedTuple):
    """One entry as ``carnet list`` shows it."""

    id: str
    short_id: str
    kind: str
    objectives: tuple[int, ...]
    status: str
    title: str
    author_name: str
    created: str
    tags: tuple[str, ...]
    deleted: bool
    conflicts: bool


class Listing(NamedTuple):
    """Every entry's line and search text, as the notebook was at ``head``."""

    head: str
    settings_key: tuple[int, int]
    """The size and modification time (ns) of this clone's settings file; (0, 0) if none."""
    language: str
    """The interface language the notebook's settings give."""
    objectives: tuple[int, ...]
    kinds: tuple[str, ...]
    statuses: tuple[str, ...]
    rows: dict[str, Row]
    search: SearchIndex | None
    """The entries' folded text; None when loaded without it (``load``)."""
    unread: frozenset[str]
    """The entries unread by this clone's participant (none when unknown)."""
    me: str | None = None
    """That participant."""

    def accepts(self, criteria: EntryFilter) -> bool:
        """Whether the listing can answer ``criteria``: an unknown kind, status or objective
        is refused by the notebook itself, in its words; words need the search texts."""
        return (
            (criteria.kind is None or criteria.kind in self.kinds)
            and (criteria.status is None or criteria.status in self.statuses)
            and (criteria.objective is None or criteria.objective in self.objectives)
            and (self.search is not None or not criteria.search.strip())
        )

    def select(self, criteria: EntryFilter) -> list[Row]:
        """The rows of the entries matching ``criteria``, oldest first (``Index.select``'s
        order and answers)."""
        return select(self.rows.values(), criteria, lambda: self.unread, self._search)

    def _search(self) -> SearchIndex:
        if self.search is None:
            raise ValueError("this listing was loaded without its search texts")
        return self.search


class Frame(NamedTuple):
    """The review screen's first list, as the listing holds it: the entries it lists first
    (all but the deleted, oldest first: ``Listing.select`` without criteria), one tuple per
    field, the entry at a position being that position in each."""

    head: str
    settings_key: tuple[int, int]
    language: str
    me: str | None
    unread: frozenset[str]
    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    titles: tuple[str, ...]
    authors: tuple[str, ...]
    """The authors' names."""
    objectives: tuple[tuple[int, ...], ...]
    statuses: tuple[str, ...]
    conflicts: frozenset[str]
    """The entries holding conflicts."""


def listing_path(root: Path) -> Path:
    """Where the listing of the notebook at ``root`` lives, beside its load cache."""
    return root / ".git" / "carnet" / LISTING_FILE


def load(root: Path, *, search: bool = True) -> Listing | None:
    """The listing of the notebook at ``root``, if it is sound and up to date; else None.

    Without ``search``, the search texts (most of the file) are not read: the listing then
    answers only criteria without words.
    """
    check = taken(root)
    listing = _read(listing_path(root), search)
    if listing is None or not check.holds(listing.head, listing.settings_key, listing.me):
        return None
    return listing


def start_frame(root: Path) -> Callable[[], Frame | None]:
    """Begin looking at the files of the notebook at ``root`` (``git status``, in its own
    process); the function returned reads the listing's ``Frame`` meanwhile, then gives it
    if it is sound and up to date, else None."""
    path = listing_path(root)
    if not path.is_file():  # a first open: no status of the whole tree beside the open's own
        return lambda: None
    check = ListingCheck(root)

    def frame() -> Frame | None:
        read = _read_frame(path)
        if read is None or not check.holds(read.head, read.settings_key, read.me):
            return None
        return read

    return frame


def _meta(data: bytes) -> dict[str, Any] | None:
    """The listing's common part, if it is one of this format and code."""
    value = marshal.loads(data)
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    if value.get("code") != code_fingerprint():
        return None
    return value


def _read(path: Path, search: bool) -> Listing | None:
    parts = read_parts(path, (META, ROWS, TEXTS) if search else (META, ROWS))
    if parts is None:
        return None
    try:
        meta = _meta(parts[META])
        if meta is None:
            return None
        return _listing_of(
            meta, marshal.loads(parts[ROWS]), marshal.loads(parts[TEXTS]) if search else None
        )
    except (ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def _read_frame(path: Path) -> Frame | None:
    parts = read_parts(path, (META, FRAME))
    if parts is None:
        return None
    try:
        meta = _meta(parts[META])
        if meta is None:
            return None
        ids, kinds, titles, authors, objectives, statuses, conflicts = marshal.loads(parts[FRAME])
        common = (meta["head"], tuple(meta["settings"]), meta["language"], meta["me"])
        return Frame(*common, frozenset(meta["unread"]), ids, kinds, titles, authors,
                     objectives, statuses, frozenset(conflicts))  # fmt: skip
    except (ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def _listing_of(meta: dict[str, Any], rows: Any, texts: Any) -> Listing | None:
    """The listing the marshalled parts hold, or None if they are not one."""
    if not isinstance(rows, dict):
        return None
    if texts is not None and not (isinstance(texts, tuple) and len(texts) == 2):
        return None
    return Listing(
        head=meta["head"],
        settings_key=tuple(meta["settings"]),
        language=meta["language"],
        objectives=tuple(meta["objectives"]),
        kinds=tuple(meta["kinds"]),
        statuses=tuple(meta["statuses"]),
        rows={entry_id: Row(entry_id, *fields) for entry_id, fields in rows.items()},
        search=None if texts is None else SearchIndex.from_texts(*texts),
        unread=frozenset(meta["unread"]),
        me=meta["me"],
    )


def _frame_columns(listing: Listing) -> tuple[Any, ...]:
    """The ``Frame``'s lines of ``listing``, column by column."""
    listed = listing.select(EntryFilter())
    return (
        tuple(row.id for row in listed),
        tuple(row.kind for row in listed),
        tuple(row.title for row in listed),
        tuple(row.author_name for row in listed),
        tuple(row.objectives for row in listed),
        tuple(row.status for row in listed),
        tuple(row.id for row in listed if row.conflicts),
    )


def save(root: Path, listing: Listing) -> bool:
    """Write the listing atomically; tell whether it was written (failing is not an error:
    the command line then opens the notebook, as without it). A listing without its search
    texts is written without them: it answers only criteria without words."""
    meta = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "head": listing.head,
        "settings": list(listing.settings_key),
        "language": listing.language,
        "objectives": list(listing.objectives),
        "kinds": list(listing.kinds),
        "statuses": list(listing.statuses),
        "unread": list(listing.unread),
        "me": listing.me,
    }
    rows = {entry_id: tuple(row[1:]) for entry_id, row in listing.rows.items()}
    search = None if listing.search is None else listing.search.texts()
    parts = [marshal.dumps(value) for value in (meta, _frame_columns(listing), rows, search)]
    # Imported here: only a command that opened the notebook (which loaded them) writes it.
    from store.storage.files import atomic_write

    try:
        atomic_write(listing_path(root), file_bytes(parts))
    except CarnetError:  # a full disk, a read-only clone: the notebook works without it
        return False
    return True


def remove(root: Path) -> None:
    """Forget the listing (the next ``carnet list`` opens the notebook and writes it again)."""
    with contextlib.suppress(FileNotFoundError):
        listing_path(root).unlink()


def rows_of(
    entries: Iterable[Any],
    short_ids: Mapping[str, str],
    names: Mapping[str, str],
) -> dict[str, Row]:
    """The rows of ``entries`` (the read model's ``Entry`` objects), by id."""
    return {
        entry.id: Row(
            entry.id,
            short_ids.get(entry.id, entry.id),
            entry.kind,
            tuple(entry.objectives),
            entry.status,
            entry.title,
            names.get(entry.author, entry.author),
            entry.created,
            tuple(entry.tags),
            bool(entry.deleted),
            bool(entry.conflicts),
        )  # fmt: skip
        for entry in entries
    }
