"""An entry's history: every change, who made it and when, what it changed field by field (a
word diff for texts); a key restores the version highlighted, as a new edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from store import Notebook
from store.display import field_label, local_time, objective_titles
from store.errors import CarnetError
from store.history import ADDED, REMOVED, Change, value_words
from store.i18n import N_, _, ngettext
from store.notebook import EntryFilter
from store.text import safe_line, safe_text
from tui.messages import ActionAsked, ActionDone, WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.choice import ChoiceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dialog import Dialog
from tui.screens.failures import ReportsFailures

# How the words a change added and removed are shown.
WORD_STYLES = {ADDED: "bold green", REMOVED: "red strike"}


def change_text(change: Change, objectives: dict[int, str]) -> Text:
    """What a change did, field by field: a text's words added and removed, the new value of
    the others. Built as plain ``Text``: nothing people wrote is read as markup."""
    text = Text()
    for changed in change.fields:
        if text:
            text.append("\n")
        text.append(field_label(changed.field) + " : ", style="bold")
        if changed.words:
            for segment in changed.words:
                text.append(safe_text(segment.text), style=WORD_STYLES.get(segment.kind, ""))
        else:
            text.append(value_words(changed, objectives))
    if not change.fields:
        text.append(_("This version cannot be read."), style="italic")
    return text


class HistoryScreen(TranslatedKeys, ReportsFailures, Dialog[str | None]):
    """The changes of one entry, newest first, dates in the local time zone, and what the one
    highlighted did. Dismissed with the entry's id when a version was restored, else None.

    Raises (on construction):
        NotFoundError: ``entry_id`` names no entry.
    """

    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="history.close"),
        Binding("r", "restore", N_("Restore this version"), id="history.restore"),
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
    HistoryScreen #details {
        height: 1fr;
        border-top: solid $primary;
    }
    """

    class Loaded(Message, bubble=False):
        """The worker read the history."""

        def __init__(self, items: list[Change]) -> None:
            super().__init__()
            self.items = items

    def __init__(self, notebook: Notebook, entry_id: str) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry = notebook.entry(entry_id)
        self.items: list[Change] = []
        self.restored = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("History")
            yield Static(Content(safe_line(self.entry.title)), id="entry-title")
            yield Static(Content(_("Reading the history…")), id="summary")
            yield DataTable[Text](cursor_type="row", zebra_stripes=True, id="commits")
            with VerticalScroll(id="details"):
                yield Static(id="change")
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
            items = self.notebook.changes(self.entry.id)
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
        rows = [
            (
                local_time(item.time),
                safe_line(item.author),
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
        self._show_change()

    @on(DataTable.RowHighlighted, "#commits")
    def _show_change(self) -> None:
        row = self.query_one("#commits", DataTable).cursor_row
        change = self.items[row] if 0 <= row < len(self.items) else None
        objectives = objective_titles(self.notebook.info.objectives)
        self.query_one("#change", Static).update(
            change_text(change, objectives) if change is not None else Text()
        )

    def action_restore(self) -> None:
        """Make the entry as it was after the change highlighted again, as a new edit."""
        row = self.query_one("#commits", DataTable).cursor_row
        if not 0 <= row < len(self.items):
            return
        change = self.items[row]
        entry_id = self.entry.id

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(
                    ActionAsked(
                        lambda: self.notebook.restore(entry_id, change.commit),
                        _("Version restored"), entry_id, requester=self,
                    )
                )  # fmt: skip

        question = _(
            "Restore the version of {when} by {who}? It is saved as a new edit: nothing is lost."
        ).format(when=local_time(change.time), who=safe_line(change.author))
        self.app.push_screen(ConfirmScreen(question), answered)

    @on(ActionDone)
    def _restored(self) -> None:
        self.restored = True
        self.query_one("#commits", DataTable).move_cursor(row=0)  # the restore, once read again
        self._load()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#summary", Static).update(Content(message.reason))

    def action_close(self) -> None:
        """Close the history."""
        self.dismiss(self.entry.id if self.restored else None)


def open_deleted_entries(
    app: App[Any], notebook: Notebook, restored: Callable[[str], None]
) -> None:
    """Choose a deleted entry, then open its history, where a version before its deletion can
    be restored; ``restored`` is told the entry's id when one was."""
    deleted = [e for e in notebook.entries(EntryFilter(include_deleted=True)) if e.deleted]
    if not deleted:
        app.notify(_("No entry is deleted."), timeout=3)
        return

    def closed(entry_id: str | None) -> None:
        if entry_id is not None:
            restored(entry_id)

    def chosen(entry_id: str | None) -> None:
        if entry_id is not None:
            app.push_screen(HistoryScreen(notebook, entry_id), closed)

    choices = [(entry.id, Text(safe_line(entry.title))) for entry in reversed(deleted)]
    app.push_screen(ChoiceScreen(_("Deleted entries: whose history?"), choices), chosen)
