"""The entry beside the list: drawn line by line, cached, and never stale after a change."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from tui.app import CarnetApp
from tui.screens.review import VIEW_DELAY
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView

SIZE = (120, 40)


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    yield notebook
    notebook.close()


def view(app: CarnetApp) -> EntryView:
    return app.review.query_one(EntryView)


def shown(app: CarnetApp) -> str:
    """The entry's words: where the view is narrow, a line may be wrapped anywhere."""
    return " ".join(" ".join(view(app).text_lines()).split())


async def test_a_long_body_scrolls_without_a_widget_per_line(notebook: Notebook) -> None:
    body = "\n\n".join(f"Paragraphe numéro {n} : *réunion* de quartier." for n in range(2000))
    notebook.add_entry("practice", "Très long compte rendu", body)
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        entry_view = view(app)
        assert not entry_view.children
        assert entry_view.virtual_size.height > 4000
        assert "Paragraphe numéro 1999" in shown(app)
        entry_view.focus()
        await pilot.press("end")
        await settle(pilot, VIEW_DELAY)
        bottom = [entry_view.render_line(y).text for y in range(entry_view.size.height)]
        assert any("Paragraphe numéro 1999" in line for line in bottom)
        assert "Très long compte rendu" not in "\n".join(bottom)


async def test_coming_back_to_an_entry_draws_nothing_again(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        first = view(app)._lines
        assert "Développement social local à Lyon" in shown(app)
        await pilot.press("down")
        await settle(pilot, VIEW_DELAY)
        assert "Évaluation des projets" in shown(app)
        await pilot.press("up")
        await settle(pilot, VIEW_DELAY)
        # The very lines drawn the first time (the entry has no links to add to them).
        again = view(app)._lines
        assert len(again) == len(first) and all(a is b for a, b in zip(again, first, strict=True))


async def test_an_entry_changed_elsewhere_is_not_shown_stale(nb: Notebook) -> None:
    """A sync changes entries that were drawn before: coming back shows the new state."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        first = app.review.query_one(EntryList).current_id
        assert first is not None
        await pilot.press("down")
        await settle(pilot, VIEW_DELAY)
        # Anne writes (as a sync would bring it): the entry stays unread, read by the same.
        anne = next(p.id for p in nb.participants() if p.name == "Anne Martin")
        with nb.acting_as(anne, lambda: "2026-03-03T10:00:00.000Z"):
            nb.add_comment(first, "Arrivé par la synchronisation.")
            nb.edit_entry(first, title="Développement social à Lyon et Grenoble")
        app.review.reload_entries()  # what the app does after a sync
        await settle(pilot, VIEW_DELAY)
        await pilot.press("up")
        await settle(pilot, VIEW_DELAY)
        assert "Arrivé par la synchronisation." in shown(app)
        assert "Développement social à Lyon et Grenoble" in shown(app)
        assert "2 commentaires" in shown(app)


async def test_a_new_width_wraps_the_text_again(nb: Notebook) -> None:
    nb.add_entry("practice", "Texte large", " ".join(["développement"] * 60))
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        await pilot.press("end")
        await settle(pilot, VIEW_DELAY)
        beside = view(app).text_lines()
        beside_width = view(app).scrollable_content_region.width
        # At 80 columns the entry goes under the list, so it gets wider.
        await pilot.resize_terminal(80, 24)
        await settle(pilot, VIEW_DELAY)
        under = view(app).text_lines()
        under_width = view(app).scrollable_content_region.width
        assert under_width > beside_width
        assert max(len(line.rstrip()) for line in beside) <= beside_width
        assert beside_width < max(len(line.rstrip()) for line in under) <= under_width
        assert len(under) < len(beside)
        assert "Texte large" in under[0]


async def test_the_list_has_no_horizontal_scrollbar(nb: Notebook) -> None:
    """Regression: the list's virtual width counted its border, so a horizontal scrollbar
    appeared under it and hid its last line."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        entry_list = app.review.query_one(EntryList)
        assert not entry_list.show_horizontal_scrollbar
        assert not view(app).show_horizontal_scrollbar


async def test_a_long_comment_wraps_under_its_indent(nb: Notebook) -> None:
    """Regression: a comment's wrapped lines started at the left edge, out of its thread."""
    entry = nb.entries()[0]
    long = " ".join(["concertation"] * 30)
    comment = nb.add_comment(entry.id, long)
    nb.add_comment(entry.id, "Réponse : " + long, parent=comment.id)
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        lines = [line for line in view(app).text_lines() if "concertation" in line]
        assert len(lines) > 6
        assert all(line.startswith("  ") for line in lines)
        replies = [line for line in lines if line.startswith("      ")]
        assert len(replies) > 2


async def test_the_notebook_is_frozen_out_of_the_collector_while_the_app_runs(
    nb: Notebook,
) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, VIEW_DELAY)
        assert gc.get_freeze_count() > 0
    # Whatever garbage was frozen with it is collectable again once the app has quit.
    assert gc.get_freeze_count() == 0
