"""Links: ``[[Titre de l'entrée]]`` or ``[[#ABCD]]`` in a text refers to another entry.

A title reads well as plain text (in a printed export, in ``git show``), and a short id stays
right when the title changes. Titles are matched with accents, case and runs of spaces
ignored: "[[charte  de Quartier]]" refers to « Charte de quartier ». Two entries
with the same title: the link refers to the older one (the first written keeps its name).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from store.model import Comment, Entry
from store.search import normalise

# No bracket and no line break inside: "[[a]] et [[b]]" is two links, "[[" alone none.
_LINK = re.compile(r"\[\[([^\[\]\n]{1,200})\]\]")
_SHORT_ID = re.compile(r"#([0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{4,26})")
# The last tables built, with what they were built from (see ``_same``).
_kept_titles: tuple[tuple[Entry, ...], dict[str, str]] = ((), {})
_kept_backlinks: tuple[tuple[object, ...], dict[str, list[str]]] = ((), {})


@dataclass(frozen=True)
class Link:
    """One reference in a text: what it says, where, and the entry it refers to (if any)."""

    text: str  # between the brackets, as written
    start: int  # where ``[[`` starts in the text
    end: int  # just after ``]]``
    target: str | None  # the entry's id; None when no entry has that title or id


def references(text: str) -> list[tuple[str, int, int]]:
    """What each ``[[…]]`` of ``text`` says, with where it starts and ends."""
    if "[[" not in text:
        return []
    return [(m.group(1), m.start(), m.end()) for m in _LINK.finditer(text)]


def titles(entries: Iterable[Entry]) -> Mapping[str, str]:
    """``{folded title: entry id}`` for resolving links, the older entry for a shared title.

    Folding every title costs a tenth of a second at 10,000 entries, and the entry view asks
    for each text it shows: the table is built once and kept until the entries change.
    """
    global _kept_titles  # one table for the entries as they are
    given = tuple(entries)
    kept, table = _kept_titles
    if not _same(given, kept):
        table = {}
        for entry in sorted(given, key=lambda e: (e.created, e.id)):
            table.setdefault(_fold(entry.title), entry.id)
        _kept_titles = (given, table)
    return table


def resolve(
    reference: str, entries: Mapping[str, Entry], by_title: Mapping[str, str]
) -> str | None:
    """The id of the entry ``reference`` (what is between the brackets) names, or None.

    Args:
        reference: ``#ABCD`` (a suffix of 4 or more characters of an id) or a title.
        entries: every entry by id, deleted ones included (a link to one says so).
        by_title: ``titles(entries.values())``.
    """
    wanted = reference.strip()
    short = _SHORT_ID.fullmatch(wanted)
    if short is not None:
        suffix = short.group(1).upper()
        if suffix in entries:
            return suffix
        found = [entry_id for entry_id in entries if entry_id.endswith(suffix)]
        return found[0] if len(found) == 1 else None
    return by_title.get(_fold(wanted))


def links(text: str, entries: Mapping[str, Entry], by_title: Mapping[str, str]) -> list[Link]:
    """Every link of ``text``, in order, each resolved (see ``resolve``)."""
    return [
        Link(said, start, end, resolve(said, entries, by_title))
        for said, start, end in references(text)
    ]


def cited(
    entry: Entry,
    comments: Iterable[Comment],
    entries: Mapping[str, Entry],
    by_title: Mapping[str, str],
) -> list[str]:
    """The ids of the entries that ``entry``'s body and its comments refer to, in order, once
    each; itself left out."""
    found: list[str] = []
    texts = [entry.body, *(c.body for c in comments if not c.deleted)]
    for text in texts:
        for link in links(text, entries, by_title):
            if link.target is not None and link.target != entry.id and link.target not in found:
                found.append(link.target)
    return found


def cited_by(
    entry_id: str,
    entries: Mapping[str, Entry],
    comments_of: Mapping[str, Iterable[Comment]],
    by_title: Mapping[str, str],
) -> list[str]:
    """The ids of the entries (not deleted) whose body or comments refer to ``entry_id``,
    oldest first: its backlinks.

    Every entry's are found in one pass over the texts (half a second at 10,000 entries),
    kept until an entry or a comment changes.
    """
    global _kept_backlinks  # one table for the texts as they are
    given = (by_title, *entries.values(), *(c for thread in comments_of.values() for c in thread))
    kept, table = _kept_backlinks
    if not _same(given, kept):
        table = _backlinks(entries, comments_of, by_title)
        _kept_backlinks = (given, table)
    return list(table.get(entry_id, ()))


def _backlinks(
    entries: Mapping[str, Entry],
    comments_of: Mapping[str, Iterable[Comment]],
    by_title: Mapping[str, str],
) -> dict[str, list[str]]:
    """Each entry's backlinks (see ``cited_by``), by the id of the entry cited."""
    found: dict[str, list[str]] = {}
    for other in sorted(entries.values(), key=lambda e: (e.created, e.id)):
        if other.deleted:
            continue
        comments = list(comments_of.get(other.id, ()))
        texts = [other.body, *(c.body for c in comments if not c.deleted)]
        if not any("[[" in text for text in texts):
            continue
        for target in cited(other, comments, entries, by_title):
            found.setdefault(target, []).append(other.id)
    return found


def _same(given: tuple[object, ...], kept: tuple[object, ...]) -> bool:
    """Whether ``given`` holds the very objects of ``kept``, in order (the model's objects
    are frozen: a change is a new object)."""
    return len(given) == len(kept) and all(map(operator.is_, given, kept))


def completions(prefix: str, entries: Iterable[Entry]) -> list[str]:
    """The titles (not deleted entries) that complete ``[[prefix``, shortest first.

    Accents and case are ignored ("charte" offers « Charte de quartier »); a title that only
    contains the words comes after those that start with them.
    """
    wanted = _fold(prefix)
    starting, containing = [], []
    for entry in entries:
        if entry.deleted:
            continue
        title = entry.title.strip()
        folded = _fold(title)
        if "[" in title or "]" in title or "\n" in title:
            continue  # a title a link cannot hold
        if folded.startswith(wanted):
            starting.append(title)
        elif wanted and wanted in folded:
            containing.append(title)
    key = lambda t: (len(t), _fold(t))  # noqa: E731
    return sorted(set(starting), key=key) + sorted(set(containing) - set(starting), key=key)


def _fold(text: str) -> str:
    return " ".join(normalise(text).split())
