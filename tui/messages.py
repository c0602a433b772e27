"""Messages that cross the app: results of background work coming back to the screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from store.notebook import EntryFilter
    from store.sync_result import SyncReport, SyncStatus
    from tui.views import EntryRows


@dataclass
class SyncStarted(Message):
    """A sync began in the background."""


@dataclass
class SyncFinished(Message):
    """A sync ended well; ``report`` says what came in and went out, ``conflicted`` how many
    entries have a conflict they did not have before (recorded by this merge or another's)."""

    report: SyncReport
    conflicted: int = 0


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
class ActionAsked(Message):
    """A participant asked for an action (a stance, a save, a comment...): the app's one
    ordered runner does ``run`` on the notebook, after the actions asked for before it.

    ``notice`` is said once it is saved; ``entry_id`` names the entry it changes;
    ``requester``, the screen told how it ended, with ``ActionDone`` or ``WorkFailed`` (a
    failure is notified instead if that screen is gone).
    """

    run: Callable[[], Any]
    notice: str | None = None
    entry_id: str | None = None
    requester: MessagePump | None = None


@dataclass
class ActionDone(Message, bubble=False):
    """An action was saved; ``result`` is what its ``run`` returned (an entry, a comment...)."""

    asked: ActionAsked
    result: Any


@dataclass
class ActionFailed(Message, bubble=False):
    """An action could not be saved; ``reason`` says why and what to do, in plain words."""

    asked: ActionAsked
    reason: str


@dataclass
class EntriesFiltered(Message):
    """The list's rows of the entries matching ``criteria``, computed in the background."""

    criteria: EntryFilter
    rows: EntryRows


@dataclass
class WorkFailed(Message, bubble=False):
    """A screen's background work (a save, a read) failed; ``reason`` says why in plain words.

    Posted to the screen that asked for the work (by its worker, or by the action runner),
    which handles it.
    """

    reason: str
