"""Decisions in the review screen: shown on the entry and in the list, opened, closed, listed."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioButton, TextArea
from tui_data import review_notebook
from tuitools import settle

from store import Entry, Notebook
from store.display import local_day
from tui.app import CarnetApp
from tui.screens.choice import ChoiceScreen
from tui.screens.decision_dialogs import CloseDecisionScreen, OpenDecisionScreen
from tui.screens.help import HelpScreen
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView
from tui.widgets.status_bar import StatusBar

SIZE = (120, 40)
QUESTION = "Retenons-nous les maisons de quartier ?"


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    """The review notebook, its first entry (Anne's, on Lyon) put to a decision for 3 days,
    with Anne agreeing and Paul asking a question."""
    notebook = review_notebook(tmp_path / "carnet")
    first = notebook.entries()[0]
    notebook.open_decision(first.id, in_days(3), QUESTION)
    people = {p.name: p.id for p in notebook.participants()}
    with notebook.acting_as(people["Anne Martin"]):
        notebook.set_stance(first.id, "agree")
    with notebook.acting_as(people["Paul Roy"]):
        notebook.set_stance(first.id, "question")
    yield notebook
    notebook.close()


def shown_text(app: CarnetApp) -> str:
    """The entry shown, its lines joined by single spaces (lines wrap at the view's width)."""
    return " ".join(" ".join(app.review.query_one(EntryView).text_lines()).split())


def list_line(app: CarnetApp, position: int) -> str:
    return app.review.query_one(EntryList).render_line(position + 1).text


def notices(app: CarnetApp) -> str:
    return " ".join(n.message for n in app._notifications)


def closed_decision(nb: Notebook) -> Entry:
    """The third entry, put to a decision and closed (« Fait. »)."""
    closed = nb.entries()[2]
    nb.open_decision(closed.id, in_days(1))
    nb.close_decision(closed.id, "Fait.")
    return closed


def lyon(nb: Notebook) -> str:
    return nb.entries()[0].id


@contextlib.asynccontextmanager
async def review(
    nb: Notebook, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[CarnetApp, Pilot[None]]]:
    """The review screen over ``nb``, started and its first entry drawn."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 0.2)
        yield app, pilot


async def select(app: CarnetApp, pilot: Pilot[None], entry_id: str) -> None:
    app.review.query_one(EntryList).select(entry_id)
    await settle(pilot, 0.2)


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press ``keys`` and let the screen they open come up."""
    await pilot.press(*keys)
    await pilot.pause()


async def refused(app: CarnetApp, pilot: Pilot[None], key: str, line: str) -> None:
    """``key`` opens no dialog, and says why in the store's words."""
    await press(pilot, key)
    assert app.screen is app.review
    assert line in notices(app)


async def test_an_open_decision_shows_its_question_time_left_counts_and_who_is_missing(
    nb: Notebook,
) -> None:
    async with review(nb) as (app, pilot):
        text = shown_text(app)
        assert QUESTION in text
        assert "clôture dans 3 jours" in text
        assert f"date de clôture {local_day(in_days(3))}" in text
        assert "1 d'accord · 1 question" in text and "0 en désaccord" not in text
        assert "d'accord : Anne Martin" in text
        # Names, not ids: the test participant alone has not answered.
        me = nb.me_participant
        assert me is not None
        assert f"N'ont pas encore répondu : {me.name}" in text


async def test_a_decision_closing_today_says_so(nb: Notebook) -> None:
    entry = nb.entries()[1]
    nb.open_decision(entry.id, in_days(0))
    async with review(nb) as (app, pilot):
        await select(app, pilot, entry.id)
        assert "clôture aujourd'hui" in shown_text(app)


async def test_a_closed_decision_shows_its_outcome_closer_status_and_frozen_stances(
    nb: Notebook,
) -> None:
    entry_id = lyon(nb)
    nb.close_decision(entry_id, "Nous retenons la piste.", "adopted")
    nb.set_stance(entry_id, "block")  # after closing: the result stays as it was
    async with review(nb) as (app, pilot):
        text = shown_text(app)
        me = nb.me_participant
        assert me is not None
        assert "⚖ Décision close" in text
        assert "Issue : Nous retenons la piste." in text
        assert f", {me.name} : retenu" in text
        assert "1 d'accord · 1 question" in text and "en désaccord" not in text
        assert f"N'avaient pas répondu : {me.name}" in text


async def test_a_decision_closed_by_its_deadline_says_so(nb: Notebook) -> None:
    def later() -> str:  # the notebook's clock, five days on
        return (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    with nb.acting_as(nb.me or "", clock=later):
        assert nb.close_overdue_decisions()
    async with review(nb) as (app, pilot):
        text = shown_text(app)
        assert "⚖ Décision close" in text
        assert ", à l'échéance :" in text


async def test_questions_and_outcomes_are_text_not_markup(nb: Notebook) -> None:
    """Rich markup in a question or an outcome shows literally and triggers nothing."""
    entry_id = lyon(nb)
    nb.close_decision(entry_id, "[bold]fin[/bold] [@click=app.quit]x[/]")
    other = nb.entries()[1]
    nb.open_decision(other.id, in_days(2), "[red]Rouge ?[/red]")
    async with review(nb) as (app, pilot):
        assert "[bold]fin[/bold] [@click=app.quit]x[/]" in shown_text(app)
        await select(app, pilot, other.id)
        assert "[red]Rouge ?[/red]" in shown_text(app)
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, ChoiceScreen)
        labels = [label.plain for _value, label in app.screen.choices]
        assert any("[red]Rouge ?[/red]" in label for label in labels)


async def test_the_list_marks_open_decisions_with_their_time_left(nb: Notebook) -> None:
    async with review(nb) as (app, pilot):
        assert "⚖" in list_line(app, 0)
        assert "J-3 Développement" in list_line(app, 0)
        assert "⚖" not in list_line(app, 1)
    async with review(nb, (40, 24)) as (narrow, pilot):
        assert "⚖" in list_line(narrow, 0)
        assert "J-3" not in list_line(narrow, 0)


async def test_d_puts_the_entry_to_a_decision_closing_a_week_later_by_default(
    nb: Notebook,
) -> None:
    entry = nb.entries()[1]
    async with review(nb) as (app, pilot):
        await select(app, pilot, entry.id)
        await press(pilot, "d")
        assert isinstance(app.screen, OpenDecisionScreen)
        assert app.screen.query_one("#closes", Input).value == in_days(7)
        await pilot.press(*"Garde-t-on ?", "enter", "enter")
        await settle(pilot, 0.2)
        decision = nb.entry(entry.id).decision
        assert decision is not None
        assert (decision.question, decision.closes) == ("Garde-t-on ?", in_days(7))
        assert "clôture dans 7 jours" in shown_text(app)


async def test_a_past_closing_day_is_told_in_the_stores_words(nb: Notebook) -> None:
    entry = nb.entries()[1]
    async with review(nb) as (app, pilot):
        await select(app, pilot, entry.id)
        await press(pilot, "d")
        app.screen.query_one("#closes", Input).value = in_days(-1)
        await pilot.press("ctrl+s")
        await settle(pilot, 0.2)
        assert nb.entry(entry.id).decision is None
        assert f"la date de clôture {in_days(-1)} est déjà passée" in notices(app)


async def test_d_on_an_open_decision_and_shift_d_on_none_say_why_not(nb: Notebook) -> None:
    async with review(nb) as (app, pilot):
        await refused(app, pilot, "d", "une décision est déjà ouverte sur cette entrée")
        await select(app, pilot, nb.entries()[1].id)
        await refused(app, pilot, "D", "cette entrée n'est pas soumise à une décision")


async def test_shift_d_closes_the_decision_with_an_outcome_and_a_status(nb: Notebook) -> None:
    entry_id = lyon(nb)
    async with review(nb) as (app, pilot):
        await press(pilot, "D")
        assert isinstance(app.screen, CloseDecisionScreen)
        app.screen.query_one("#outcome", TextArea).insert("Pas cette année.")
        app.screen.query_one("#status-archived", RadioButton).value = True
        await pilot.press("ctrl+s")
        await settle(pilot, 0.2)
        entry = nb.entry(entry_id)
        assert entry.decision is not None and entry.decision.is_closed
        assert (entry.decision.outcome, entry.status) == ("Pas cette année.", "archived")
        assert "Issue : Pas cette année." in shown_text(app)
        # Closing it again is refused in the store's words.
        await refused(app, pilot, "D", "cette décision est déjà close")


async def test_abstain_and_block_have_their_keys(nb: Notebook) -> None:
    entry_id = lyon(nb)
    async with review(nb) as (app, pilot):
        await pilot.press("4")
        await settle(pilot)
        assert nb.stances(entry_id)[nb.me or ""] == "abstain"
        await pilot.press("5")
        await settle(pilot)
        assert nb.stances(entry_id)[nb.me or ""] == "block"


async def test_the_keys_are_in_the_help_the_footer_and_the_palette(nb: Notebook) -> None:
    async with review(nb) as (app, pilot):
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.review.help_sections())
        assert sections["Décider"] == [
            ("d", "Soumettre à décision"), ("D", "Clore la décision"), ("^d", "Décisions"),
        ]  # fmt: skip
        assert ("4", "M'abstenir") in sections["Lire et réagir"]
        assert ("5", "Opposition bloquante") in sections["Lire et réagir"]
        await press(pilot, "escape")
        footer = {b.binding.key for b in app.review.active_bindings.values() if b.binding.show}
        assert "d" in footer
        names = [command.title for command in app.get_system_commands(app.review)]
        for name in ("Soumettre à décision", "Clore la décision", "Décisions", "M'abstenir"):
            assert name in names


async def test_the_decisions_screen_lists_them_and_goes_to_the_one_chosen(nb: Notebook) -> None:
    closed = closed_decision(nb)
    async with review(nb) as (app, pilot):
        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, ChoiceScreen)
        labels = [label.plain for _value, label in app.screen.choices]
        assert "Développement social local à Lyon" in labels[0]
        assert "clôture dans 3 jours" in labels[0]
        assert "clôturée" in labels[1]
        await pilot.press("down", "enter")
        await settle(pilot, 0.2)
        assert app.review.current_id == closed.id
        assert "Issue : Fait." in shown_text(app)


async def test_the_filter_keeps_the_open_decisions(nb: Notebook) -> None:
    closed_decision(nb)  # a closed decision is not kept
    async with review(nb) as (app, pilot):
        await pilot.press("f")
        app.review.query_one("#filter-decisions", Checkbox).value = True
        await settle(pilot)
        assert [row.entry.id for row in app.review.query_one(EntryList).rows] == [lyon(nb)]
        assert "décisions ouvertes" in str(app.review.query_one(StatusBar).render())
        app.review.query_one(EntryList).focus()
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.review.query_one(EntryList).rows) == 5
