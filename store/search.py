"""Accent-, case- and punctuation-insensitive search over entries and their comments."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from itertools import compress, filterfalse, islice
from operator import attrgetter, eq
from typing import Any, NamedTuple, Protocol, TypeVar

from store.search_index import EntryWords, WordIndex

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


def distinct_words(folded: str) -> str:
    """The distinct words of a folded text (split at spaces, so "l'evaluation," is one),
    first seen first, a space between each.

    A query word holds no punctuation nor space (``terms``), so it lies inside the text
    exactly when it lies inside one of these words: the search may hold each word once.
    A notebook's text repeats its words: this is half of it. Split at spaces only, not at
    punctuation: a regex over the whole text would cost four times as much.
    """
    return " ".join(dict.fromkeys(folded.split()))


class EntryFilter(NamedTuple):
    """Which entries to list; every criterion given must hold."""

    kind: str | None = None
    objective: int | None = None
    status: str | None = None
    tag: str | None = None
    unread: bool = False
    conflicts: bool = False
    search: str = ""
    include_deleted: bool = False


class Listed(Protocol):
    """What ``select`` reads of an entry: the read model's ``Entry``, the listing's ``Row``."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def objectives(self) -> tuple[int, ...]: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def created(self) -> str: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def conflicts(self) -> object: ...


ListedT = TypeVar("ListedT", bound=Listed)
# Entries in the order they were written, oldest first: by their time, then their id (the
# sections' ids are made from their names, not from a time, and would all come first).
_ID, _TIME, _DELETED = attrgetter("id"), attrgetter("created"), attrgetter("deleted")


def select(
    entries: Iterable[ListedT],
    criteria: EntryFilter,
    unread: Callable[[], Collection[str]],
    index: Callable[[], SearchIndex],
) -> list[ListedT]:
    """The entries matching ``criteria``, oldest first; ``unread`` and ``index`` give the
    unread entries and the search index, asked for only when a criterion needs them."""
    # One pass a criterion given: the screens list every entry at each action, and a test of
    # each criterion on each entry would cost that list several times over.
    # The passes every listing and search makes run in C (map, compress): a comprehension
    # costs several times as much at 30,000 entries.
    selected = list(entries if criteria.include_deleted else filterfalse(_DELETED, entries))
    if criteria.kind:
        selected = [entry for entry in selected if entry.kind == criteria.kind]
    if criteria.status:
        selected = [entry for entry in selected if entry.status == criteria.status]
    if criteria.objective is not None:
        selected = [entry for entry in selected if criteria.objective in entry.objectives]
    if criteria.tag:
        selected = [entry for entry in selected if criteria.tag in entry.tags]
    if criteria.conflicts:
        selected = [entry for entry in selected if entry.conflicts]
    if criteria.unread:
        among = unread()
        selected = [entry for entry in selected if entry.id in among]
    if criteria.search.strip():
        searched = index()
        # Most of the notebook: the search answers for all of it, which it may have kept,
        # rather than for these first gathered.
        few = [entry.id for entry in selected] if 2 * len(selected) < len(searched) else None
        found = searched.search(criteria.search, few)
        ordered, ids = searched.time_order.of(selected)
        return list(compress(ordered, map(found.__contains__, ids)))
    _sort_by_time(selected)
    return selected


def _sort_by_time(entries: list[ListedT]) -> None:
    """Sort ``entries`` by their time, then their id: by the time alone, strings compared in
    C, then by the id only if two times are equal (comparing pairs costs twice as much)."""
    entries.sort(key=_TIME)
    times = list(map(_TIME, entries))
    if any(map(eq, times, islice(times, 1, None))):
        entries.sort(key=_ID)
        entries.sort(key=_TIME)  # stable: equal times stay in the order of their ids


class TimeOrder:
    """The entries last given, in time order, and their ids, kept: the searches that follow
    one another over the same entries (each key typed) need not sort them again, and the
    entries found come out in order."""

    def __init__(self) -> None:
        # One tuple, replaced at once: a thread reading it never sees half of another's.
        self._kept: tuple[list[Any], list[Any], list[str]] = ([], [], [])

    def of(self, entries: list[ListedT]) -> tuple[list[ListedT], list[str]]:
        """``entries`` in time order (``_sort_by_time``), and their ids in that order."""
        given, ordered, ids = self._kept
        # Equal lists hold the same objects (compared by identity first, in C) or equal
        # ones, which sort alike.
        if entries != given:
            ordered = entries.copy()
            _sort_by_time(ordered)
            ids = list(map(_ID, ordered))
            self._kept = (entries, ordered, ids)
        return ordered, ids


