"""« La synthèse du groupe »: the sections listed, read and written from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import OptionList, Static, TextArea
from tuitools import settle

from store import Notebook
from tui.app import CarnetApp
from tui.screens.editor import EntryEditor
from tui.screens.review import ReviewScreen
from tui.screens.sections import SectionEditor, SectionsScreen

SIZE = (120, 40)


@pytest.fixture
def nb(notebook: Notebook) -> Iterator[Notebook]:
    notebook.edit_section("introduction", "En avril 2005.\n\nUne invitation.\n")
    yield notebook


def option_texts(screen: SectionsScreen) -> list[str]:
    names = screen.query_one("#names", OptionList)
    return [str(names.get_option_at_index(i).prompt) for i in range(names.option_count)]


def shown(screen: SectionsScreen) -> str:
    return str(screen.query_one("#text", Static).render())


async def open_sections(app: CarnetApp, pilot: object) -> SectionsScreen:
    commands = app.get_system_commands(app.screen)
    command = next(c for c in commands if c.title == "La synthèse du groupe")
    command.callback()
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, SectionsScreen)
    return app.screen


async def test_the_palette_opens_the_sections_in_report_order(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sections(app, pilot)
        texts = option_texts(screen)
        assert texts[0] == "Introduction"
        assert texts[1] == "Ce que nous retenons — objectif 1 — pas encore écrite"
        assert texts[-1] == "Conclusion générale — pas encore écrite"
        assert "En avril 2005." in shown(screen)
        await pilot.press("down")
        assert shown(screen) == ""
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_writing_a_section_saves_it(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_sections(app, pilot)
        await pilot.press("end", "e")  # the conclusion
        await settle(pilot)
        assert isinstance(app.screen, SectionEditor)
        app.screen.query_one("#body", TextArea).text = "Quelles conclusions tirer ?"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Quelles conclusions tirer ?" in shown(screen)
        assert option_texts(screen)[-1] == "Conclusion générale"
    section = nb.section("conclusion")
    assert section is not None and section.body == "Quelles conclusions tirer ?"


async def test_editing_starts_from_the_text_and_merges(nb: Notebook) -> None:
    """A paragraph someone else saved while the editor was open stays."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_sections(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, SectionEditor)
        area = editor.query_one("#body", TextArea)
        assert area.text == "En avril 2005.\n\nUne invitation.\n"
        nb.edit_section("introduction", "En avril 2005.\n\nUne invitation, d'ailleurs.\n")
        area.text = "En avril 2005, à Québec.\n\nUne invitation.\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
    section = nb.section("introduction")
    assert section is not None and not section.conflicts
    assert section.body == "En avril 2005, à Québec.\n\nUne invitation, d'ailleurs.\n"


async def test_an_empty_first_text_is_refused_in_place(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_sections(app, pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, SectionEditor)
        editor.query_one("#body", TextArea).text = "   "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor
        assert "vide" in str(editor.query_one("#error", Static).render())
    assert nb.section("objective-1") is None


async def test_the_entry_editor_opens_on_a_section(nb: Notebook) -> None:
    """Bug: a section's kind was not among the editor's choices, and opening the editor on it
    from the review screen raised."""
    section = nb.section("introduction")
    assert section is not None
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(EntryEditor(nb, section.id))
        await settle(pilot)
        assert isinstance(app.screen, EntryEditor)
