"""The files attached to an entry: listed, a new one attached by its path, opened with the
system's viewer, a copy saved elsewhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Static

from store import Notebook
from store.attachments import size_in_words
from store.display import local_time, participant_name, participant_names
from store.errors import CarnetError
from store.i18n import N_, _
from store.text import safe_line
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog


def viewer_command() -> list[str] | None:
    """The system's program that opens a file with its usual viewer (None: none found)."""
    name = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(name)
    return [found] if found is not None else None


class AttachmentsScreen(TranslatedKeys, Dialog[None]):
    """The attachments of one entry.

    Raises (on construction):
        NotFoundError: ``entry_id`` names no entry.
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="attachments.close"),
        Binding("a", "focus_path", N_("Attach a file"), id="attachments.attach"),
        Binding("o", "open", N_("Open"), id="attachments.open"),
        Binding("s", "save", N_("Save a copy"), id="attachments.save"),
    ]

    DEFAULT_CSS = """
    AttachmentsScreen > #dialog {
        width: 100%;
        max-width: 110;
        height: 100%;
        max-height: 30;
        margin: 1 2;
        padding: 0 1;
        border: round $primary;
        border-title-style: bold;
    }
    AttachmentsScreen #entry-title, AttachmentsScreen #message {
        height: auto;
        color: $text-muted;
    }
    AttachmentsScreen #files {
        height: 1fr;
    }
    """

    def __init__(self, notebook: Notebook, entry_id: str) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry = notebook.entry(entry_id)
        self.saving = False  # the path typed is where to save a copy, not a file to attach

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Attachments")
            yield Static(Content(safe_line(self.entry.title)), id="entry-title")
            yield DataTable[Text](cursor_type="row", zebra_stripes=True, id="files")
            yield Static(Content(""), id="message")
            yield Input(placeholder=_("Path of a file to attach"), id="path")
        yield Footer()

    def on_mount(self) -> None:
        self.fill_table()
        self.query_one("#files", DataTable).focus()

    def fill_table(self) -> None:
        table = self.query_one("#files", DataTable)
        names = participant_names(self.notebook.participants())
        table.clear(columns=True)
        for label in (_("Name"), _("Size"), _("Added by"), _("When")):
            table.add_column(label)
        attachments = self.notebook.attachments(self.entry.id)
        for attachment in attachments:
            table.add_row(
                Text(safe_line(attachment.name), style="bold"),
                Text(size_in_words(attachment.size)),
                Text(safe_line(participant_name(names, attachment.added_by))),
                Text(local_time(attachment.added)),
                key=attachment.sha256,
            )
        if not attachments:
            self.say(_("No attachment yet: press a to attach a file."))

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(Content(text))

    @property
    def chosen(self) -> str | None:
        """The hash of the attachment under the cursor (None: there is none)."""
        table = self.query_one("#files", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_focus_path(self) -> None:
        """Type the path of a file to attach."""
        self.saving = False
        path = self.query_one("#path", Input)
        path.placeholder = _("Path of a file to attach")
        path.focus()

    def action_save(self) -> None:
        """Type where to save a copy of the chosen attachment."""
        if self.chosen is None:
            self.say(_("No attachment to save."))
            return
        self.saving = True
        path = self.query_one("#path", Input)
        path.placeholder = _("Where to save the copy (a file, or a folder)")
        path.focus()

    @on(Input.Submitted, "#path")
    def _path_given(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        try:
            if self.saving and self.chosen is not None:
                saved = self.notebook.save_attachment(self.entry.id, self.chosen, path)
                self.say(_("Saved: {path}").format(path=saved))
            else:
                attached = self.notebook.attach(self.entry.id, path)
                self.fill_table()
                self.say(_("Attached: {name}").format(name=safe_line(attached.name)))
        except CarnetError as error:
            self.say(str(error))
            return
        event.input.value = ""
        self.saving = False
        self.query_one("#files", DataTable).focus()

    def action_open(self) -> None:
        """Open the chosen attachment with the system's viewer, in the background."""
        if self.chosen is None:
            self.say(_("No attachment to open."))
            return
        command = viewer_command()
        if command is None:
            self.say(_("No viewer found on this system: save a copy with s."))
            return
        try:
            path = self.notebook.attachment_file(self.entry.id, self.chosen)
            subprocess.Popen(  # noqa: S603  # the system's viewer, on a file of the notebook
                [*command, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except CarnetError as error:
            self.say(str(error))
        except OSError as error:
            self.say(str(error.strerror or error))
        else:
            self.say(_("Opened with the system's viewer."))

    def action_close(self) -> None:
        """Close the attachments."""
        self.dismiss(None)
