"""Every key of the review screen, in the current language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from store.i18n import N_, _


class HelpScreen(ModalScreen[None]):
    """The key map: ``sections`` are ``(title, [(keys, description)])``, already translated."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", N_("Close"), id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text(_("Carnet: keys"), style="bold"), id="help-title")
            with VerticalScroll(id="help-keys"):
                for title, keys in self.sections:
                    table = Table(
                        title=Text(title, style="bold"),
                        title_justify="left",
                        show_header=False,
                        box=None,
                        padding=(0, 1),
                        expand=True,
                    )
                    table.add_column(style="bold", no_wrap=True, min_width=14)
                    table.add_column(ratio=1)
                    for key, description in keys:
                        table.add_row(Text(key), Text(description))
                    yield Static(table, classes="help-section")
            yield Static(
                Text(
                    _(
                        "ctrl+p opens every command by name. The mouse works too: click an "
                        "entry, double-click to read it. escape or ? closes this help."
                    ),
                    style="dim",
                ),
                id="help-hint",
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
