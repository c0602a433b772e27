"""A short list to choose from (a status, the comment to reply to, a language)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.i18n import N_, _
from tui.screens.dialog import Dialog


class ChoiceScreen(Dialog[str | None]):
    """Ask to pick one of ``choices`` (``(value, label)``); dismiss with the value, or None."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="choice.cancel"),
    ]

    def __init__(
        self, question: str, choices: list[tuple[str, Text]], current: str | None = None
    ) -> None:
        super().__init__()
        self.question = question
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(Text(self.question, style="bold"), id="choice-question")
            yield OptionList(
                *(Option(label, id=value) for value, label in self.choices), id="choice-options"
            )
            yield Static(Text(_("enter: choose · escape: cancel"), style="dim"), id="choice-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _label in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
