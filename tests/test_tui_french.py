"""No message id reaches the French screen untranslated: the main screens are driven in French
and every message the code asked ``_()`` (or ``ngettext``) for must be in the catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from tuitools import settle

from store import Notebook
from store.demo import CLONE_DIR, build_demo
from store.i18n import POTranslations
from tui.app import CarnetApp
from tui.screens.meetings import MeetingsScreen
from tui.screens.sections import SectionsScreen


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Notebook]:
    root = build_demo(tmp_path / "demo")
    assert root.name == CLONE_DIR
    notebook = Notebook(root)
    yield notebook
    notebook.close()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The message ids the French catalog was asked for and does not know."""
    missing: set[str] = set()
    gettext, ngettext = POTranslations.gettext, POTranslations.ngettext

    def recorded_gettext(self: POTranslations, message: str) -> str:
        if self._language == "fr" and message and not self.knows(message):
            missing.add(message)
        return gettext(self, message)

    def recorded_ngettext(self: POTranslations, singular: str, plural: str, n: int) -> str:
        if self._language == "fr" and not self.knows(singular):
            missing.add(singular)
        return ngettext(self, singular, plural, n)

    monkeypatch.setattr(POTranslations, "gettext", recorded_gettext)
    monkeypatch.setattr(POTranslations, "ngettext", recorded_ngettext)
    return missing


async def visit(app: CarnetApp, pilot: Any, *keys: str) -> None:
    """Open a screen with ``keys``, let it draw, and go back to the review screen."""
    await pilot.press(*keys)
    await settle(pilot, 0.3)
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await settle(pilot, 0.1)


async def test_the_main_screens_show_no_untranslated_message(
    demo: Notebook, asked: set[str]
) -> None:
    app = CarnetApp(demo, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.3)
        await pilot.press("down", "enter")  # the review screen: an entry read
        await settle(pilot, 0.3)
        await visit(app, pilot, "question_mark")
        await visit(app, pilot, "ctrl+p")
        await visit(app, pilot, "ctrl+p", *"aller")
        await visit(app, pilot, "N")
        await visit(app, pilot, "x")
        await visit(app, pilot, "ctrl+d")
        await visit(app, pilot, "v")
        await visit(app, pilot, "slash", *"parents")
        await visit(app, pilot, "f")
        app.push_screen(MeetingsScreen(demo))
        await visit(app, pilot)
        app.push_screen(SectionsScreen(demo))
        await visit(app, pilot)
    assert not asked, "\n".join(sorted(asked))


async def test_the_palette_says_in_french_that_nothing_matches(demo: Notebook) -> None:
    """Bug: « No matches found », Textual's own words, under a search that found nothing."""
    app = CarnetApp(demo, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.3)
        await pilot.press("ctrl+p", *"zzqxw")
        await settle(pilot, 1.0)
        options = app.screen.query_one(CommandList).options
        # Each option's prompt is the text centred: an Align around it.
        shown = [str(getattr(option.prompt, "renderable", option.prompt)) for option in options]
        assert shown == ["Aucune commande trouvée"]
