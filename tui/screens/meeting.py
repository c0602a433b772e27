"""A meeting being held: one agenda item at a time, its entry, its minutes, the status agreed.

The minutes of an item are saved when the participant moves to another item, leaves, or
presses the save key; every change goes through the app's one action runner.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, SelectionList, Static, TextArea

from store.display import local_day, participant_name, participant_names
from store.errors import NotFoundError
from store.i18n import N_, _
from store.labels import status_label
from store.model import STATUSES, AgendaItem, Meeting
from store.notebook import Notebook
from store.text import safe_line
from tui.messages import ActionAsked, ActionDone, NotebookChanged, WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.choice import ChoiceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.dialog import Dialog
from tui.screens.failures import ReportsFailures
from tui.views import entry_details
from tui.widgets.entry_view import EntryView

NO_STATUS = "-"  # the choice of no status agreed (an option needs an id)
Result = TypeVar("Result")


class MeetingWork(TranslatedKeys, ReportsFailures, Screen[None]):
    """The base of the meeting screens: a title line, the notebook, failures told."""

    DEFAULT_CSS = """
    MeetingWork .screen-title {
        height: auto;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    MeetingWork DataTable {
        height: 1fr;
    }
    """

    def __init__(self, notebook: Notebook) -> None:
        super().__init__()
        self.notebook = notebook

    def on_work_failed(self, failed: WorkFailed) -> None:
        self.notify(failed.reason, title=_("Not saved"), severity="error", markup=False)


class MeetingDialog(TranslatedKeys, Dialog[Result]):
    """The base of the meeting dialogs: a form saved with its key, or cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="meeting-dialog.cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="meeting-dialog.save", priority=True),
    ]

    DEFAULT_CSS = """
    MeetingDialog > #dialog {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: thick $primary;
    }
    MeetingDialog #buttons {
        height: auto;
        align-horizontal: right;
    }
    """

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)


