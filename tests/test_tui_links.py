"""The review screen's links (follow one, come back, « cité par ») and one's own words (edit
or withdraw a comment, delete an entry), driven by keyboard and mouse."""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterator

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea
from tuitools import settle

from store import Notebook
from tui.app import CarnetApp
from tui.screens import review_actions
from tui.screens.choice import ChoiceScreen
from tui.screens.comment import CommentScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.editor import EntryEditor
from tui.widgets.entry_links import LinkDetails
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView


def _linked(notebook: Notebook) -> tuple[str, str, str]:
    practice = notebook.add_entry("practice", "Café des parents")
    gone = notebook.add_entry("practice", "Projet abandonné")
    proposal = notebook.add_entry(
        "proposal", "Un café à Montréal", "D'après [[café des parents]] et [[Projet abandonné]]."
    )
    notebook.delete_entry(gone.id)
    return practice.id, gone.id, proposal.id


async def _select(pilot: object, app: CarnetApp, entry_id: str) -> None:
    app.review.go_to(entry_id)
    await settle(pilot, 0.2)  # type: ignore[arg-type]


async def test_a_link_is_followed_by_key_or_click_and_b_comes_back(notebook: Notebook) -> None:
    practice, _gone, proposal = _linked(notebook)
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.2)
        await _select(pilot, app, proposal)
        view = app.review.query_one(EntryView)
        text = " ".join(" ".join(view.text_lines()).split())  # as words: lines wrap
        assert "Café des parents" in text and "entrée introuvable" in text
        await pilot.press("l")  # one link leads somewhere: followed at once
        await settle(pilot, 0.2)
        assert app.review.query_one(EntryList).current_id == practice
        text = " ".join(" ".join(view.text_lines()).split())  # as words: lines wrap
        assert "Cité par" in text and "Un café à Montréal" in text
        await pilot.press("b")
        await settle(pilot, 0.2)
        assert app.review.query_one(EntryList).current_id == proposal
        assert app.review.link_history == []

        rows = view.link_rows()
        assert list(rows.values()) == [practice]  # the deleted one leads nowhere
        await pilot.click(EntryView, offset=(4, next(iter(rows)) - view.scroll_offset.y))
        await settle(pilot, 0.2)
        assert app.review.query_one(EntryList).current_id == practice
        assert app.review.link_history == [proposal]