# Results kept for the latest queries. Each costs one substring test per key on every entry
# change (a few microseconds), and the memory of one set of ids (up to 0.5 MB at 10,000).
_REMEMBERED = 16


class SearchIndex:
    """The folded words of every entry (title, body, tags) and of its comments, each once,
    kept in memory as numbers of the notebook's vocabulary (``EntryWords``).

    A query word matches as a substring of one of an entry's words (never of two: it holds
    no space), so "dévelop" finds "développement" while typing, and "evaluation des
    projets" finds "l'évaluation des projets". Only entries given to ``set_entry`` are
    ever found.

    A query asks the word index (``store.search_index``), built at the first one and kept
    current with each edit and comment, which looks for each query word among the
    notebook's distinct words and answers with the entries holding those (a few
    milliseconds at 30,000). A query word held by too many words to gather them all is
    tested on the words of the entries the others found, or of every entry. A one-off
    command (``from_texts``, the listing's texts) scans them: building the word index
    costs several scans.

    The results of the latest queries are kept, exact at all times: every change to an
    entry re-tests that one entry against each of them. A query asked again, as the entry
    list does after every action, costs nothing; one that extends a kept one scans, in a
    listing's texts, only the entries that matched it ("dévelop" after "dév").
    """

    def __init__(self) -> None:
        # Each entry's distinct words, numbered; or, from ``from_texts``, one string per
        # entry: the distinct words of its own text, then a line of the distinct words of
        # its comments (``distinct_words``), which a query scans with one substring test.
        self._entry_words = EntryWords()
        self._text: dict[str, str] | None = None
        self._own_length: dict[str, int] = {}  # of the texts' own parts: their entries
        # Query words (sorted) → every entry, among all indexed, that holds each of them.
        # Oldest first: a query found here moves to the end, the first goes when full.
        self._found: dict[tuple[str, ...], set[str]] = {}
        self._words: WordIndex | None = None  # built at the first query that needs it
        self.time_order = TimeOrder()  # of the entries searched (``select``)

    def __len__(self) -> int:
        """How many entries it holds."""
        return len(self._entries())

    def _entries(self) -> dict[str, Any]:
        """The entries it holds, as keys."""
        return self._own_length if self._text is not None else self._entry_words.entries()

    @classmethod
    def from_texts(cls, texts: dict[str, str], own_lengths: dict[str, int]) -> SearchIndex:
        """An index of texts already folded, as ``texts`` gave them (the listing on disk),
        that only answers queries: it scans them."""
        index = cls()
        index._text, index._own_length = texts, own_lengths
        return index

    def texts(self) -> tuple[dict[str, str], dict[str, int]]:
        """The folded text of every entry, and the length of its own part (before its
        comments): what ``from_texts`` takes."""
        if self._text is not None:
            return self._text, self._own_length
        return self._entry_words.texts()

    def forget_results(self) -> None:
        """Forget the kept results: the next query scans every entry, as a new one does."""
        self._found.clear()

    def set_entry(self, entry_id: str, title: str, body: str, tags: Iterable[str]) -> None:
        """Index (again) an entry's own text."""
        assert self._text is None, "the texts of a listing are only searched"
        folded = normalise(" ".join((title, body, *tags)))
        old, new = self._entry_words.set_own(entry_id, folded)
        if self._words is not None:
            removed, added = self._entry_words.changed(old, new)
            if removed:  # an entry's first text removes nothing
                self._words.remove(entry_id, removed)
            self._words.add(entry_id, added)
            self._words.add_entry(entry_id)
        if self._found:
            text = self._entry_words.text(entry_id)
            for words, found in self._found.items():
                if all(word in text for word in words):
                    found.add(entry_id)
                else:
                    found.discard(entry_id)

    def add_comment(self, entry_id: str, body: str) -> None:
        """Index one more comment of an entry."""
        self.add_comments(entry_id, (body,))

    def add_comments(self, entry_id: str, bodies: Iterable[str]) -> None:
        """Index more comments of an entry, all folded at once."""
        assert self._text is None, "the texts of a listing are only searched"
        old, new = self._entry_words.add_comments(entry_id, normalise("\n".join(bodies)))
        if self._words is not None:
            self._words.add(entry_id, self._entry_words.changed(old, new)[1])
        if not self._found or entry_id not in self._entry_words.entries():
            return  # nothing kept, or not an entry yet: set_entry will test it
        # Its words only grew: an entry that matched still does.
        text = self._entry_words.text(entry_id)
        for words, found in self._found.items():
            if entry_id not in found and all(word in text for word in words):
                found.add(entry_id)

    def search(self, query: str, entry_ids: Iterable[str] | None = None) -> set[str]:
        """The ids, among ``entry_ids`` (default: all), whose text contains every query word."""
        words = terms(query)
        if not words:
            return set(self._entries() if entry_ids is None else entry_ids)
        # A word inside another ("dév" in "dével") adds nothing; the longest word rules out
        # the most entries, so it goes first.
        words.sort(key=len, reverse=True)
        kept: list[str] = []
        for word in words:
            if not any(word in longer for longer in kept):
                kept.append(word)
        key = tuple(sorted(kept))
        found = self._found.pop(key, None)
        wanted = None if entry_ids is None else set(entry_ids)
        if found is None:
            if wanted is not None and 2 * len(wanted) < len(self):
                # A small part of the notebook (one kind, one tag): scanning it is cheaper
                # than answering for every entry, and the answer is not worth keeping.
                return self._find(kept, wanted)
            found = self._find(kept, None)
            if len(self._found) >= _REMEMBERED:
                del self._found[next(iter(self._found))]
        self._found[key] = found
        return set(found) if wanted is None else found & wanted

    def _find(self, words: list[str], among: set[str] | None) -> set[str]:
        """The entries, among ``among`` (default: all indexed), whose text holds every word:
        those the word index finds, the words it cannot answer for tested on their words."""
        if self._text is not None:
            return self._scan(words, among)
        if self._words is None:
            self._words = WordIndex(self._entry_words, self._entry_words.entries())
        bits = -1  # every slot
        tested: list[str] = []
        for word in words:
            holding = self._words.holding(word)
            if holding is None:
                tested.append(word)
            else:
                bits &= holding
        entries = self._entry_words.entries()
        if len(tested) == len(words):
            found = set(entries) if among is None else {i for i in among if i in entries}
        else:
            found = self._words.found(bits)
            if among is not None:
                found &= among
        for word in tested:
            numbers, holds_any = self._entry_words.matching(word), self._entry_words.holds_any
            found = {i for i in found if holds_any(i, numbers)}
        return found

    def _scan(self, words: list[str], among: set[str] | None) -> set[str]:
        """The entries, among ``among`` (default: all indexed), whose text (``from_texts``)
        holds every word."""
        candidates: Collection[str] = self._own_length if among is None else among
        known: set[str] = set()
        for kept_words, found in self._found.items():
            # An entry with every query word has every word of a kept query whose words
            # each lie inside one of them: only that query's entries need a look.
            if len(found) < len(candidates) and all(
                any(part in word for word in words) for part in kept_words
            ):
                candidates = found
            # Conversely, a kept query with a word around each query word: its entries
            # match without a look.
            if len(found) > len(known) and all(
                any(word in whole for whole in kept_words) for word in words
            ):
                known = found
        text = self._text
        assert text is not None
        if among is not None:
            known = known & among
            indexed = self._own_length
            candidates = [i for i in candidates if i in among and i in indexed]
        matches = set(known)
        if len(words) == 1:
            word = words[0]
            matches.update(i for i in candidates if i not in known and word in text[i])
            return matches
        # Every word against one entry before the next entry: its text is still in the CPU's
        # cache; one pass per word over all entries is a third slower at 10,000 entries.
        for entry_id in candidates:
            if entry_id in known:
                continue
            entry_text = text[entry_id]
            for word in words:
                if word not in entry_text:
                    break
            else:
                matches.add(entry_id)
        return matches
