"""The two dialogs of a decision: putting an entry to one, and closing it with an outcome.

Each dismisses with what was written; the review screen asks the store, which refuses bad
input (a day already past, a decision already closed) with a line the participant is shown.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, RadioButton, RadioSet, Static, TextArea

from store.i18n import N_, _
from store.labels import status_label
from store.model import Entry
from store.schema import DECISION_OUTCOMES
from store.text import safe_line
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog

# A decision put to the group closes a week later unless its opener says otherwise.
DEFAULT_DAYS = 7

DIALOG_CSS = """
{name} > #dialog {{
    width: 80;
    max-width: 95%;
    height: auto;
    max-height: 90%;
    padding: 0 1;
    border: round $primary;
    border-title-style: bold;
}}
{name} .label {{
    margin-top: 1;
    color: $text-muted;
}}
{name} #entry-title {{
    height: auto;
    max-height: 2;
}}
"""


class DecisionDialog(TranslatedKeys, Dialog[tuple[str, str] | None]):
    """A dialog about the decision on ``entry``: dismisses with two values, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="decision.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="decision.cancel"),
    ]
    TITLE_TEXT = ""  # marked with N_: the dialog's border title

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _(self.TITLE_TEXT)
            yield Static(
                Content(_("On: {title}").format(title=safe_line(self.entry.title))),
                id="entry-title",
            )
            yield from self.fields()
        yield Footer()

    def fields(self) -> ComposeResult:
        """The dialog's own fields, under the entry's title."""
        raise NotImplementedError

    def values(self) -> tuple[str, str]:
        """What the participant wrote, as the dialog dismisses with it."""
        raise NotImplementedError

    def action_save(self) -> None:
        """Save what was written."""
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class OpenDecisionScreen(DecisionDialog):
    """Put the entry to a decision: a question and a closing day; dismisses with both."""

    DEFAULT_CSS = DIALOG_CSS.format(name="OpenDecisionScreen")
    TITLE_TEXT = N_("Put to a decision")

    def fields(self) -> ComposeResult:
        yield Static(_("The question put to the group (optional)"), classes="label")
        yield Input(placeholder=_("Do we carry this avenue forward?"), id="question")
        yield Static(_("Closing day (YYYY-MM-DD)"), classes="label")
        closes = (date.today() + timedelta(days=DEFAULT_DAYS)).isoformat()
        yield Input(closes, id="closes")
        yield Static(_("enter or ctrl+s: save · escape: cancel"), classes="label")

    def on_mount(self) -> None:
        self.query_one("#question", Input).focus()

    @on(Input.Submitted, "#question")
    def _question_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#closes", Input).focus()

    @on(Input.Submitted, "#closes")
    def _day_given(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def values(self) -> tuple[str, str]:
        """The question and the closing day."""
        return (
            self.query_one("#question", Input).value,
            self.query_one("#closes", Input).value.strip(),
        )


class CloseDecisionScreen(DecisionDialog):
    """Close the entry's decision: an outcome and a status; dismisses with both."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CloseDecisionScreen")
        + """
    CloseDecisionScreen #outcome {
        height: 8;
    }
    CloseDecisionScreen RadioSet {
        width: 100%;
        layout: horizontal;
    }
    """
    )
    TITLE_TEXT = N_("Close the decision")

    def fields(self) -> ComposeResult:
        question = self.entry.decision.question if self.entry.decision is not None else ""
        if question:
            yield Static(Content(safe_line(question)), classes="label")
        yield Static(_("What the group decided"), classes="label")
        yield TextArea(soft_wrap=True, id="outcome")
        yield Static(_("The entry's status from now on"), classes="label")
        with RadioSet(id="status"):
            for index, status in enumerate(DECISION_OUTCOMES):
                yield RadioButton(status_label(status), value=index == 0, id=f"status-{status}")
        yield Static(_("ctrl+s: close the decision · escape: cancel"), classes="label")

    def on_mount(self) -> None:
        self.query_one("#outcome", TextArea).focus()

    def values(self) -> tuple[str, str]:
        """The outcome and the status chosen (adopted or archived)."""
        pressed = self.query_one(RadioSet).pressed_index
        return (
            self.query_one("#outcome", TextArea).text,
            DECISION_OUTCOMES[max(pressed, 0)],
        )
