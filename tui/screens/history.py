"""An entry's history: every commit that changed it, who made it and when."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from store import Notebook
from store.display import local_time
from store.errors import CarnetError
from store.git.local import HistoryItem
from store.i18n import N_, _, ngettext
from store.text import safe_line
from tui.messages import WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog
from tui.screens.failures import ReportsFailures


class HistoryScreen(TranslatedKeys, ReportsFailures, Dialog[None]):
    """The git log of one entry, newest first, dates in the local time zone.

    Raises (on construction):
        NotFoundError: ``entry_id`` names no entry.
    """

    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="history.close"),
    ]

    DEFAULT_CSS = """
    HistoryScreen > #dialog {
        width: 100%;
        max-width: 120;
        height: 100%;
        max-height: 36;
        margin: 1 2;
        padding: 0 1;
        border: round $primary;
        border-title-style: bold;
    }
    HistoryScreen #entry-title {
        height: auto;
        max-height: 2;
        color: $text-muted;
    }
    HistoryScreen #summary {
        height: auto;
        margin-bottom: 1;
        color: $text-muted;
    }
    HistoryScreen #commits {
        height: 1fr;
    }
    """

    class Loaded(Message, bubble=False):
        """The worker read the history."""

        def __init__(self, items: list[HistoryItem]) -> None:
            super().__init__()
            self.items = items

    def __init__(self, notebook: Notebook, entry_id: str) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry = notebook.entry(entry_id)
        self.items: list[HistoryItem] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("History")
            yield Static(Content(safe_line(self.entry.title)), id="entry-title")
            yield Static(Content(_("Reading the history…")), id="summary")
            yield DataTable[Text](cursor_type="row", zebra_stripes=True, id="commits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#commits", DataTable).focus()
        self._load()

    def on_resize(self) -> None:
        self.fill_table()

    @work(thread=True, exclusive=True, group="history-load", exit_on_error=False)
    def _load(self) -> None:
        # git log costs a few milliseconds to a few hundred on a long history: off the UI.
        try:
            items = self.notebook.history(self.entry.id)
        except CarnetError as error:
            self.post_message(WorkFailed(str(error)))
        except OSError as error:
            self.post_message(WorkFailed(str(error.strerror or error)))
        else:
            self.post_message(self.Loaded(items))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.items = message.items
        self.fill_table()
        count = len(message.items)
        self.query_one("#summary", Static).update(
            Content(
                ngettext("{count} change", "{count} changes", count).format(count=count)
                if count
                else _("No saved change yet.")
            )
        )

    def fill_table(self) -> None:
        """Show the commits, the last column cut to the width left so nothing scrolls sideways."""
        table = self.query_one("#commits", DataTable)
        # The participant's name from the notebook when the commit email is theirs.
        names = {p.email.lower(): p.name for p in self.notebook.participants()}
        rows = [
            (
                local_time(item.time),
                safe_line(names.get(item.email.lower(), item.author)),
                safe_line(item.message),
                item.commit,
            )
            for item in self.items
        ]
        when_width = max([len(_("When")), *(len(row[0]) for row in rows)])
        who_width = max([len(_("Who")), *(len(row[1]) for row in rows)])
        # Each column has one cell of padding on both sides, and the scrollbar takes two.
        what_width = max(20, table.size.width - when_width - who_width - 3 * 2 - 2)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column(_("When"), width=when_width, key="when")
        table.add_column(_("Who"), width=who_width, key="who")
        table.add_column(_("What"), width=what_width, key="what")
        for when, who, what, commit in rows:
            table.add_row(Text(when), Text(who, style="bold"), Text(what), key=commit)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#summary", Static).update(Content(message.reason))

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(None)
