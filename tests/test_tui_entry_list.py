"""The list of entries: what each line tells, and how its columns adapt to the width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from store.listing import start_frame
from tui.app import CarnetApp
from tui.views import entry_rows, listed_rows
from tui.widgets.entry_list import EntryList
from tui.widgets.list_columns import row_measures


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    first = notebook.entries()[0]
    notebook.edit_entry(first.id, title="Développement social local à Lyon et dans sa région")
    yield notebook
    notebook.close()


def lines(app: CarnetApp) -> list[str]:
    listing = app.review.query_one(EntryList)
    return [listing.render_line(y).text for y in range(len(listing.rows) + 1)]


async def test_at_120_columns_the_title_kind_and_stances_show(nb: Notebook) -> None:
    """Bug: at 120 columns the titles were cut at ~24 characters and the kind always cut
    ("Pratique observ…")."""
    lyon = next(e for e in nb.entries() if e.title.startswith("Développement"))
    nb.set_stance(lyon.id, "agree")
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = lines(app)
        assert "Avis" in shown[0] and "Com." in shown[0]
        row = next(line for line in shown if "Développement" in line)
        assert "Développement social local à Lyon" in row
        assert "Pratique " in row and "…" not in row.split("Développement")[1][40:]
        assert "✓1" in row
        assert any("Recherche" in line for line in shown)


async def test_at_120_columns_a_title_of_50_characters_shows_whole(nb: Notebook) -> None:
    """Bug: at 120 columns titles were cut at ~24 characters: the list took 55% of the width
    and gave the title 26 cells before the other columns."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = lines(app)
        assert shown[0].split() == ["Titre", "Type", "Avis", "Statut", "Com."]
        row = next(line for line in shown if "Développement" in line)
        assert re.search(r"Développement social local à Lyon et dans sa région +Pratique ", row)
        assert all(len(line) <= 120 for line in shown)


async def test_at_80_columns_the_columns_adapt(nb: Notebook) -> None:
    """A long title keeps its room and the stances and activity go; with short titles, the
    last activity shows too."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = lines(app)
        assert shown[0].split() == ["Titre", "Type", "Statut", "Com."]
        assert any("Développement social local à Lyon et dans sa région" in s for s in shown)
        assert all(len(line) <= 80 for line in shown)
        lyon = next(e for e in nb.entries() if e.title.startswith("Développement"))
        nb.edit_entry(lyon.id, title="Développement social à Lyon")
        app.review.reload_entries()
        await settle(pilot)
        shown = lines(app)
        assert "Activité" in shown[0]
        assert re.search(r"\b\d\d/\d\d/\d{4}\b", shown[1])
        assert all(len(line) <= 80 for line in shown)


async def test_a_section_is_a_synthesis(nb: Notebook) -> None:
    """Sections are the group's synthesis: the list says « Synthèse »."""
    from store.i18n import set_language
    from tui.widgets.list_columns import short_kind_label

    set_language("fr")
    assert short_kind_label("section") == "Synthèse"
    assert short_kind_label("proposal") == "Piste"


def test_the_listings_lines_measure_as_the_notebooks(nb: Notebook) -> None:
    """The columns drawn from the listing's frame are as wide as the review screen's, before
    its comments and readings: its measures come from the frame's tuples, not its entries."""
    with Notebook(nb.root) as reopened:  # written only when it is exactly the commit's
        reopened.listing()
    frame = start_frame(nb.root)()
    assert frame is not None
    listed = listed_rows(frame)
    shown = entry_rows(nb, [e for e in nb.entries() if not e.deleted], readings=False)
    assert [listed.id_at(i) for i in range(len(listed))] == [e.id for e in shown.entries]
    assert [row.entry.title for row in listed] == [row.entry.title for row in shown]
    assert row_measures(listed) == row_measures(shown)
