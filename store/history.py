"""An entry's history you can read: per change, who, when, and what changed, field by field
(a word diff for texts); and an earlier version restored as a new edit.

Every version is read from git in one process (``LocalRepository.contents``), after the one
``git log`` that lists the changes: an entry with fifty changes costs two processes, not fifty.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.actions import NotebookActions
from store.display import field_value
from store.errors import InvalidInputError
from store.git.local import HistoryItem
from store.i18n import N_, _
from store.layout import document_path
from store.model import Document, Entry
from store.schema import ENTRY, Merge, Shown

EQUAL, ADDED, REMOVED = "equal", "added", "removed"

# What a change is about: the bookkeeping fields (who, when) change with every save.
COMPARED = tuple(f.name for f in ENTRY.fields if f.merge not in (Merge.FIXED, Merge.WINNER))
# The texts people write, shown word by word.
WORDED = tuple(
    f.name for f in ENTRY.fields if f.type is str and f.shown in (Shown.LINE, Shown.TEXT)
)
# A field's value in an entry that has none: a new entry's empty fields are no change.
_EMPTY = {f.name: f.empty for f in ENTRY.fields}
# What a restore brings back: what people change in an entry (its form, its deletion).
RESTORED = tuple(f.name for f in ENTRY.fields if f.editable)
# git's shortest abbreviation of a commit.
MIN_PREFIX = 4

_WORDS = re.compile(r"\s+|\S+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A run of words of a text diff: ``equal``, ``added`` or ``removed``."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field a change changed: its values before and after (None: no such version), and
    for a text, the words added and removed."""

    field: str
    before: Any
    after: Any
    words: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Change:
    """One commit that changed an entry: who (a participant's name, else git's author name),
    when (the commit's time), its message, and the fields it changed (none: the version could
    not be read)."""

    commit: str
    participant: str | None
    author: str
    time: str
    message: str
    fields: tuple[FieldChange, ...]


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """``before`` → ``after`` as runs of equal, removed and added words (spaces included, so
    that the equal and added runs together read as ``after``)."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, EQUAL, old[i1:i2])
            continue
        _append(segments, REMOVED, old[i1:i2])
        _append(segments, ADDED, new[j1:j2])
    return tuple(segments)


def shortened(segments: tuple[Segment, ...], context: int = 6) -> tuple[Segment, ...]:
    """A word diff cut to what changed, on one line: of each equal run, only the ``context``
    words next to a change are kept, the rest said by an ellipsis; newlines become spaces."""
    short = []
    for number, segment in enumerate(_one_line(s) for s in segments):
        if segment.kind != EQUAL:
            short.append(segment)
            continue
        words = _WORDS.findall(segment.text)
        keep = 2 * context  # words and the spaces between them
        first, last = number == 0, number == len(segments) - 1
        if len(words) <= keep * (1 if first or last else 2):
            short.append(segment)
            continue
        head = "" if first else "".join(words[:keep]).rstrip() + " "
        tail = "" if last else " " + "".join(words[-keep:]).lstrip()
        short.append(Segment(EQUAL, f"{head}…{tail}"))
    return tuple(short)


def _one_line(segment: Segment) -> Segment:
    return Segment(segment.kind, _SPACES.sub(" ", segment.text))


def _append(segments: list[Segment], kind: str, words: list[str]) -> None:
    text = "".join(words)
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def field_changes(before: Document | None, after: Document | None) -> tuple[FieldChange, ...]:
    """The fields that differ between two versions of an entry (None: there was none)."""
    changes = []
    for name in COMPARED:
        old = before.get(name) if before is not None else None
        new = after.get(name) if after is not None else None
        if old == new or (before is None and new == _EMPTY[name]):
            continue
        words: tuple[Segment, ...] = ()
        if name in WORDED and isinstance(new, str):
            words = word_diff(old if isinstance(old, str) else "", new)
        changes.append(FieldChange(name, old, new, words))
    return tuple(changes)


def value_words(changed: FieldChange, objectives: Mapping[int, str]) -> str:
    """The value a change gave a field that is not a text, in words (``objectives``: from
    ``objective_titles``); a record (conflicts, a decision) is only said to have changed."""
    rule = ENTRY.field(changed.field)
    if rule is not None and rule.shown is Shown.RECORDS:
        return _("(changed)")
    return field_value(changed.field, changed.after, objectives)


def _document(content: bytes | None) -> Document | None:
    """A version of an entry as stored, or None when there is none or it cannot be read."""
    if content is None:
        return None
    try:
        doc = json.loads(content)
    except (UnicodeDecodeError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


class NotebookHistory(NotebookActions):
    """The reads and the restore of an entry's history."""

    def changes(self, entry_id: str) -> list[Change]:
        """What each commit that changed the entry did, newest first.

        Raises:
            NotFoundError: no such entry.
        """
        path = document_path("entries", self.resolve_id(entry_id))
        items = self.repo.history(path)
        # Each version, and the one before it (its first parent's: what a merge brought in).
        names = [name for item in items for name in (f"{item.commit}:{path}",
                                                     f"{item.commit}^:{path}")]  # fmt: skip
        contents = self.repo.contents(names)
        by_email = {p.email.casefold(): p for p in self.participants()}
        found = []
        for number, item in enumerate(items):
            after = _document(contents[2 * number])
            before = _document(contents[2 * number + 1])
            who = by_email.get(item.email.casefold())
            found.append(
                Change(
                    commit=item.commit,
                    participant=who.id if who is not None else None,
                    author=who.name if who is not None else item.author,
                    time=item.time,
                    message=item.message,
                    fields=field_changes(before, after) if after is not None else (),
                )
            )
        return found

    def restore(self, entry_id: str, commit: str) -> Entry:
        """Make the entry as it was after ``commit`` again, as a new edit (nothing rewritten):
        its kind, title, text, objectives, tags, status and deletion, merged onto the entry as
        it is now like any edit. A deleted entry comes back by restoring a version before its
        deletion. ``commit`` may be abbreviated, as git allows (4 characters or more).

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: ``commit`` is not one of the entry's changes, or that version
                cannot be read.
        """
        full_id = self.resolve_id(entry_id)
        path = document_path("entries", full_id)
        item = _change_named(self.repo.history(path), commit)
        version = _document(self.repo.contents([f"{item.commit}:{path}"])[0])
        if version is None or not all(name in version for name in RESTORED):
            raise InvalidInputError(
                _("the version {commit} of this entry cannot be read").format(commit=commit)
            )
        current = self.entry(full_id)
        restored: dict[str, Any] = {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in ((name, version[name]) for name in RESTORED)
        }
        self._check_entry_fields(status=restored["status"], objectives=restored["objectives"])
        changes = {k: v for k, v in restored.items() if getattr(current, k) != v}
        if not changes:
            return current
        return self._update_entry(current, changes, N_("Restore an earlier version: {title}"))


def _change_named(items: list[HistoryItem], commit: str) -> HistoryItem:
    """The change whose commit is ``commit`` or starts with it (4+ characters).

    Raises:
        InvalidInputError: no change, or several, match.
    """
    wanted = commit.strip().lower()
    matches = (
        [item for item in items if item.commit.startswith(wanted)]
        if len(wanted) >= MIN_PREFIX and re.fullmatch(r"[0-9a-f]+", wanted)
        else []
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidInputError(
            _("“{commit}” names several changes of this entry; give more characters").format(
                commit=commit
            )
        )
    raise InvalidInputError(
        _("“{commit}” is not a change in this entry's history (carnet history lists them)").format(
            commit=commit
        )
    )
