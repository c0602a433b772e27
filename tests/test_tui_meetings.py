"""The meeting screens driven by keyboard against a real notebook: prepare, order, hold, close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, SelectionList, TextArea
from tuitools import settle

from store import Notebook
from tui.actions import ActionRunner
from tui.app import CarnetApp
from tui.screens.choice import ChoiceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.meeting import AttendeesScreen, MeetingScreen
from tui.screens.meetings import AgendaScreen, MeetingsScreen, NewMeetingScreen
from tui.widgets.entry_view import EntryView


class Host(ActionRunner, App[None]):
    """A bare app that opens one screen and runs its actions."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


def _entries(notebook: Notebook) -> tuple[str, str]:
    first = notebook.add_entry("proposal", "Jumelage des maisons de quartier", "Deux maisons.",
                               status="discuss")  # fmt: skip
    second = notebook.add_entry("proposal", "Fiche commune", status="discuss")
    return first.id, second.id


async def test_preparing_a_meeting_builds_its_agenda_and_orders_it(notebook: Notebook) -> None:
    first, second = _entries(notebook)
    app = Host(lambda: MeetingsScreen(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, NewMeetingScreen)
        assert app.screen.query_one("#meeting-day", Input).value == date.today().isoformat()
        await pilot.press(*"Mi-parcours")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert app.screen.order == [first, second]
        await pilot.press("ctrl+down")  # the first item goes down
        assert app.screen.order == [second, first]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MeetingsScreen)
        assert app.screen.query_one(DataTable).row_count == 1
    (meeting,) = notebook.meetings()
    assert meeting.title == "Mi-parcours" and meeting.day == date.today().isoformat()
    assert [item.entry for item in meeting.agenda] == [second, first]


async def test_an_invalid_day_is_told_and_nothing_is_saved(notebook: Notebook) -> None:
    app = Host(lambda: MeetingsScreen(notebook))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        app.screen.query_one("#meeting-day", Input).value = "2005-13-40"
        app.screen.query_one("#meeting-title", Input).value = "Réunion"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MeetingsScreen)
        assert any("n'est pas une date" in n.message for n in app._notifications)
    assert notebook.meetings() == []


async def test_holding_a_meeting_item_by_item_then_closing_it(notebook: Notebook) -> None:
    first, second = _entries(notebook)
    meeting = notebook.prepare_agenda(notebook.new_meeting("2005-06-02", "Mi-parcours").id)
    app = Host(lambda: MeetingScreen(notebook, meeting))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert any(
            "Jumelage des maisons" in line for line in screen.query_one(EntryView).text_lines()
        )
        await pilot.press(*"Accord")
        await pilot.press("ctrl+down")  # the minutes are saved, the next item shown
        await settle(pilot)
        assert any("Fiche commune" in line for line in screen.query_one(EntryView).text_lines())
        assert screen.query_one(TextArea).text == ""
        await pilot.press("f2")  # the status agreed
        assert isinstance(app.screen, ChoiceScreen)
        options = app.screen.query_one(OptionList)
        options.highlighted = [o.id for o in options.options].index("archived")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f3")  # who attends
        assert isinstance(app.screen, AttendeesScreen)
        app.screen.query_one(SelectionList).select_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+up")
        assert screen.query_one(TextArea).text == "Accord"
        await pilot.press("f8")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    closed = notebook.meeting(meeting.id)
    assert closed.is_closed and closed.attendees == (notebook.me,)
    assert [(i.entry, i.minutes, i.status) for i in closed.agenda] == [
        (first, "Accord", None), (second, "", "archived")
    ]  # fmt: skip
    assert notebook.entry(second).status == "archived"
    assert notebook.entry(first).status == "discuss"


async def test_the_palette_opens_the_meetings(notebook: Notebook) -> None:
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Réunions" in commands
        commands["Réunions"].callback()
        await pilot.pause()
        assert isinstance(app.screen, MeetingsScreen)
