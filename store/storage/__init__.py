"""TinyDB storage over one JSON file per document: atomic, diff-only writes, never deletes.

The layout is store/layout.py's. TinyDB sees one table per folder, keyed by string ids; a
review's id is ``participant/entry``. ``store.storage.documents`` is the storage itself (with
the undo of an action that failed half-way), ``store.storage.loader`` reads documents from their
files, ``store.storage.files`` writes files atomically and reads plain files only, and
``store.storage.database`` is TinyDB's table and database over it, and
``store.storage.records`` holds each table's documents compactly (the read model's objects).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import names_from

if TYPE_CHECKING:
    from store.storage.database import NotebookDatabase, NotebookTable
    from store.storage.documents import DocumentStorage, LoadReport, documents_at
    from store.storage.files import atomic_write, read_plain_file
    from store.storage.loader import Problem, collection_paused
    from store.storage.records import Table, model_of

__all__ = [
    "DocumentStorage",
    "LoadReport",
    "NotebookDatabase",
    "NotebookTable",
    "Problem",
    "Table",
    "atomic_write",
    "collection_paused",
    "documents_at",
    "model_of",
    "read_plain_file",
]
# Where each name comes from. Imported on first use, not with the package: ``carnet add``
# writes its files through ``files`` alone, and TinyDB with the storage's other modules cost
# it about 10 ms of imports it never uses.
_HOMES = {
    "NotebookDatabase": "store.storage.database",
    "NotebookTable": "store.storage.database",
    "DocumentStorage": "store.storage.documents",
    "LoadReport": "store.storage.documents",
    "documents_at": "store.storage.documents",
    "atomic_write": "store.storage.files",
    "read_plain_file": "store.storage.files",
    "Problem": "store.storage.loader",
    "collection_paused": "store.storage.loader",
    "Table": "store.storage.records",
    "model_of": "store.storage.records",
}


__getattr__ = names_from(__name__, _HOMES)
