"""TinyDB storage over one JSON file per document: atomic, diff-only writes, never deletes.

Layout (DESIGN.md §2): ``entries/<id>.json``, ``comments/<id>.json``,
``participants/<id>.json`` and ``reviews/<participant>/<entry>.json``. TinyDB sees one table
per folder, keyed by string ids; a review's id is ``participant/entry``, which is also its path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store.errors import CarnetError, InvalidDocumentError
from store.i18n import _
from store.ids import is_slug, is_ulid, new_ulid
from store.model import VALIDATORS, Document, canonical_bytes, parse_json

TABLES = ("participants", "entries", "comments", "reviews")
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Problem:
    """A file that could not be read as a document: skipped, reported, never rewritten."""

    path: str
    reason: str


def document_path(table: str, doc_id: str) -> str:
    """The path of a document relative to the notebook, after checking that its id is safe.

    Raises:
        InvalidDocumentError: the id could lead outside its folder or is not of its table's form.
    """
    if table == "reviews":
        participant, _sep, entry = doc_id.partition("/")
        valid = is_slug(participant) and is_ulid(entry)
    elif table == "participants":
        valid = is_slug(doc_id)
    elif table in TABLES:
        valid = is_ulid(doc_id)
    else:
        valid = False
    if not valid:
        raise InvalidDocumentError(_("“{id}” is not a valid document id").format(id=doc_id))
    return f"{table}/{doc_id}.json"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _scan(root: Path, table: str) -> Iterator[tuple[str, Path]]:
    """Yield ``(document id, file)`` for every ``.json`` file of a table's folder."""
    folder = root / table
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        for item in entries:
            if table == "reviews" and item.is_dir():
                with os.scandir(item.path) as reviews:
                    for review in reviews:
                        if review.name.endswith(".json") and not review.name.startswith("."):
                            yield f"{item.name}/{review.name[:-5]}", Path(review.path)
            elif item.name.endswith(".json") and not item.name.startswith("."):
                yield item.name[:-5], Path(item.path)


def _remove_stale_temp_files(root: Path) -> None:
    """Remove temp files left by a write that was killed before its rename (never tracked)."""
    for table in TABLES:
        for folder, _dirs, files in os.walk(root / table):
            for name in files:
                if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                    os.unlink(os.path.join(folder, name))


class DocumentStorage(Storage):
    """A TinyDB ``Storage`` that keeps every document in memory and one file per document on disk.

    ``write()`` receives the whole database, as TinyDB always passes it, and writes only the
    documents whose content changed. A file that failed to load is listed in ``problems`` and
    Carnet refuses to write over it: a peer's damaged file is left exactly as it arrived.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.problems: list[Problem] = []
        self._tables: dict[str, dict[str, Document]] = {name: {} for name in TABLES}
        self._damaged: set[str] = set()
        self._written: list[str] = []
        self.reload()

    def reload(self) -> None:
        """Read every document from disk again, e.g. after git changed the files."""
        _remove_stale_temp_files(self.root)
        tables: dict[str, dict[str, Document]] = {name: {} for name in TABLES}
        problems: list[Problem] = []
        for table in TABLES:
            validate = VALIDATORS[table]
            loaded = tables[table]
            for doc_id, file in _scan(self.root, table):
                relative = f"{table}/{doc_id}.json"
                try:
                    document_path(table, doc_id)
                    with open(file, "rb") as handle:
                        data = handle.read()
                    doc = validate(parse_json(data))
                    if table == "reviews" and doc_id != f"{doc['participant']}/{doc['entry']}":
                        raise InvalidDocumentError(_("the review is filed under the wrong path"))
                except (InvalidDocumentError, OSError) as exc:
                    problems.append(Problem(relative, str(exc)))
                    continue
                loaded[doc_id] = doc
        self._tables = tables
        self.problems = problems
        self._damaged = {problem.path for problem in problems}

    def read(self) -> dict[str, dict[str, Document]]:
        # A new outer dict: TinyDB replaces a table in it before calling write(), and the
        # comparison in write() needs the old table untouched.
        return dict(self._tables)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        changes: list[tuple[str, str, Document]] = []
        replaced: dict[str, dict[str, Document]] = {}
        for table, documents in data.items():
            old = self._tables.get(table)
            if documents is old:
                continue
            if table not in TABLES:
                raise CarnetError(_("unknown table “{name}”").format(name=table))
            old = old or {}
            replaced[table] = dict(documents)
            if any(doc_id not in documents for doc_id in old):
                raise CarnetError(_("documents are never removed: mark them deleted instead"))
            for doc_id, doc in documents.items():
                previous = old.get(doc_id)
                if doc is previous or doc == previous:
                    continue
                path = document_path(table, doc_id)
                if path in self._damaged:
                    raise CarnetError(
                        _(
                            "{path} is damaged; Carnet will not write over it (see carnet doctor)"
                        ).format(path=path)
                    )
                changes.append((table, doc_id, VALIDATORS[table](doc)))
        # Everything is serialised before anything is written: a refused value writes nothing.
        encoded = [(document_path(t, i), canonical_bytes(doc)) for t, i, doc in changes]
        for path, payload in encoded:
            atomic_write(self.root / path, payload)
        self._tables.update(replaced)
        self._written.extend(path for path, _payload in encoded)

    def take_written(self) -> list[str]:
        """The paths written since the last call, in order, each once."""
        written, self._written = list(dict.fromkeys(self._written)), []
        return written

    def close(self) -> None:
        """Nothing is held open between writes."""


class _CopyOnWrite(dict[str, Document]):
    """A table handed to TinyDB's updaters: a document is copied the moment it is looked up.

    TinyDB's ``update()`` changes documents in place; copying on access keeps the storage's
    snapshot intact, so ``DocumentStorage.write()`` can tell what changed by comparing.
    """

    def __getitem__(self, key: str) -> Document:
        doc = dict(super().__getitem__(key))
        super().__setitem__(key, doc)
        return doc


class NotebookTable(Table):
    """A TinyDB table with string ids: ULIDs for new documents, never a counter."""

    document_id_class = str  # an int id would silently match nothing

    def _get_next_id(self) -> str:
        return new_ulid()

    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        tables = self._storage.read()
        table = _CopyOnWrite(tables.get(self.name, {}))
        updater(table)
        tables[self.name] = dict(table.items())
        self._storage.write(tables)
        self.clear_cache()


class NotebookDatabase(TinyDB):
    """TinyDB over a notebook folder."""

    table_class = NotebookTable
    default_table_name = "entries"

    def clear_all_caches(self) -> None:
        """Forget cached query results of every table (``clear_cache()`` only clears one)."""
        for name in TABLES:
            self.table(name).clear_cache()
