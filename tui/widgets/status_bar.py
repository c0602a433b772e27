"""The line under the list: unread count, sync state and the filter in force."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store.display import local_time
from store.i18n import _, ngettext
from store.sync_result import SyncStatus


def describe_sync(
    status: SyncStatus | None, *, running: bool, error: str | None
) -> tuple[str, str]:
    """Words (and a style) for the sync state from a ``SyncStatus``."""
    if running:
        return "⟳ " + _("syncing…"), "bold"
    if status is None:
        return (_("sync state unknown"), "dim") if error is None else ("⚠ " + error, "bold red")
    if not status.remote:
        return _("local notebook (no shared remote)"), "dim"
    parts: list[str] = []
    style = ""
    if error is not None:
        parts.append("⚠ " + _("last sync failed"))
        style = "bold red"
    elif status.offline:
        parts.append(_("offline"))
        style = "bold yellow"
    waiting = max(int(status.ahead or 0), int(status.unpushed or 0))
    if waiting:
        parts.append(
            "↑ " + ngettext("{count} to send", "{count} to send", waiting).format(count=waiting)
        )
    if status.behind:
        parts.append(
            "↓ "
            + ngettext("{count} to receive", "{count} to receive", status.behind).format(
                count=status.behind
            )
        )
    if status.conflicts:
        parts.append(
            "⚠ "
            + ngettext("{count} to resolve", "{count} to resolve", status.conflicts).format(
                count=status.conflicts
            )
        )
    if status.last_sync:
        parts.append(_("synced at {time}").format(time=local_time(status.last_sync)))
    else:
        parts.append(_("never synced"))
    return " · ".join(parts), style


class StatusBar(Static):
    """One line of facts about the notebook; it is redrawn, never waits on anything."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 — Textual's parameter
        super().__init__(id=id)
        self.unread: int | None = None  # not counted yet: the first frame comes first
        self.sync_words = ""
        self.sync_style = ""
        self.filter_words = ""
        self.notes: list[str] = []
        self._line: Text | None = None

    def show_state(
        self,
        *,
        unread: int | None = None,
        sync: tuple[str, str] | None = None,
        filter_words: str | None = None,
        notes: list[str] | None = None,
    ) -> None:
        """Change some of the facts shown and draw the line again."""
        if unread is not None:
            self.unread = unread
        if sync is not None:
            self.sync_words, self.sync_style = sync
        if filter_words is not None:
            self.filter_words = filter_words
        if notes is not None:
            self.notes = notes
        line = Text(no_wrap=True, overflow="ellipsis")
        parts: list[tuple[str, str]] = []
        if self.unread:
            words = ngettext("{count} unread", "{count} unread", self.unread)
            parts.append(("● " + words.format(count=self.unread), "bold"))
        elif self.unread == 0:
            parts.append((_("all read"), "dim"))
        if self.sync_words:
            parts.append((self.sync_words, self.sync_style))
        if self.filter_words:
            parts.append((self.filter_words, "italic"))
        parts.extend((note, "bold yellow") for note in self.notes)
        for words, style in parts:
            if line:
                line.append("  │  ", style="dim")
            line.append(words, style=style)
        # Most changes (a cursor step, a sync with nothing new) leave the words as they were:
        # drawing them again would cost a repaint of the line for nothing.
        if line != self._line:
            self._line = line
            self.update(line)
