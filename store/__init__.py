"""Carnet's notebook store: documents in a git repository, read and written through TinyDB."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import names_from

if TYPE_CHECKING:
    from store.errors import CarnetError
    from store.model import Comment, Conflict, Entry, Participant, Review
    from store.notebook import Notebook
    from store.search import EntryFilter

__all__ = [
    "CarnetError",
    "Comment",
    "Conflict",
    "Entry",
    "EntryFilter",
    "Notebook",
    "Participant",
    "Review",
]
# Where each name comes from. Imported on first use, not with the package: every module of
# the store imports the package first, and the command line's quick commands need none of
# the notebook's machinery.
_HOMES = {
    "CarnetError": "store.errors",
    "Comment": "store.model",
    "Conflict": "store.model",
    "Entry": "store.model",
    "Participant": "store.model",
    "Review": "store.model",
    "EntryFilter": "store.search",
    "Notebook": "store.notebook",
}


__getattr__ = names_from(__name__, _HOMES)
