"""Carnet's notebook store: documents in a git repository, read and written through TinyDB."""

from store.errors import CarnetError
from store.model import Comment, Conflict, Entry, Participant, Review
from store.notebook import EntryFilter, Notebook

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
