"""TinyDB storage over one JSON file per document: atomic, diff-only writes, never deletes.

The layout is store/layout.py's. TinyDB sees one table per folder, keyed by string ids; a
review's id is ``participant/entry``. ``store.storage.documents`` is the storage itself (with
the undo of an action that failed half-way), ``store.storage.loader`` reads documents from their
files, ``store.storage.files`` writes files atomically and reads plain files only, and
``store.storage.database`` is TinyDB's table and database over it.
"""

from __future__ import annotations

from store.storage.database import NotebookDatabase, NotebookTable
from store.storage.documents import DocumentStorage, LoadReport, documents_at
from store.storage.files import atomic_write, read_plain_file
from store.storage.loader import Problem, collection_paused

__all__ = [
    "DocumentStorage",
    "LoadReport",
    "NotebookDatabase",
    "NotebookTable",
    "Problem",
    "atomic_write",
    "collection_paused",
    "documents_at",
    "read_plain_file",
]
