"""Messages that cross the app: results of background work coming back to the screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from store.model import Entry

if TYPE_CHECKING:  # store.sync loads GitPython: only the type checker reads it here
    from store.notebook import EntryFilter
    from store.sync import SyncReport, SyncStatus


@dataclass
class SyncStarted(Message):
    """A sync began in the background."""


@dataclass
class SyncFinished(Message):
    """A sync ended well; ``report`` says what came in and went out."""

    report: SyncReport


@dataclass
class SyncFailed(Message):
    """A sync failed; ``error`` says why in plain words; ``usual``: for a reason the status bar
    shows anyway (offline, no shared remote), not worth a notification of its own."""

    error: str
    usual: bool = False


@dataclass
class NotebookChanged(Message, bubble=False):
    """A sync brought others' changes: a screen open over the list checks what it holds.

    Posted by the app to each screen above the review screen, which handles it or not.
    """


@dataclass
class SyncStatusRead(Message):
    """The sync state was read again."""

    status: SyncStatus


@dataclass
class ActionDone(Message):
    """A participant action (read, stance, status...) was saved; ``notice`` tells them so."""

    entry_id: str | None
    notice: str | None


@dataclass
class ActionFailed(Message):
    """A participant action could not be saved; ``error`` says why and what to do."""

    error: str


@dataclass
class EntriesFiltered(Message):
    """The entries matching ``criteria``, computed in the background."""

    criteria: EntryFilter
    entries: list[Entry]


@dataclass
class WorkFailed(Message, bubble=False):
    """A screen's background work (a save, a read) failed; ``reason`` says why in plain words.

    Posted by the screen's worker to the screen itself, which handles it.
    """

    reason: str
