"""The meetings: their list, « Préparer une réunion », and the agenda put in order.

Every change is asked of the app's one action runner (``ActionAsked``), as the review
screen's are; the screen shows the meeting the runner hands back when it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from store.display import local_day
from store.errors import NotFoundError
from store.i18n import N_, _
from store.labels import status_label
from store.model import AgendaItem, Meeting
from store.notebook import Notebook
from store.text import safe_line
from tui.messages import ActionAsked, ActionDone, NotebookChanged
from tui.screens.meeting import MeetingDialog, MeetingScreen, MeetingWork


def selected_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the table's cursor (None: the table is empty)."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


class MeetingsScreen(MeetingWork):
    """Every meeting, the newest day first: prepare one, put its agenda in order, hold it."""

    BINDINGS = [
        Binding("escape,q", "close", N_("Back"), id="meetings.close"),
        Binding("n", "new", N_("Prepare a meeting"), id="meetings.new"),
        Binding("a", "agenda", N_("Agenda"), id="meetings.agenda"),
        Binding("enter", "hold", N_("Hold the meeting"), id="meetings.hold"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Meetings")), classes="screen-title")
        yield DataTable(id="meeting-list", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.add_columns(_("Day"), _("Title"), _("Place"), _("Agenda"), _("State"))
        self.reload()
        table.focus()

    def reload(self, select: str | None = None) -> None:
        """Show the meetings as the notebook has them now, the cursor on ``select``."""
        table: DataTable[Text] = self.query_one(DataTable)
        keep = select or selected_key(table)
        table.clear()
        for meeting in self.notebook.meetings():
            state = _("closed") if meeting.is_closed else _("to hold")
            table.add_row(
                Text(local_day(meeting.day)), Text(safe_line(meeting.title)),
                Text(safe_line(meeting.place)),
                Text(str(len(meeting.agenda))), Text(state), key=meeting.id,
            )  # fmt: skip
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    @property
    def current_id(self) -> str | None:
        """The meeting under the cursor."""
        return selected_key(self.query_one(DataTable))

    @on(NotebookChanged)
    def _changed(self) -> None:
        self.reload()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_hold()

    def on_action_done(self, done: ActionDone) -> None:
        meeting = done.result
        if isinstance(meeting, Meeting):
            self.reload(select=meeting.id)
            self.app.push_screen(AgendaScreen(self.notebook, meeting), lambda _: self.reload())

    def action_close(self) -> None:
        """Back to the entries."""
        self.dismiss()

    def action_new(self) -> None:
        """Plan a meeting: its day, title and place; its agenda is then prepared."""

        def planned(plan: MeetingPlan | None) -> None:
            if plan is None:
                return

            def run() -> Meeting:
                meeting = self.notebook.new_meeting(plan.day, plan.title, plan.place)
                return self.notebook.prepare_agenda(meeting.id)

            notice = _("Meeting prepared: {title}").format(title=safe_line(plan.title))
            self.app.post_message(ActionAsked(run, notice, requester=self))

        self.app.push_screen(NewMeetingScreen(), planned)

    def action_agenda(self) -> None:
        """Put the agenda of the meeting in order."""
        meeting_id = self.current_id
        if meeting_id is not None:
            meeting = self.notebook.meeting(meeting_id)
            self.app.push_screen(AgendaScreen(self.notebook, meeting), lambda _: self.reload())

    def action_hold(self) -> None:
        """Hold the meeting: one agenda item at a time, with its minutes."""
        meeting_id = self.current_id
        if meeting_id is not None:
            screen = MeetingScreen(self.notebook, self.notebook.meeting(meeting_id))
            self.app.push_screen(screen, lambda _: self.reload())


@dataclass(frozen=True)
class MeetingPlan:
    """What « Préparer une réunion » asks: the day, the title, the place."""

    day: str
    title: str
    place: str


class NewMeetingScreen(MeetingDialog[MeetingPlan | None]):
    """Ask for a new meeting's day (today by default), title and place."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Prepare a meeting")
            yield Label(_("Day (YYYY-MM-DD)"))
            yield Input(date.today().isoformat(), id="meeting-day")
            yield Label(_("Title"))
            yield Input(id="meeting-title")
            yield Label(_("Place"))
            yield Input(id="meeting-place")
            with Horizontal(id="buttons"):
                yield Button(_("Save"), variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#meeting-title", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Plan the meeting (the store says what is wrong with a day or a title)."""
        values = [self.query_one(f"#meeting-{name}", Input).value for name in MEETING_INPUTS]
        self.dismiss(MeetingPlan(*values))


MEETING_INPUTS = ("day", "title", "place")


class AgendaScreen(MeetingWork):
    """A meeting's agenda, put in order with keys; saved (one commit) on leaving."""

    BINDINGS = [
        Binding("escape", "close", N_("Save and go back"), id="agenda.close"),
        Binding("ctrl+up,minus", "move(-1)", N_("Move up"), id="agenda.up"),
        Binding("ctrl+down,plus", "move(1)", N_("Move down"), id="agenda.down"),
        Binding("delete,d", "remove", N_("Remove from the agenda"), id="agenda.remove"),
        Binding("p", "prepare", N_("Add the entries to discuss"), id="agenda.prepare"),
    ]

    def __init__(self, notebook: Notebook, meeting: Meeting) -> None:
        super().__init__(notebook)
        self.meeting = meeting
        self.order: list[str] = [item.entry for item in meeting.agenda]

    def compose(self) -> ComposeResult:
        title = f"{safe_line(self.meeting.title)} · {local_day(self.meeting.day)} · " + _("Agenda")
        yield Static(Content(title), classes="screen-title")
        yield DataTable(id="agenda-items", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.add_columns("#", _("Entry"), _("Status"), _("Status agreed"))
        self.draw()
        table.focus()

    def draw(self, select: int | None = None) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        row = table.cursor_row if select is None else select
        table.clear()
        items = {item.entry: item for item in self.meeting.agenda}
        for number, entry_id in enumerate(self.order, start=1):
            try:
                entry = self.notebook.entry(entry_id)
                title, status = safe_line(entry.title), status_label(entry.status)
            except NotFoundError:  # its file damaged by a peer
                title, status = "?", "-"
            agreed = items.get(entry_id, AgendaItem(entry_id)).status
            table.add_row(
                Text(str(number)), Text(title), Text(status),
                Text(status_label(agreed) if agreed else "-"), key=entry_id,
            )  # fmt: skip
        if self.order:
            table.move_cursor(row=max(0, min(row, len(self.order) - 1)))

    def on_action_done(self, done: ActionDone) -> None:
        if isinstance(done.result, Meeting):
            self.meeting = done.result
            self.order = [item.entry for item in self.meeting.agenda]
            self.draw()

    def action_move(self, by: int) -> None:
        """Move the item under the cursor up or down the agenda."""
        row = self.query_one(DataTable).cursor_row
        to = row + by
        if not self.order or not 0 <= to < len(self.order):
            return
        self.order[row], self.order[to] = self.order[to], self.order[row]
        self.draw(select=to)

    def action_remove(self) -> None:
        """Take the item under the cursor off the agenda."""
        if self.order:
            del self.order[self.query_one(DataTable).cursor_row]
            self.draw()

    def action_prepare(self) -> None:
        """Add the entries « à discuter » and those with an open decision."""
        self._save()
        meeting_id = self.meeting.id
        self.app.post_message(
            ActionAsked(lambda: self.notebook.prepare_agenda(meeting_id), requester=self)
        )

    def action_close(self) -> None:
        """Save the agenda as it is ordered, and go back."""
        self._save()
        self.dismiss()

    def _save(self) -> None:
        if self.order == [item.entry for item in self.meeting.agenda]:
            return
        meeting_id, order = self.meeting.id, list(self.order)
        notice = _("Agenda saved")
        self.app.post_message(
            ActionAsked(lambda: self.notebook.set_agenda(meeting_id, order), notice,
                        requester=self)
        )  # fmt: skip
