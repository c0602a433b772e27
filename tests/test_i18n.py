"""Every message has its French translation, and the catalogs parse."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from store.i18n import _, set_language
from store.locale import catalogs
from store.locale.compile import LOCALE_DIR, parse_po, read_catalog, render

ROOT = Path(__file__).resolve().parent.parent


def _messages() -> list[tuple[str, str]]:
    """Every literal passed to ``_()``, ``N_()`` or ``ngettext()`` in the code."""
    found = []
    for path in sorted([*ROOT.glob("store/**/*.py"), *ROOT.glob("tui/**/*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in ("_", "N_", "ngettext"):
                continue
            # A plural message is known by its singular form, the catalog's key.
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def test_every_message_has_a_french_translation() -> None:
    """In the PO files, what translators edit (the compiled catalog is checked against them)."""
    messages, plurals = read_catalog("fr")
    missing = [
        f"{where}: {message!r}"
        for message, where in _messages()
        if not messages.get(message) and message not in plurals
    ]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_messages_are_found() -> None:
    """Guards the test above against finding nothing (which would pass vacuously)."""
    assert len(_messages()) > 50


def test_switching_language() -> None:
    set_language("en")
    assert _("draft") == "draft"
    set_language("fr")
    assert _("draft") == "brouillon"


def test_plural_forms_follow_the_language() -> None:
    messages, plurals = parse_po(
        'msgid "{n} comment"\nmsgid_plural "{n} comments"\n'
        'msgstr[0] "{n} commentaire"\nmsgstr[1] "{n} commentaires"\n'
    )
    assert plurals["{n} comment"] == ["{n} commentaire", "{n} commentaires"]
    assert not messages


@pytest.mark.parametrize("language", ["fr", "en", "xx"])
def test_unknown_language_falls_back_to_french(language: str) -> None:
    set_language(language)
    assert _("draft") == ("draft" if language == "en" else "brouillon")


def test_po_strings_with_escapes_are_read_as_gettext_writes_them() -> None:
    messages, _plurals = parse_po(
        'msgid "Line\\none \\"quoted\\" \\\\ é"\nmsgstr "Ligne\\nun \\"cité\\" \\\\ é"\n'
    )
    assert messages == {'Line\none "quoted" \\ é': 'Ligne\nun "cité" \\ é'}


def test_a_message_has_one_translation_across_the_catalogs() -> None:
    """Two files translating one message differently: the last read would win, silently."""
    seen: dict[str, tuple[str, str]] = {}
    for path in sorted((LOCALE_DIR / "fr").glob("*.po")):
        messages, _plurals = parse_po(path.read_text(encoding="utf-8"))
        for msgid, text in messages.items():
            first = seen.setdefault(msgid, (path.name, text))
            assert first[1] == text, f"{msgid!r}: {first} and {(path.name, text)}"


def test_the_compiled_catalogs_are_those_of_the_po_files() -> None:
    """A PO file edited without compiling again: the program would not show the change."""
    compiled = Path(catalogs.__file__).read_text(encoding="utf-8")
    assert compiled == render(), "run: python -m store.locale.compile"


def test_no_po_file_is_read_at_start_up() -> None:
    """The command line parsed its 22 PO files at every run (15 ms of carnet list)."""
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event == 'open' and opened.append(str(args[0])))\n"
        "import store.i18n\n"
        "store.i18n.set_language('fr')\n"
        "print([path for path in opened if path.endswith('.po')])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
