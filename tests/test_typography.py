"""French typography: the spaces that keep « », : ; ? ! with their words, on screen only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from store.i18n import _, catalog, set_language, typeset_french
from store.report import typeset_document
from tui.app import CarnetApp
from tui.screens.help import HelpScreen


def test_the_signs_keep_their_space() -> None:
    assert typeset_french("Statut : à discuter ? « oui » ; non !") == (
        "Statut\u00a0: à discuter\u202f? «\u00a0oui\u00a0»\u202f; non\u202f!"
    )
    # Nothing else moves: an hour, a link, a sign with no space before it.
    assert typeset_french("10:30, https://x.org, quoi?") == "10:30, https://x.org, quoi?"


def test_only_a_typeset_catalog_has_them() -> None:
    plain, typeset = catalog("fr"), catalog("fr", typeset=True)
    message = "Last sync: {time}"
    assert plain.gettext(message) == "Dernière synchronisation : {time}"
    assert typeset.gettext(message) == "Dernière synchronisation\u00a0: {time}"
    assert catalog("en", typeset=True).gettext(message) == message
    set_language("fr")  # as the command line sets it: scripts read plain spaces
    assert _(message) == plain.gettext(message)


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path)
    yield notebook
    notebook.close()


async def test_the_screen_speaks_french_typography(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(static.render()) for static in app.screen.query("Static"))
        assert "\u00a0:" in shown or "\u202f?" in shown or "«\u00a0" in shown
        assert " :" not in shown


def test_the_style_sheet_of_a_french_page_is_left_as_it_is() -> None:
    """Bug: the whole page was typeset, its style sheet too: ``none !important`` and ``a :hover``
    had a non-breaking space before the sign, and the browser dropped those rules."""
    page = "<style>\na :hover { color: red !important; }\n</style>\n<p>Vraiment ? Oui : « non »</p>"
    typeset = typeset_document(page)
    assert "<style>\na :hover { color: red !important; }\n</style>" in typeset
    assert "Vraiment\u202f? Oui\u00a0: «\u00a0non\u00a0»" in typeset
