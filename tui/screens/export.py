"""Export the notebook as a commented synthesis: choose a format and a file, then write it,
with a progress bar while a large one is written."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, ProgressBar, Select, Static

from store.errors import CarnetError
from store.i18n import N_, _
from store.notebook import EntryFilter, Notebook
from store.progress import reporting
from tui.messages import WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog
from tui.screens.failures import ReportsFailures
from tui.screens.loading import threaded_progress
from tui.widgets.filter_bar import is_filtering

SUFFIXES = {"html": ".html", "md": ".md"}


class ExportScreen(TranslatedKeys, ReportsFailures, Dialog[Path | None]):
    """Ask for a format and a file; write the synthesis of the entries shown, in a thread."""

    BINDINGS = [
        Binding("escape", "close", N_("Cancel"), id="export.cancel"),
        Binding("ctrl+s", "write", N_("Write the file"), id="export.write"),
    ]

    DEFAULT_CSS = """
    ExportScreen > #dialog {
        width: 76;
        max-width: 95%;
        height: auto;
        padding: 1 2;
        border: round $primary;
        border-title-style: bold;
    }
    ExportScreen .hint {
        color: $text-muted;
        margin-bottom: 1;
    }
    ExportScreen #error {
        color: $error;
        height: auto;
    }
    ExportScreen #progress {
        display: none;
        height: auto;
        margin-bottom: 1;
    }
    ExportScreen #progress.-counting {
        display: block;
    }
    ExportScreen #buttons {
        width: 100%;
        height: auto;
        align-horizontal: right;
    }
    ExportScreen Button {
        margin-left: 2;
    }
    """

    class Written(Message, bubble=False):
        """The synthesis was written to ``path``."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, notebook: Notebook, criteria: EntryFilter) -> None:
        super().__init__()
        self.notebook = notebook
        self.criteria = criteria

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Export the synthesis")
            yield Static(
                _("The notebook read objective by objective, with stances and comments."),
                classes="hint",
            )
            yield Select(
                [(_("Web page (HTML), to read or print"), "html"), (_("Markdown text"), "md")],
                value="html",
                allow_blank=False,
                id="format",
            )
            yield Input(str(Path.cwd() / "synthese.html"), id="path")
            if is_filtering(self.criteria):
                yield Static(_("Only the entries shown now (filters in force)."), classes="hint")
            yield Static(id="error")
            with Vertical(id="progress"):
                yield Static(_("Writing the synthesis"), classes="hint")
                yield ProgressBar(id="export-bar", show_eta=False)
            with Horizontal(id="buttons"):
                yield Button(_("Write the file"), variant="primary", id="write")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Keep the file name's suffix in step with the format, unless the participant chose one.
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value)
        if path.suffix in SUFFIXES.values() and isinstance(event.value, str):
            path_input.value = str(path.with_suffix(SUFFIXES[event.value]))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        """Write the synthesis to the chosen file."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._show_error(_("Give the name of the file to write."))
            return
        fmt = self.query_one("#format", Select).value
        self.query_one("#write", Button).disabled = True
        self._show_error("")
        self._write(Path(text).expanduser(), str(fmt))

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        """Leave without writing anything."""
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, path: Path, fmt: str) -> None:
        # Imported here: the report's Markdown renderer is not needed to open the screen.
        from store.report import render

        try:
            with reporting(threaded_progress(self)):
                document = render(self.notebook, fmt=fmt, criteria=self.criteria)
            path.write_text(document, encoding="utf-8")
        except CarnetError as error:
            self.post_message(WorkFailed(str(error)))
        except OSError as error:
            self.post_message(
                WorkFailed(
                    _("Cannot write {path}: {reason}").format(path=path, reason=error.strerror)
                )
            )
        else:
            self.post_message(self.Written(path))

    def show_progress(self, done: int, total: int) -> None:
        """Move the bar to ``done`` entries of ``total`` (shown from the first report on)."""
        if not self.is_attached:  # closed while the synthesis is written: it still is
            return
        self.query_one("#progress").add_class("-counting")
        self.query_one("#export-bar", ProgressBar).update(total=total, progress=done)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.app.notify(
            _("Synthesis written to {path}").format(path=message.path), markup=False, timeout=8
        )
        self.dismiss(message.path)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.query_one("#write", Button).disabled = False
        self.query_one("#progress").remove_class("-counting")
        self._show_error(message.reason)

    def _show_error(self, reason: str) -> None:
        self.query_one("#error", Static).update(Content(reason))