async def test_my_comment_edited_then_withdrawn_keeps_its_reply(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    comment = notebook.add_comment(entry.id, "Premier jet")
    notebook.add_comment(entry.id, "Une réponse", parent=comment.id)
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.2)
        await _select(pilot, app, entry.id)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)  # two comments of mine
        await pilot.press("home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CommentScreen)
        area = app.screen.query_one("#body", TextArea)
        assert area.text == "Premier jet"
        area.text = "Second jet"
        await pilot.press("ctrl+s")
        await settle(pilot, 0.2)
        assert notebook.comment(comment.id).body == "Second jet"

        await pilot.press("W")
        await settle(pilot)
        await pilot.press("home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        app.screen.action_answer(True)
        await settle(pilot, 0.2)
        assert notebook.comment(comment.id).deleted
        text = "\n".join(app.review.query_one(EntryView).text_lines())
        assert "commentaire retiré" in text and "Une réponse" in text
        assert "Second jet" not in text


async def test_deleting_an_entry_asks_first(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.2)
        await _select(pilot, app, entry.id)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        app.screen.action_answer(False)
        await settle(pilot)
        assert not notebook.entry(entry.id).deleted
        await pilot.press("delete")
        await settle(pilot)
        app.screen.action_answer(True)  # type: ignore[attr-defined]
        await settle(pilot, 0.2)
        assert notebook.entry(entry.id).deleted
        palette = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Supprimer l'entrée", "Retirer mon commentaire", "Suivre un lien"} <= set(palette)


@pytest.mark.parametrize("writing", ["comment", "entry"])
async def test_typing_two_brackets_offers_the_titles_without_accents(
    notebook: Notebook, writing: str
) -> None:
    """In the comment and the entry editors, ``[[`` then letters lists the titles that start
    with them (or hold them), accents and case ignored; tab, or a click, writes one in."""
    _practice, _gone, proposal = _linked(notebook)
    notebook.add_entry("research", "Évaluation des cafés de parents")
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = (
            CommentScreen(notebook, proposal) if writing == "comment" else EntryEditor(notebook)
        )
        app.push_screen(screen)
        await settle(pilot)
        area = screen.query_one("#body", TextArea)
        area.focus()
        await pilot.press("V", "o", "i", "r", "space", "[", "[", "C", "A", "F")
        await settle(pilot)
        choices = screen.query_one("#mention-choices", OptionList)
        offered = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        # Starting with the words first, then holding them; a deleted entry is not offered.
        assert offered[:2] == ["[[Café des parents]]", "[[Un café à Montréal]]"]
        assert "[[Projet abandonné]]" not in offered
        await pilot.press("tab")
        await settle(pilot)
        assert area.text == "Voir [[Café des parents]]"
        assert not choices.display
        await pilot.press("space", "[", "[", "e", "v", "a")
        await settle(pilot)
        assert [str(choices.get_option_at_index(0).prompt)] == [
            "[[Évaluation des cafés de parents]]"
        ]
        await pilot.click("#mention-choices", offset=(2, 1))
        await settle(pilot)
        assert area.text == "Voir [[Café des parents]] [[Évaluation des cafés de parents]]"
        assert notebook.links(area.text)[1].target is not None


async def _until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (the warm-up thread, a timer), or give up."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)


@pytest.fixture
def found(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The links of the entry shown are found only once the event is set (then at once)."""
    event = threading.Event()
    real = review_actions.link_details

    def held_link_details(nb: Notebook, entry_id: str) -> LinkDetails:
        event.wait(timeout=30)
        return real(nb, entry_id)

    monkeypatch.setattr(review_actions, "link_details", held_link_details)
    yield event
    event.set()  # no thread of the test left waiting


async def test_keys_answer_before_the_links_arrive_and_the_links_show_once_they_do(
    notebook: Notebook, found: threading.Event
) -> None:
    """Finding an entry's links reads every text of the notebook (a second at 10,000
    entries): the first entry shown must not hold the keys meanwhile."""
    _practice, _gone, proposal = _linked(notebook)
    app = CarnetApp(notebook, sync_interval=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            entry_list = app.review.query_one(EntryList)
            view = app.review.query_one(EntryView)
            entry_list.select(proposal)
            await _until(pilot, lambda: view.entry_id == proposal)
            assert view.entry_id == proposal  # the entry is drawn, its links still coming
            assert "Liens" not in view.text_lines()
            await pilot.press("up")
            await pilot.pause()
            assert entry_list.current_id != proposal  # the key was answered meanwhile
            await pilot.press("down")
            await _until(pilot, lambda: view.entry_id == proposal)
            assert entry_list.current_id == proposal
            found.set()
            await settle(pilot, 0.2)
            text = " ".join(" ".join(view.text_lines()).split())
            assert "Liens" in view.text_lines() and "Café des parents" in text
    finally:
        found.set()


async def test_the_links_arriving_add_their_lines_to_the_entry_already_drawn(
    notebook: Notebook, found: threading.Event
) -> None:
    """The entry is drawn before its links are found, in a thread: when they arrive, their
    lines go between the body and the stances, and the rest is not rendered again (the lines
    are the ones drawn); an entry without links keeps its lines as they are."""
    practice, _gone, proposal = _linked(notebook)
    lonely = notebook.add_entry("practice", "Atelier sans lien", "Rien ne mène ici.").id
    app = CarnetApp(notebook, sync_interval=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            view = app.review.query_one(EntryView)
            for entry_id, has_links in ((proposal, True), (lonely, False)):
                found.clear()
                app.review.query_one(EntryList).select(entry_id)
                await _until(pilot, lambda: view.entry_id == entry_id)  # noqa: B023
                before = list(view._lines)
                found.set()
                await settle(pilot, 0.2)
                after = view._lines
                assert (view.links is not None) and view.entry_id == entry_id
                if not has_links:
                    assert after == before and all(map(operator.is_, after, before))
                    continue
                start = view.text_lines().index("Liens")
                added = len(after) - len(before)
                assert added > 0 and "Liens" not in [line.text for line in before]
                assert all(map(operator.is_, after[: start - 1], before[: start - 1]))
                assert all(map(operator.is_, after[start - 1 + added :], before[start - 1 :]))
                assert list(view.link_rows().values()) == [practice]
                assert all(start < row < start - 1 + added for row in view.link_rows())
    finally:
        found.set()
