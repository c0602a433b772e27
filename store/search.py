"""Accent-, case- and punctuation-insensitive search over entries and their comments."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[\W_]+")
# The accented letters of French, lower-cased: replacing each with str.replace runs in C over
# the text, where NFKD, a regex or a translate table pays a step for every character.
_FRENCH = tuple(
    (letter, unicodedata.normalize("NFKD", letter)[0]) for letter in "éèêëàâäùûüôöîïçÿ"
) + (("œ", "oe"), ("æ", "ae"))
# Punctuation French text is full of; it never holds a word character, so it may stay as it
# is (see ``terms``). Anything else that is not ASCII takes the general path.
_GENERAL = re.compile("[^\x00-\x7f«»‘’‚“”„‹›–—…\xa0\u2009\u202f]")
# The accents NFKD splits from French letters: removed by str.replace, for the reason above.
_COMMON_MARKS = ("\u0301", "\u0300", "\u0302", "\u0308", "\u0327")
# Letters that NFKD does not split into a base letter and an accent (casefold turns ß into ss).
_FOLDS = (("œ", "oe"), ("æ", "ae"), ("ø", "o"), ("ł", "l"), ("đ", "d"))


@functools.cache
def _marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane, and every character beyond it.

    Built on first use, not at import (it costs milliseconds the command line need not pay).
    A class of plain ranges beyond U+FFFF makes the regex engine test them one by one for
    every character, ten times slower; one range for all of them, checked in ``_drop_marks``,
    keeps the fast bitmap lookup.
    """
    bmp = "".join(map(chr, range(0x300, 0x10000)))
    ranges: list[list[int]] = []
    for code in map(ord, filter(unicodedata.combining, bmp)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    spans = "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)
    return re.compile(f"[{spans}\U00010000-\U0010ffff]+")


def _drop_marks(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Fold ``text`` for matching: "L'Évaluation des projets" → "l'evaluation des projets".

    Case and accents go; punctuation stays, since a query is matched word by word and its
    words never hold any (see ``terms``).
    """
    if text.isascii():
        return text.lower()
    text = text.lower()
    for letter, base in _FRENCH:
        if letter in text:
            text = text.replace(letter, base)
    if text.isascii() or not _GENERAL.search(text):
        return text
    return _fold(text)


def _fold(text: str) -> str:
    """The general path: compatibility decomposition, case folding, marks removed."""
    # NFKD before casefold, so that "ℌ" becomes "h" and not an "H" nobody can type.
    text = unicodedata.normalize("NFKD", text).casefold()
    for mark in _COMMON_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    if text.isascii():
        return text
    if _marks().search(text):
        text = _marks().sub(_drop_marks, text)
    for letter, replacement in _FOLDS:
        if letter in text:
            text = text.replace(letter, replacement)
    return text


def terms(query: str) -> list[str]:
    """The words of a query, folded; an entry matches when it contains every one."""
    return _NOT_WORD.sub(" ", normalise(query)).split()


class SearchIndex:
    """Folded text of every entry (title, body, tags) and of its comments, kept in memory.

    Matching is a substring test of each query word against one string per entry, so
    "dévelop" finds "développement" while typing, and "evaluation des projets" finds
    "l'évaluation des projets".
    """

    def __init__(self) -> None:
        # One string per entry: its own text first, then a line per comment. One string, not
        # one per comment, so that a query scans each entry with a single substring test.
        self._text: dict[str, str] = {}
        self._own_length: dict[str, int] = {}  # of the entry's own text, for set_entry

    def set_entry(self, entry_id: str, title: str, body: str, tags: Iterable[str]) -> None:
        """Index (again) an entry's own text."""
        own = normalise(" ".join((title, body, *tags)))
        comments = self._text.get(entry_id, "")[self._own_length.get(entry_id, 0) :]
        self._text[entry_id] = own + comments
        self._own_length[entry_id] = len(own)

    def add_comment(self, entry_id: str, body: str) -> None:
        """Index one more comment of an entry."""
        self.add_comments(entry_id, (body,))

    def add_comments(self, entry_id: str, bodies: Iterable[str]) -> None:
        """Index more comments of an entry, all folded at once."""
        folded = normalise("".join(f"\n{body}" for body in bodies))
        self._text[entry_id] = self._text.get(entry_id, "") + folded

    def search(self, query: str, entry_ids: Iterable[str] | None = None) -> set[str]:
        """The ids, among ``entry_ids`` (default: all), whose text contains every query word."""
        words = terms(query)
        found = set(self._own_length if entry_ids is None else entry_ids)
        if not words:
            return found
        # A word inside another ("dév" in "dével") adds nothing; the longest word rules out
        # the most entries, so it goes first.
        words.sort(key=len, reverse=True)
        kept: list[str] = []
        for word in words:
            if not any(word in longer for longer in kept):
                kept.append(word)
        text = self._text
        if len(kept) == 1:
            word = kept[0]
            return {i for i in found if word in text.get(i, "")}
        # Every word against one entry before the next entry: its text is still in the CPU's
        # cache; one pass per word over all entries is a third slower at 10,000 entries.
        matches = set()
        for entry_id in found:
            entry_text = text.get(entry_id, "")
            for word in kept:
                if word not in entry_text:
                    break
            else:
                matches.add(entry_id)
        return matches
