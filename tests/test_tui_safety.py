"""Participant text is data: markup, escapes and bidi controls show literally and do nothing."""

from __future__ import annotations

import pytest
from tuitools import settle

from store import Notebook
from store.text import safe_line, safe_text
from tui.app import CarnetApp
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView

HOSTILE = [
    "[bold red]x[/]",
    "[@click=app.quit]quitter[/]",
    "rouge \x1b[31mvraiment\x1b[0m",
    "titre \x1b]0;pirate\x07 fin",
    "lien \x1b]8;;http://evil.example\x1b\\ici\x1b]8;;\x1b\\",
    "à l'envers \u202egnirts\u202c et \u2066isolé\u2069",
]


def screen_text(app: CarnetApp) -> str:
    """Every character the screen would show, line by line."""
    lines = []
    for widget in (app.review.query_one(EntryList),):
        lines += [widget.render_line(y).text for y in range(widget.size.height)]
    lines += app.review.query_one(EntryView).text_lines()
    return "\n".join(lines)


def test_safe_text_strips_controls_but_keeps_newlines_and_tabs() -> None:
    assert safe_text("a\x1b[31mb\x07c\x9bd\n\te\u202ef") == "a[31mbcd\n\tef"
    assert safe_line("un\ndeux\ttrois") == "un deux trois"


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_hostile_text_shows_literally_and_triggers_nothing(
    notebook: Notebook, hostile: str
) -> None:
    entry = notebook.add_entry(
        "practice",
        "T " + hostile,
        "Corps " + hostile + "\n\n[cliquez](javascript:alert(1)) " + hostile,
        tags=[hostile[:20]],
    )
    notebook.add_comment(entry.id, "Commentaire " + hostile)
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        visible = safe_line(hostile)
        # The markup's brackets are there as typed; nothing was interpreted or dropped.
        assert visible[:30] in text
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        # Clicking on the text does nothing: the app is still running with its screen.
        view = app.review.query_one(EntryView)
        await pilot.click(EntryView, offset=(5, 1))
        await pilot.click(EntryView, offset=(10, 3))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert app.screen is app.review
        assert view.entry_id == entry.id
        assert notebook.info.title == "Carnet de mission"


async def test_markdown_links_are_shown_not_opened(notebook: Notebook) -> None:
    notebook.add_entry(
        "tool", "Liens", "Voir [le site](http://example.org/page) et [@click=app.quit]"
    )
    app = CarnetApp(notebook, sync_interval=None)
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = "\n".join(app.review.query_one(EntryView).text_lines())
        assert "http://example.org/page" in text
        assert "[@click=app.quit]" in text
        for y in range(1, 6):
            await pilot.click(EntryView, offset=(12, y))
        await settle(pilot)
        assert opened == []
        assert app.is_running


async def test_notifications_show_titles_literally(notebook: Notebook) -> None:
    """Regression: notify() reads markup by default; a title "[@click=app.quit]" must stay text."""
    entry = notebook.add_entry("practice", "[@click=app.quit]x[/] [b]gras[/b]", "")
    notebook.mark_unread(entry.id)
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        notices = [n for n in app._notifications if "[b]gras[/b]" in n.message]
        assert notices and not notices[0].markup
        assert app.is_running
