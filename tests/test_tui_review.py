"""The review screen driven from the keyboard against a real notebook in a temporary folder."""

from __future__ import annotations

import ast
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_NAME
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets import Checkbox, Input, OptionList, Select, SelectionList
from tui_data import large_notebook, review_notebook
from tuitools import settle

from store import EntryFilter, Notebook
from store.i18n import _, catalog
from store.notebook import load_settings
from tui.app import CarnetApp
from tui.screens.choice import ChoiceScreen
from tui.screens.editor import EntryEditor
from tui.screens.entry_form import kind_choices
from tui.screens.help import HelpScreen
from tui.screens.review import ReviewScreen
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView
from tui.widgets.status_bar import StatusBar

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)


@pytest.fixture
def nb(tmp_path: Path) -> Iterator[Notebook]:
    notebook = review_notebook(tmp_path / "carnet")
    yield notebook
    notebook.close()


def entry_list(app: CarnetApp) -> EntryList:
    return app.review.query_one(EntryList)


def titles(app: CarnetApp) -> list[str]:
    return [row.entry.title for row in entry_list(app).rows]


def shown_text(app: CarnetApp) -> str:
    return "\n".join(app.review.query_one(EntryView).text_lines())


def status_text(app: CarnetApp) -> str:
    return str(app.review.query_one(StatusBar).render())


def current(app: CarnetApp) -> str:
    entry_id = entry_list(app).current_id
    assert entry_id is not None
    return entry_id


