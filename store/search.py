"""Accent-, case- and punctuation-insensitive search over entries and their comments."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[\W_]+")
# Letters that NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def normalise(text: str) -> str:
    """Fold ``text`` for matching: "L'Évaluation des projets" → "l evaluation des projets"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped).strip()


def terms(query: str) -> list[str]:
    """The words of a query, folded; an entry matches when it contains every one."""
    return normalise(query).split()


class SearchIndex:
    """Folded text of every entry (title, body, tags) and of its comments, kept in memory.

    Matching is a substring test of each query word against one string per entry, so
    "dévelop" finds "développement" while typing, and a phrase matches across punctuation.
    """

    def __init__(self) -> None:
        self._entry_text: dict[str, str] = {}
        self._comment_text: dict[str, list[str]] = {}
        self._joined: dict[str, str] = {}

    def set_entry(self, entry_id: str, title: str, body: str, tags: Iterable[str]) -> None:
        """Index (again) an entry's own text."""
        self._entry_text[entry_id] = normalise(" ".join((title, body, *tags)))
        self._joined.pop(entry_id, None)

    def add_comment(self, entry_id: str, body: str) -> None:
        """Index one more comment of an entry."""
        self._comment_text.setdefault(entry_id, []).append(normalise(body))
        self._joined.pop(entry_id, None)

    def _text(self, entry_id: str) -> str:
        text = self._joined.get(entry_id)
        if text is None:
            parts = [self._entry_text.get(entry_id, ""), *self._comment_text.get(entry_id, ())]
            text = self._joined[entry_id] = " \n ".join(parts)
        return text

    def search(self, query: str, entry_ids: Iterable[str] | None = None) -> set[str]:
        """The ids, among ``entry_ids`` (default: all), whose text contains every query word."""
        words = terms(query)
        candidates = self._entry_text if entry_ids is None else entry_ids
        if not words:
            return set(candidates)
        return {i for i in candidates if all(w in self._text(i) for w in words)}
