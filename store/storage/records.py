"""The storage's tables held compactly: a reading or a comment is kept as the read model's own
frozen object, and made a document again only when it is read or written.

A notebook of 30,000 entries holds 420,000 readings and comments. Kept as documents (a dict
each) beside the read model's objects, they were two copies of the same notebook: 180 bytes a
dict, over a hundred megabytes in all. Here the object is the one copy: the read model takes
it as it is (``Table.model``), TinyDB and every other reader get a document made from it
(``Table[doc_id]``), equal to the one stored. A document its object would not give back
exactly (a field the object does not hold, an early record without a field) is kept as its
document: what is read back is always what was written.

The readings are held by participant, then by entry (``Readings``): their ids
(``participant/entry``), 270,000 strings at 30,000 entries, are made only when asked for.

The cache (``store.cache``) holds an object as the tuple of its fields (``packed``), a
document as itself, a table in parts of at most ``PART_RECORDS`` records
(``packed_parts``): the bytes of one part, not of a whole table, are in memory beside the
documents while the cache is written or read. A table read from the cache keeps the tuples,
each made its object the first time the read model asks for it: the open needs none of them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from store.cache import share_values, shared
from store.model import (
    Attachment,
    Comment,
    Conflict,
    Decision,
    Document,
    Entry,
    Review,
    filler,
    held_values,
)
from store.record import field_names


@dataclass(frozen=True)
class Kind:
    """How the documents of one table become objects and back."""

    model: type
    from_doc: Callable[[str, Document], Any]
    to_doc: Callable[[Any], Document]
    fields: Callable[[Any], tuple[Any, ...]]  # what the cache holds of an object: a tuple
    fill: Callable[..., Any]  # the object from that tuple's values
    width: int  # how many values that tuple holds


def _kind(
    model: type, from_doc: Callable[[str, Document], Any], to_doc: Callable[[Any], Document]
) -> Kind:
    """The kind of an object the cache holds as the tuple of its fields, in order."""
    fill: Callable[..., Any] = filler(model, as_held=True)
    return Kind(model, from_doc, to_doc, held_values(model), fill, len(field_names(model)))


_entry_values = held_values(Entry)
# Its __post_init__ only makes a Decision of a dict: given one.
_fill_entry = filler(Entry, as_held=True)


def _entry_as_cached(entry: Entry) -> tuple[Any, ...]:
    """An entry as the cache holds it: its fields (the body as held), those that hold
    objects as their documents."""
    *plain, conflicts, decision, attachments = _entry_values(entry)
    return (
        *plain,
        tuple(conflict.to_doc() for conflict in conflicts),
        None if decision is None else decision.to_doc(),
        tuple(attachment.to_doc() for attachment in attachments),
    )


def _entry_from_cache(*values: Any) -> Entry:
    """The entry ``_entry_as_cached`` gave: made from its fields, as its ``from_doc`` would
    make it, at a third of the cost (the open makes every entry)."""
    if not (values[-3] or values[-2] is not None or values[-1]):
        return _fill_entry(*values)  # no object of its own: its fields as they are
    *plain, conflicts, decision, attachments = values
    conflicts = tuple(map(Conflict.from_doc, conflicts))
    decision = None if decision is None else Decision.from_doc(decision)
    attachments = tuple(map(Attachment.from_doc, attachments))
    return _fill_entry(*plain, conflicts, decision, attachments)


# The records of one part of the cache: the 150,000 comments of 30,000 entries were one
# part of 45 MB, whose bytes were held beside the whole notebook as it was read or written.
PART_RECORDS = 4096

# The tables counted in hundreds of thousands, and the entries: their documents held beside
# the read model's entries took 20 MB at 30,000. An entry's fields hold objects of their
# own (its decision, its conflicts): the cache holds those as their documents.
KINDS: dict[str, Kind] = {
    "comments": _kind(Comment, Comment.from_doc, Comment.to_doc),
    "reviews": _kind(Review, lambda _id, doc: Review.from_doc(doc), Review.to_doc),
    "entries": Kind(
        Entry,
        Entry.from_doc,
        Entry.to_doc,
        _entry_as_cached,
        _entry_from_cache,
        len(field_names(Entry)),
    ),
}


class Table(MutableMapping[str, Document]):
    """One table of the storage: ids to documents, each held as its object where it can be.

    Reading a document makes a new dict each time: a caller may change it (TinyDB's updates
    do) without changing the table.

    An action changes the table in place (``replace``; ``restore`` takes a change back), so
    that it costs the records it changes, not the table's size. A reader in another thread
    (the read model deriving the comments after the first frame) may iterate the table
    meanwhile: it iterates over the ids as they were when it began.
    """

    __slots__ = ("name", "_kind", "_records", "_guard")

    def __init__(self, name: str, records: dict[Any, Any] | None = None) -> None:
        self.name = name
        self._kind = KINDS.get(name)
        # An object of the table's kind, or a document (a dict) for what no object holds.
        self._records: dict[Any, Any] = {} if records is None else records
        # Held while a record is put in place: ``model`` puts back the object it made only if
        # no action replaced its record meanwhile.
        self._guard = threading.Lock()

    # --- where the records are: by id (``Readings`` holds them otherwise) -------------------

    def _get(self, doc_id: str) -> Any:
        return self._records.get(doc_id)

    def _put(self, doc_id: str, record: Any) -> None:
        self._records[doc_id] = record

    def _drop(self, doc_id: str) -> None:
        self._records.pop(doc_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._records))  # one step in C: the ids of one moment

    def __len__(self) -> int:
        return len(self._records)

    def copy(self) -> Table:
        """Another table with the same documents (their objects shared: they never change)."""
        return type(self)(self.name, dict(self._records))

    def packed(self) -> dict[Any, Any]:
        """The table as the cache holds it: each object as the tuple of its fields."""
        return _packed(self._kind, self._records)

    def packed_parts(self) -> Iterator[dict[Any, Any]]:
        """The table as the cache holds it, in parts of at most ``PART_RECORDS`` records:
        ``unpacked`` takes them back one after the other. An empty table is one empty part."""
        items = iter(self._records.items())
        part = dict(islice(items, PART_RECORDS))
        while True:
            yield _packed(self._kind, part)
            part = dict(islice(items, PART_RECORDS))
            if not part:
                return

    @classmethod
    def unpacked(cls, name: str, packed: dict[Any, Any], into: Table | None = None) -> Table:
        """The table the cache's ``packed`` form holds (made in place, to hold one copy), or
        ``into`` with that part of it added.

        Raises:
            TypeError: a record of the wrong shape, or one that an earlier part held (the
                cache is then ignored).
        """
        if name == Readings.TABLE and cls is Table:
            return Readings.unpacked(name, packed, into)
        records = _unpacked(KINDS.get(name), packed)
        if into is None:
            return cls(name, records)
        _add_part(into._records, records)
        return into

    # --- the mapping ---------------------------------------------------------------------

    def __getitem__(self, doc_id: str) -> Document:
        record = self._get(doc_id)
        if record is None:
            raise KeyError(doc_id)
        if type(record) is dict:
            return dict(record)
        kind = self._kind
        assert kind is not None  # objects and their tuples are of a table with a kind
        return kind.to_doc(kind.fill(*record) if type(record) is tuple else record)

    def __setitem__(self, doc_id: str, doc: Document) -> None:
        self.replace(doc_id, doc)

    def replace(self, doc_id: str, doc: Document) -> Any:
        """Hold ``doc`` as the document ``doc_id``; return what held it before (None if it was
        not in), for ``restore``."""
        record = self._record(doc_id, doc)
        with self._guard:
            held = self._get(doc_id)
            self._put(doc_id, record)
        return held

    def restore(self, doc_id: str, held: Any) -> None:
        """Put back what ``replace`` returned: the record as it was, or no record."""
        with self._guard:
            if held is None:
                self._drop(doc_id)
            else:
                self._put(doc_id, held)

    def discard(self, doc_id: str) -> None:
        """Take the document ``doc_id`` out, if it is in (without making it a document)."""
        self.restore(doc_id, None)

    def __delitem__(self, doc_id: str) -> None:
        if self._get(doc_id) is None:
            raise KeyError(doc_id)
        self.discard(doc_id)

    def __contains__(self, doc_id: object) -> bool:
        return type(doc_id) is str and self._get(doc_id) is not None

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {len(self)} documents)"

    def model(self, doc_id: str) -> Any:
        """The read model's object of the document ``doc_id`` (None if there is none): the one
        held, or made from the document."""
        record = self._get(doc_id)
        if type(record) is tuple:  # as the cache held it: made once, then held as the object
            made = self._kind.fill(*record)  # type: ignore[union-attr]  # tuples have a kind
            with self._guard:
                if self._get(doc_id) is record:  # else an action replaced it meanwhile
                    self._put(doc_id, made)
            return made
        if record is None or type(record) is not dict:
            return record
        return self._kind.from_doc(doc_id, record) if self._kind is not None else None

    def make_objects(self) -> None:
        """Make now the object of every record the cache held as a tuple (``model`` would make
        each when first asked). Only for a table no other thread holds yet: one just read."""
        fill = self._kind.fill if self._kind is not None else None
        records = self._records
        for doc_id, record in records.items():
            if type(record) is tuple:
                records[doc_id] = fill(*record)  # type: ignore[misc]  # tuples have a kind

    def hold_read(self, doc_id: str, doc: Document) -> None:
        """Hold ``doc``, just read from its file, which the loader gives up (it is changed
        here): its values that repeat across documents shared, and its keys too where it
        stays a document (``store.cache.shared``).

        Only while the table is being loaded, before anyone else can read it: there is no
        record of it to replace.
        """
        if self._kind is not None:
            share_values(doc)
            made = self._object(doc_id, doc)
            if made is not None:
                self._put(doc_id, made)
                return
        self._put(doc_id, shared(doc))

    def _record(self, doc_id: str, doc: Document) -> Any:
        """What holds ``doc``: its object, or a copy of it (the caller may change its own)."""
        made = self._object(doc_id, doc)
        return dict(doc) if made is None else made

    def _object(self, doc_id: str, doc: Document) -> Any:
        """The object of ``doc``, if it has one that gives it back exactly; else None."""
        kind = self._kind
        if kind is None:
            return None
        try:
            made = kind.from_doc(doc_id, doc)
        except (KeyError, TypeError, ValueError):
            return None  # not a valid document (yet): the storage's checks say so
        return made if kind.to_doc(made) == doc else None


class Readings(Table):
    """The readings: held by participant, then by entry, the two halves of their ids.

    An id without its slash (no reading is stored at one) is held under None, whole.
    """

    __slots__ = ()
    TABLE = "reviews"

    def _get(self, doc_id: str) -> Any:
        participant, slash, entry = doc_id.partition("/")
        of = self._records.get(participant if slash else None)
        return None if of is None else of.get(entry if slash else doc_id)

    def _put(self, doc_id: str, record: Any) -> None:
        intern = sys.intern  # the same strings as the participants' and the entries' ids
        participant, slash, entry = doc_id.partition("/")
        outer, inner = (intern(participant), intern(entry)) if slash else (None, doc_id)
        self._records.setdefault(outer, {})[inner] = record

    def _drop(self, doc_id: str) -> None:
        participant, slash, entry = doc_id.partition("/")
        outer = participant if slash else None
        of = self._records.get(outer)
        if of is not None:
            of.pop(entry if slash else doc_id, None)
            if not of:
                del self._records[outer]

    def __iter__(self) -> Iterator[str]:
        for participant, of in list(self._records.items()):
            if participant is None:
                yield from list(of)
            else:
                prefix = participant + "/"
                for entry in list(of):
                    yield prefix + entry

    def __len__(self) -> int:
        return sum(map(len, self._records.values()))

    def copy(self) -> Readings:
        return Readings(self.name, {p: dict(of) for p, of in self._records.items()})

    def packed(self) -> dict[Any, Any]:
        return {p: _packed(self._kind, of) for p, of in self._records.items()}

    def packed_parts(self) -> Iterator[dict[Any, Any]]:
        # A participant's readings may span parts, and a part hold several participants'.
        part: dict[Any, Any] = {}
        size = 0
        for participant, of in self._records.items():
            items = iter(of.items())
            while piece := dict(islice(items, PART_RECORDS - size)):
                part[participant] = _packed(self._kind, piece)
                size += len(piece)
                if size == PART_RECORDS:
                    yield part
                    part, size = {}, 0
        if part or not self._records:
            yield part

    @classmethod
    def unpacked(cls, name: str, packed: dict[Any, Any], into: Table | None = None) -> Readings:
        kind = KINDS.get(name)
        for participant, of in packed.items():
            if type(of) is not dict or not (participant is None or type(participant) is str):
                raise TypeError(f"the readings of {participant!r} are no table")
            _unpacked(kind, of)
        if into is None:
            return cls(name, packed)
        assert isinstance(into, Readings)  # the parts before were readings too
        held = into._records
        for participant, of in packed.items():
            earlier = held.get(participant)
            if earlier is None:
                held[participant] = of
            else:
                _add_part(earlier, of)
        return into


def _packed(kind: Kind | None, records: dict[str, Any]) -> dict[str, Any]:
    if kind is None:
        return records
    model, pack = kind.model, kind.fields
    return {i: pack(r) if type(r) is model else r for i, r in records.items()}


def _unpacked(kind: Kind | None, packed: dict[str, Any]) -> dict[str, Any]:
    """The records of ``packed``, checked: an object's tuple stays one until the object is
    asked for (``Table.model``). Making the 110,000 objects of 10,000 entries took a third
    of the open with the cache, and the first frame needs none of them."""
    width = -1 if kind is None else kind.width
    records = packed.values()
    # A part of tuples alone (the usual one) is checked in C, by the set of their types and
    # of their lengths; a Python step per record cost a tenth of the open.
    shapes = set(map(type, records))
    if shapes <= {tuple} and set(map(len, records)) <= {width}:
        return packed
    for record in records:
        if type(record) is tuple:
            if len(record) != width:
                raise TypeError("a record of the wrong shape")
        elif type(record) is not dict:
            raise TypeError("a record that is no document")
    return packed


def _add_part(held: dict[str, Any], part: dict[str, Any]) -> None:
    """Add the records of a part of the cache to those of the parts before it."""
    before = len(held)
    held.update(part)
    if len(held) != before + len(part):
        raise TypeError("a record held by two parts")


def new_table(name: str) -> Table:
    """An empty table of the storage, held as the table ``name`` is."""
    return Readings(name) if name == Readings.TABLE else Table(name)


def table_of(name: str, documents: Mapping[str, Document]) -> Table:
    """A table holding ``documents`` (a table already is one: copied)."""
    if isinstance(documents, Table):
        return documents.copy()
    table = new_table(name)
    for doc_id, doc in documents.items():
        table[doc_id] = doc
    return table


def model_of(documents: Mapping[str, Document], doc_id: str, kind: str) -> Any:
    """The read model's object of ``doc_id`` in ``documents`` (a ``Table``, or plain
    documents), None if it has none."""
    if isinstance(documents, Table):
        return documents.model(doc_id)
    doc = documents.get(doc_id)
    return None if doc is None else KINDS[kind].from_doc(doc_id, doc)