async def test_lists_every_entry_with_the_unread_count(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert titles(app) == [e.title for e in nb.entries()]
        assert len(titles(app)) == 5
        assert "4 non lues" in status_text(app)
        # The first entry is shown beside the list, with its comment and meta line.
        text = shown_text(app)
        assert "Développement social local à Lyon" in text
        assert "Très utile pour nous." in text
        assert "Anne Martin" in text
        assert "objectifs 1, 3" in text


async def test_next_unread_skips_what_was_read(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mine = next(e for e in nb.entries() if e.title == "Mes notes du jour")
        entry_list(app).select(mine.id)
        await pilot.press("n")
        assert nb.entry(current(app)).title == "Développement social local à Lyon"
        await pilot.press("n", "n")
        assert nb.entry(current(app)).title == "Outil de suivi partagé"
        await pilot.press("p")
        assert nb.entry(current(app)).title == "Évaluation des projets"


async def test_reading_marks_read_and_says_so(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry_id = current(app)
        assert nb.is_unread(entry_id)
        await pilot.press("enter")
        await settle(pilot)
        assert not nb.is_unread(entry_id)
        assert "3 non lues" in status_text(app)
        notices = [n.message for n in app._notifications]
        assert any("Marquée comme lue" in message for message in notices)


async def test_u_toggles_unread(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry_id = current(app)
        await pilot.press("u")
        await settle(pilot)
        assert not nb.is_unread(entry_id)
        await pilot.press("u")
        await settle(pilot)
        assert nb.is_unread(entry_id)


async def test_stance_keys_and_withdrawing(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry_id = current(app)
        me = nb.me or ""
        await pilot.press("1")
        await settle(pilot)
        assert nb.stances(entry_id) == {me: "agree"}
        assert "1 d'accord" in shown_text(app) and "0 question" not in shown_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert nb.stances(entry_id) == {me: "disagree"}
        await pilot.press("3")  # the same key again withdraws the stance
        await settle(pilot)
        assert nb.stances(entry_id) == {}


async def test_quick_actions_are_saved_in_order(
    nb: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: actions run in threads, so a slow first save could land after the later
    ones. "Agree" is held back here; "question" and then "disagree", asked after it, must
    still be saved after it: the stance left is the last one asked for."""
    set_stance = nb.set_stance
    first = threading.Event()

    def slow_first(entry_id: str, stance: str | None) -> None:
        if not first.is_set():
            first.set()
            time.sleep(0.3)
        set_stance(entry_id, stance)

    monkeypatch.setattr(nb, "set_stance", slow_first)
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry_id = current(app)
        await pilot.press("1", "2", "3")
        await settle(pilot)
        assert nb.stances(entry_id) == {nb.me: "disagree"}


async def test_change_status_from_a_list(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        entry_id = current(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 1  # "ouvert", the current status
        await pilot.press("down", "enter")
        await settle(pilot)
        assert nb.entry(entry_id).status == "discuss"
        assert "à discuter" in shown_text(app)


async def test_search_ignores_accents_and_case(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"DEVELOPPEMENT")
        await pilot.pause(0.3)
        await settle(pilot)
        assert titles(app) == ["Développement social local à Lyon"]
        assert "«\u00a0DEVELOPPEMENT\u00a0»" in status_text(app)  # French typography
        # A word only found in a comment also finds its entry.
        await pilot.press(*(["backspace"] * 13), *"tres utile")
        await pilot.pause(0.3)
        await settle(pilot)
        assert titles(app) == ["Développement social local à Lyon"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5
        assert isinstance(app.focused, EntryList)
        assert "filtre" not in status_text(app)


async def test_typing_in_search_triggers_no_key(nb: Notebook) -> None:
    """Letters typed into the search field are text, not commands (n, u, 1...)."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        head = nb.repo.head()
        await pilot.press("slash", "n", "u", "1", "s")
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.review.query_one("#filter-search", Input).value == "nu1s"
        assert nb.repo.head() == head


async def test_filters_by_kind_objective_and_unread(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.review
        screen.query_one("#filter-objective", Select).value = 3
        await settle(pilot)
        assert titles(app) == ["Développement social local à Lyon", "Outil de suivi partagé"]
        screen.query_one("#filter-kind", Select).value = "tool"
        await settle(pilot)
        assert titles(app) == ["Outil de suivi partagé"]
        screen.query_one("#filter-kind", Select).clear()
        screen.query_one("#filter-objective", Select).clear()
        screen.query_one("#filter-unread", Checkbox).value = True
        await settle(pilot)
        assert "Mes notes du jour" not in titles(app)
        assert len(titles(app)) == 4
        screen.query_one("#filter-tag", Select).value = "caf"
        await settle(pilot)
        assert titles(app) == ["Réseau des CAF"]
        assert screen.criteria == EntryFilter(tag="caf", unread=True)
        entry_list(app).focus()
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5


async def test_no_match_says_how_to_get_back(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzzz")
        await pilot.pause(0.3)
        await settle(pilot)
        assert titles(app) == []
        assert "Aucune entrée ne correspond" in shown_text(app)


async def test_language_switch_is_remembered(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        descriptions = {a.binding.description for a in app.review.active_bindings.values()}
        assert "Non lue suivante" in descriptions
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        descriptions = {a.binding.description for a in app.review.active_bindings.values()}
        assert "Next unread" in descriptions
        assert "4 unread" in status_text(app)
        assert "objectives 1, 3" in shown_text(app)
        assert load_settings(nb.repo.local_dir)["language"] == "en"


async def test_language_switch_after_a_search_redraws_the_filter_bar(nb: Notebook) -> None:
    """Once crashed with DuplicateIds: the new bar came before the old one was gone."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("escape", "L")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.return_code is None  # still running, no traceback
        assert len(app.review.query("#filter-bar")) == 1
        assert "4 unread" in status_text(app)


async def test_help_lists_the_keys(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.review.help_sections())
        assert ("n", "Non lue suivante") in sections["Se déplacer"]
        # Every key of the screen (bug: `?` left out `X`, the export).
        listed = {description for _title, keys in app.screen.sections for _k, description in keys}
        assert "Exporter la synthèse" in listed
        assert "Depuis ma dernière visite" in listed
        for binding in [*ReviewScreen.BINDINGS, *EntryList.BINDINGS, *CarnetApp.BINDINGS]:
            assert isinstance(binding, Binding)
            assert _(binding.description) in listed, binding.action
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_command_palette_names_the_actions(nb: Notebook) -> None:
    """And keeps Textual's own commands, in French (bug: keys, screenshot... were gone)."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [command.title for command in app.get_system_commands(app.review)]
        assert "Non lue suivante" in names
        assert "Synchroniser" in names
        for name in ("Touches", "Capture d'écran", "Agrandir", "Quitter", "Thème"):
            assert name in names
        assert "Screenshot" not in names and "Keys" not in names
        assert names.count("Quitter") == 1 and names.count("Thème") == 1
        assert "Champ suivant" in names  # not "Focus Next"


async def test_narrow_terminal_puts_the_entry_under_the_list(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.review.has_class("-narrow")
        listing = entry_list(app).region
        view = app.review.query_one(EntryView).region
        assert view.y >= listing.bottom


async def test_a_thousand_entries_scroll_and_filter(tmp_path: Path) -> None:
    """The list draws only what shows: moving to the end of many entries stays quick."""
    notebook = large_notebook(tmp_path / "big", 1000)
    try:
        app = CarnetApp(notebook, sync_interval=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert len(entry_list(app).rows) == 1000
            await pilot.press("end")
            await pilot.pause()
            assert entry_list(app).cursor == 999
            assert entry_list(app).scroll_offset.y > 900
            await pilot.press("slash", *"numero 999")
            await pilot.pause(0.3)
            await settle(pilot)
            assert titles(app) == ["Entrée numéro 999 sur le développement"]
    finally:
        notebook.close()


async def test_the_list_moves_half_a_screen_when_the_cursor_leaves_it(tmp_path: Path) -> None:
    """Moving the list draws all of it again: a held key does that once every half screen."""
    notebook = large_notebook(tmp_path / "big", 120)
    try:
        app = CarnetApp(notebook, sync_interval=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            the_list = entry_list(app)
            visible = the_list.size.height - 1  # under the header
            await pilot.press(*["down"] * (visible - 1))
            assert (the_list.cursor, the_list.scroll_offset.y) == (visible - 1, 0)
            await pilot.press("down")
            top = visible - visible // 2
            assert the_list.scroll_offset.y == top
            assert the_list.cursor - top == visible // 2  # in the middle, entries ahead show
            await pilot.press(*["down"] * (visible - visible // 2 - 1))
            assert the_list.scroll_offset.y == top
            assert the_list.cursor == top + visible - 1
            await pilot.press(*["up"] * (visible - 1))
            assert the_list.scroll_offset.y == top
            await pilot.press("up")
            assert the_list.scroll_offset.y == max(top - 1 - visible // 2, 0)
            await pilot.press("end")
            assert the_list.cursor == 119
            assert the_list.scroll_offset.y == 120 + 1 - the_list.size.height
    finally:
        notebook.close()


def _binding_descriptions() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.glob("tui/**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "N_"
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((str(node.args[0].value), f"{path.name}:{node.lineno}"))
    return found


def test_keys_marked_for_later_translation_have_french() -> None:
    french = catalog("fr")
    found = _binding_descriptions()
    assert len(found) > 20
    missing = [f"{where}: {msg!r}" for msg, where in found if not french.knows(msg)]
    assert not missing


def test_every_key_has_an_id_and_a_description() -> None:
    for owner in (ReviewScreen, EntryList, CarnetApp, HelpScreen, ChoiceScreen):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.description, binding


async def test_sync_brings_the_others_entries_unread(tmp_path: Path) -> None:
    from synctools import bare_remote

    from store.sync import add_remote, join, sync

    remote = bare_remote(tmp_path / "remote.git")
    mine = review_notebook(tmp_path / "mine")
    add_remote(mine.root, remote.as_uri())
    sync(mine)
    other = join(remote.as_uri(), tmp_path / "other", name="Zoé Dubé", email="zoe@example.org")
    try:
        app = CarnetApp(mine, sync_interval=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert "4 non lues" in status_text(app)
            # Meanwhile, someone else writes and shares an entry.
            news = other.add_entry("proposal", "Piste : jumelage de quartiers", "Idée.")
            sync(other)
            await pilot.press("S")
            await settle(pilot)
            assert "Piste : jumelage de quartiers" in titles(app)
            assert mine.is_unread(news.id)
            assert "5 non lues" in status_text(app)
            notices = " ".join(n.message for n in app._notifications)
            assert "1 nouvelle entrée" in notices
            assert "synchronisé le" in status_text(app)
    finally:
        other.close()
        mine.close()


async def test_sync_failure_is_said_in_plain_words(nb: Notebook, tmp_path: Path) -> None:
    from store.sync import add_remote

    add_remote(nb.root, (tmp_path / "nowhere.git").as_uri())
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert app.is_running
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and errors[0].message
        assert "⚠" in status_text(app)


async def test_quitting_with_unsaved_text_asks_first(nb: Notebook) -> None:
    """Regression: ctrl+q used to quit from the editor and silently drop what was typed."""
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.editor import EntryEditor

    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, EntryEditor)
        app.screen.query_one("#title", Input).value = "Un texte à ne pas perdre"
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EntryEditor) and app.is_running
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
        assert not app.is_running


async def test_export_writes_the_synthesis_from_the_screen(nb: Notebook, tmp_path: Path) -> None:
    from tui.screens.export import ExportScreen

    target = tmp_path / "synthese.html"
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<!doctype")
    assert all(entry.title.split()[0] in html for entry in nb.entries())


async def test_export_to_a_missing_folder_says_so_and_stays(nb: Notebook, tmp_path: Path) -> None:
    from textual.widgets import Static

    from tui.screens.export import ExportScreen

    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await settle(pilot)
        app.screen.query_one("#path", Input).value = str(tmp_path / "absent" / "s.html")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "Impossible d'écrire" in str(app.screen.query_one("#error", Static).render())


async def test_the_theme_chosen_is_kept_for_the_next_start(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_change_theme()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[2] == "Les couleurs du terminal, fond sombre"
        await pilot.press("down", "down", "down", "enter")  # the terminal's, light background
        await settle(pilot)
        assert app.theme == "ansi-light"
    assert load_settings(nb.repo.local_dir)["theme"] == "ansi-light"
    again = CarnetApp(nb, sync_interval=None)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "ansi-light"


async def test_what_the_command_line_saves_shows_at_once(nb: Notebook) -> None:
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Écrit ailleurs" not in titles(app)
        with Notebook(nb.root) as elsewhere:  # another process would do the same
            elsewhere.add_entry("tool", "Écrit ailleurs")
        await pilot.pause(2.5)  # the screen looks every two seconds
        await settle(pilot)
        assert "Écrit ailleurs" in titles(app)
        assert "5 non lues" in status_text(app)


# --- the command palette ----------------------------------------------------------------------


def shown_commands(app: CarnetApp) -> list[str]:
    options = app.screen.query_one(CommandList).options
    return [str(getattr(option.prompt, "plain", option.prompt)) for option in options]


async def test_the_palette_speaks_french_and_goes_to_an_entry_without_accents(
    nb: Notebook,
) -> None:
    """Bug: "Search for commands…" in the French interface; "evaluation" found nothing; there
    was no way to an entry by its title."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = next(e for e in nb.entries() if e.title == "Évaluation des projets")
        assert app.review.current_id != target.id
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "Rechercher une commande…"
        keys = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "Fermer la palette" in keys
        await pilot.press(*"aller evaluation")
        await settle(pilot, 0.5)
        assert [title.splitlines()[0] for title in shown_commands(app)] == [
            "Aller à\u00a0: Évaluation des projets"
        ]
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, ReviewScreen)
        assert app.review.query_one(EntryList).current_id == target.id


# --- small things ---------------------------------------------------------------------------------


async def test_after_a_search_the_arrows_move_in_the_results_and_escape_stays(
    nb: Notebook,
) -> None:
    """Bug: enter in the search field put the focus on the kind filter (the arrows then opened
    its menu); after a search, `escape` sent the cursor back to the first entry."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.review.query_one(EntryList)
        await pilot.press("slash", *"de", "enter")
        await settle(pilot, 0.5)
        assert app.focused is listing
        await pilot.press("down", "down")
        await settle(pilot, 0.5)
        chosen = listing.current_id
        assert listing.cursor == 2
        await pilot.press("escape")
        await settle(pilot, 0.5)
        assert listing.current_id == chosen
        # Escape from inside the search field, too.
        await pilot.press("slash", *"outil")
        await settle(pilot, 0.5)
        chosen = listing.current_id
        assert listing.rows[listing.cursor].entry.title == "Outil de suivi partagé"
        await pilot.press("escape")
        await settle(pilot, 0.5)
        assert len(listing.rows) == 5
        assert listing.current_id == chosen


async def test_an_entry_is_never_unread_and_read_by_me_at_once(nb: Notebook) -> None:
    """Bug: an entry showed « ● non lue » and « Lue par … » with the reader's own name, once
    a comment came after the reading."""
    mine = next(entry for entry in nb.entries() if entry.title == "Mes notes du jour")
    anne = next(p for p in nb.participants() if p.name == "Anne Martin")
    with nb.acting_as(anne.id):
        nb.add_comment(mine.id, "Et la suite ?")
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.review.go_to(mine.id)
        await settle(pilot, 0.3)
        # As words: where the entry is narrow, a line may be wrapped anywhere.
        shown = " ".join(" ".join(app.review.query_one(EntryView).text_lines()).split())
        assert "Lue par" in shown and TEST_NAME in shown
        assert "non lue" not in shown
        assert "du nouveau depuis votre lecture" in shown


async def new_entry_form(app: CarnetApp, pilot: Any) -> EntryEditor:
    await settle(pilot)
    await pilot.press("N")
    await settle(pilot)
    assert isinstance(app.screen, EntryEditor)
    return app.screen


async def test_the_new_entry_form_starts_on_the_kind_without_the_synthesis(nb: Notebook) -> None:
    """Bug: focus started below the kind; the kind list offered « Synthèse du groupe », which
    is made by its name from the synthesis screen."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        kind = editor.query_one("#kind", Select)
        assert app.focused is kind
        assert "section" not in [value for _label, value in kind_choices(None)]
        await pilot.press("enter")
        await settle(pilot)
        offered = str(app.screen.query_one("SelectOverlay", OptionList).options)
        assert "Synthèse du groupe" not in offered and "Pratique observée" in offered
        keys = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "Fermer la liste" in keys  # the footer's escape, not "Dismiss menu"


async def test_nothing_typed_in_the_new_entry_form_is_lost(nb: Notebook) -> None:
    """Bug: text typed while the objectives list had the focus was dropped; tabbing into the
    title selected it, so the next key typed replaced it."""
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        editor = await new_entry_form(app, pilot)
        title = editor.query_one("#title", Input)
        await pilot.press(*"Atelier")  # typed on the kind, where the form starts
        assert title.value == "Atelier"
        editor.query_one("#kind", Select).focus()
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is title
        await pilot.press(*" parents")
        assert title.value == "Atelier parents"
        objectives = editor.query_one("#objectives", SelectionList)
        objectives.focus()
        await pilot.press("2", *"caf")
        await settle(pilot)
        assert objectives.selected == [2]
        tags = editor.query_one("#tags", Input)
        assert tags.value == "caf"
        assert app.focused is tags