class MeetingScreen(MeetingWork):
    """One meeting, held item by item: the entry with its thread and stances beside the
    minutes being written."""

    BINDINGS = [
        Binding("escape", "close", N_("Save and go back"), id="meeting.close"),
        Binding("ctrl+down", "step(1)", N_("Next item"), id="meeting.next", priority=True),
        Binding("ctrl+up", "step(-1)", N_("Previous item"), id="meeting.previous",
                priority=True),
        Binding("ctrl+s", "save", N_("Save the minutes"), id="meeting.save", priority=True),
        Binding("f2", "agree", N_("Status agreed"), id="meeting.agree"),
        Binding("f3", "attendees", N_("Attendees"), id="meeting.attendees"),
        Binding("f8", "close_meeting", N_("Close the meeting"), id="meeting.close-meeting"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    MeetingScreen #item-header {
        height: auto;
        padding: 0 1;
    }
    MeetingScreen #item-panes {
        height: 1fr;
    }
    MeetingScreen EntryView {
        width: 55%;
        border-right: vkey $primary 50%;
    }
    MeetingScreen #minutes {
        width: 1fr;
    }
    """

    def __init__(self, notebook: Notebook, meeting: Meeting) -> None:
        super().__init__(notebook)
        self.meeting = meeting
        self.position = 0
        # The minutes written here, by entry, until the meeting handed back holds them.
        self.drafts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="meeting-header", classes="screen-title")
        yield Static(id="item-header")
        with Horizontal(id="item-panes"):
            yield EntryView()
            yield TextArea(id="minutes", read_only=self.meeting.is_closed)
        yield Footer()

    def on_mount(self) -> None:
        self.show_item()

    @property
    def item(self) -> AgendaItem | None:
        """The agenda item shown."""
        agenda = self.meeting.agenda
        return agenda[self.position] if 0 <= self.position < len(agenda) else None

    @property
    def changed(self) -> bool:
        """Whether minutes written here are not saved yet (the app asks before quitting)."""
        item = self.item
        return item is not None and self.query_one(TextArea).text != item.minutes

    def show_item(self) -> None:
        """Draw the meeting's header, and the item at ``position`` with its minutes."""
        self._draw_headers()
        item = self.item
        view = self.query_one(EntryView)
        minutes = self.query_one(TextArea)
        if item is None:
            view.show(None, empty_hint=_("The agenda is empty."))
            minutes.load_text("")
            return
        self._show_entry(item.entry)
        minutes.load_text(self.drafts.get(item.entry, item.minutes))
        minutes.focus()

    def _show_entry(self, entry_id: str) -> None:
        view = self.query_one(EntryView)
        try:
            view.show(entry_details(self.notebook, entry_id))
        except NotFoundError as error:  # its file damaged by a peer: the minutes still work
            view.show(None, empty_hint=str(error))

    def _draw_headers(self) -> None:
        meeting = self.meeting
        names = participant_names(self.notebook.participants())
        attendees = ", ".join(participant_name(names, p) for p in meeting.attendees) or "-"
        parts = [safe_line(meeting.title), local_day(meeting.day)]
        if meeting.place:
            parts.append(safe_line(meeting.place))
        parts.append(_("Attendees: {names}").format(names=attendees))
        if meeting.is_closed:
            parts.append(_("closed"))
        self.query_one("#meeting-header", Static).update(Content(" · ".join(parts)))
        item = self.item
        if item is None:
            line = _("The agenda is empty.")
        else:
            agreed = status_label(item.status) if item.status else "-"
            line = _("Item {number} of {count} · status agreed: {status}").format(
                number=self.position + 1, count=len(meeting.agenda), status=agreed
            )
        self.query_one("#item-header", Static).update(Content(line))

    # --- the runner's answers --------------------------------------------------------------

    def _act(self, run: Any, notice: str | None = None) -> None:
        self.app.post_message(ActionAsked(run, notice, requester=self))

    def on_action_done(self, done: ActionDone) -> None:
        if isinstance(done.result, Meeting):
            self.meeting = done.result
            for item in self.meeting.agenda:
                if self.drafts.get(item.entry) == item.minutes:
                    del self.drafts[item.entry]
            self._draw_headers()
            if self.meeting.is_closed:
                self.notify(_("Meeting closed: the statuses agreed are applied"), markup=False)
                self.dismiss()

    @on(NotebookChanged)
    def _notebook_changed(self) -> None:
        # What a sync brought shows at once, minutes being written excepted.
        self.meeting = self.notebook.meeting(self.meeting.id)
        self._draw_headers()
        item = self.item
        if item is not None:
            self._show_entry(item.entry)

    # --- actions ---------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the minutes of this item."""
        item = self.item
        if item is None or self.meeting.is_closed:
            return
        text = self.query_one(TextArea).text
        if text == self.drafts.get(item.entry, item.minutes):
            return  # saved, or being saved
        self.drafts[item.entry] = text
        meeting_id, entry_id = self.meeting.id, item.entry
        self._act(lambda: self.notebook.note_minutes(meeting_id, entry_id, text),
                  _("Minutes saved"))  # fmt: skip

    def action_step(self, by: int) -> None:
        """Go to the next (or previous) item of the agenda; the minutes written are saved."""
        to = self.position + by
        if not 0 <= to < len(self.meeting.agenda):
            return
        self.action_save()
        self.position = to
        self.show_item()

    def action_agree(self) -> None:
        """Choose the status the meeting agreed for this entry (applied on closing)."""
        item = self.item
        if item is None or self.meeting.is_closed:
            return
        meeting_id, entry_id = self.meeting.id, item.entry

        def chosen(status: str | None) -> None:
            if status is None:
                return
            agreed = None if status == NO_STATUS else status
            self._act(lambda: self.notebook.agree(meeting_id, entry_id, agreed))

        choices = [(NO_STATUS, Text(_("No change")))]
        choices += [(status, Text(status_label(status))) for status in STATUSES]
        self.app.push_screen(
            ChoiceScreen(_("Status agreed for this entry"), choices, item.status or NO_STATUS),
            chosen,
        )

    def action_attendees(self) -> None:
        """Say who attends the meeting."""
        if self.meeting.is_closed:
            return
        meeting_id = self.meeting.id

        def chosen(attendees: list[str] | None) -> None:
            if attendees is not None:
                self._act(lambda: self.notebook.set_attendees(meeting_id, attendees))

        self.app.push_screen(AttendeesScreen(self.notebook, self.meeting), chosen)

    def action_close_meeting(self) -> None:
        """Close the meeting, after a confirmation: the statuses agreed are applied."""
        if self.meeting.is_closed:
            return
        self.action_save()
        meeting_id = self.meeting.id

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(lambda: self.notebook.close_meeting(meeting_id))

        question = _("Close the meeting and apply the statuses agreed to the entries?")
        self.app.push_screen(ConfirmScreen(question), answered)

    def action_close(self) -> None:
        """Save the minutes written, and go back to the meetings."""
        self.action_save()
        self.dismiss()


class AttendeesScreen(MeetingDialog[list[str] | None]):
    """Tick the participants who attend the meeting."""

    def __init__(self, notebook: Notebook, meeting: Meeting) -> None:
        super().__init__()
        self.notebook = notebook
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Attendees")
            yield SelectionList[str](
                *(
                    (Text(safe_line(p.name)), p.id, p.id in self.meeting.attendees)
                    for p in self.notebook.participants()
                ),
                id="attendees",
            )
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Save who attends."""
        self.dismiss(list(self.query_one(SelectionList).selected))
