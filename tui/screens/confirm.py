"""A yes-or-no question asked before something that cannot be undone."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from store.i18n import N_, _
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog


class ConfirmScreen(TranslatedKeys, Dialog[bool]):
    """Ask ``question``; dismiss with True for yes, False for no (escape also says no)."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("No"), id="confirm.no"),
        Binding("y,o", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("left", "app.focus_previous", N_("Previous button"), show=False, id="confirm.left"),
        Binding("right", "app.focus_next", N_("Next button"), show=False, id="confirm.right"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen > #dialog {
        width: 60;
        max-width: 90%;
        height: auto;
        padding: 1 2;
        border: thick $warning;
    }
    ConfirmScreen #question {
        width: 100%;
        margin-bottom: 1;
        text-style: bold;
    }
    ConfirmScreen #buttons {
        width: 100%;
        height: auto;
        align-horizontal: right;
    }
    ConfirmScreen Button {
        margin-left: 2;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(_("Yes"), variant="warning", id="yes")
                yield Button(_("No"), variant="primary", id="no")

    def on_mount(self) -> None:
        # "No" has the focus: a reflex press of Enter must not throw anything away.
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        """Answer the question."""
        self.dismiss(answer)
