"""The group's synthesis: sections made by name, merged like entries, edited by command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import carnet
from synctools import shared_notebook, snapshot
from test_ownership import edit_json, push_as_claire

from store.errors import InvalidInputError
from store.ids import is_ulid
from store.layout import document_path
from store.notebook import Notebook
from store.sections import section_id
from store.sync import sync


def test_a_section_id_is_a_ulid_fixed_by_its_name() -> None:
    ids = {section_id(name) for name in ("introduction", "objective-1", "conclusion")}
    assert len(ids) == 3
    assert all(is_ulid(i) and i.startswith("0" * 10) for i in ids)
    assert section_id("introduction") == section_id("introduction")


def test_the_names_follow_the_objectives(notebook: Notebook) -> None:
    assert notebook.section_names() == (
        "introduction", "objective-1", "objective-2", "objective-3", "objective-4", "conclusion",
    )  # fmt: skip


def test_a_section_is_made_then_edited(notebook: Notebook) -> None:
    assert notebook.section("introduction") is None
    made = notebook.edit_section("introduction", "En avril 2005, une invitation…")
    assert made.id == section_id("introduction")
    assert made.kind == "section"
    assert made.title == "Introduction"
    edited = notebook.edit_section("introduction", "En avril 2005, une invitation.\n\nSuite.")
    assert edited.id == made.id and edited.created == made.created
    assert notebook.section("introduction") == edited
    assert len(notebook.history(made.id)) == 2


def test_sections_come_in_report_order(notebook: Notebook) -> None:
    notebook.edit_section("conclusion", "Quelles conclusions tirer ?")
    notebook.edit_section("objective-2", "Les travaux de recherche…")
    notebook.edit_section("introduction", "En avril 2005…")
    assert [e.title for e in notebook.sections()] == [
        "Introduction", "Ce que nous retenons — objectif 2", "Conclusion générale",
    ]  # fmt: skip


def test_an_unknown_name_is_refused_in_one_line(notebook: Notebook) -> None:
    for name in ("objective-9", "préface", ""):
        with pytest.raises(InvalidInputError) as refused:
            notebook.edit_section(name, "texte")
        assert "introduction, objective-1" in str(refused.value)
        assert "\n" not in str(refused.value)
        with pytest.raises(InvalidInputError):
            notebook.section(name)
    assert notebook.sections() == []


def test_a_first_text_may_not_be_empty(notebook: Notebook) -> None:
    with pytest.raises(InvalidInputError):
        notebook.edit_section("conclusion", "  \n")
    assert notebook.section("conclusion") is None


def test_sections_are_made_by_name_only(notebook: Notebook) -> None:
    with pytest.raises(InvalidInputError) as refused:
        notebook.add_entry("section", "Introduction", "texte")
    assert "carnet section edit" in str(refused.value)
    section = notebook.edit_section("introduction", "texte")
    with pytest.raises(InvalidInputError):
        notebook.edit_entry(section.id, kind="practice")
    entry = notebook.add_entry("practice", "Une pratique")
    with pytest.raises(InvalidInputError):
        notebook.edit_entry(entry.id, kind="section")
    assert notebook.entry(section.id).kind == "section"


def test_a_section_has_comments_like_an_entry(notebook: Notebook) -> None:
    section = notebook.edit_section("objective-1", "Les pratiques observées…")
    notebook.add_comment(section.id, "Ajoutons la CAF de la Gironde.")
    assert [c.body for c in notebook.comments(section.id)] == ["Ajoutons la CAF de la Gironde."]


def test_two_people_who_write_the_introduction_offline_keep_both_texts(tmp_path: Path) -> None:
    """Each clone makes the same document: the gate lets both through (each was written by its
    own author) and the merge keeps one text in place and the other among the conflicts."""
    alain, claire = shared_notebook(tmp_path, 2)
    alain.edit_section("introduction", "Le texte d'Alain.\n")
    claire.edit_section("introduction", "Le texte de Claire.\n")
    sync(alain)
    claire_sync = sync(claire)
    sync(alain)
    assert not claire_sync.refused
    assert snapshot(alain) == snapshot(claire)
    section = claire.section("introduction")
    assert section is not None
    texts = {section.body, *(c.value for c in section.conflicts if c.field == "body")}
    assert texts == {"Le texte d'Alain.\n", "Le texte de Claire.\n"}
    assert section.author == alain.section("introduction").author  # type: ignore[union-attr]


def test_a_section_edited_on_two_clones_merges_by_lines(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    alain.edit_section("conclusion", "Un.\n\nDeux.\n")
    sync(alain)
    sync(claire)
    claire.edit_section("conclusion", "Un, de Claire.\n\nDeux.\n")
    alain.edit_section("conclusion", "Un.\n\nDeux, d'Alain.\n")
    sync(alain)
    sync(claire)
    sync(alain)
    for clone in (alain, claire):
        section = clone.section("conclusion")
        assert section is not None
        assert section.body == "Un, de Claire.\n\nDeux, d'Alain.\n"
        assert not section.conflicts


def test_a_section_in_someone_elses_name_is_still_refused(tmp_path: Path) -> None:
    """Letting two clones each make a section must not let a peer write one, or take one
    over, in another's name with plain git."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    alain.edit_section("introduction", "Le texte d'Alain.\n")
    for clone in (alain, claire, helene):
        sync(clone)
    taken = document_path("entries", section_id("introduction"))
    edit_json(claire.root, taken, author="claire-dubois", updated_by="claire-dubois")
    forged = document_path("entries", section_id("conclusion"))
    edit_json(claire.root, forged, kind="section", title="Conclusion générale", body="Faux.",
              objectives=[], tags=[], status="open", author="alain-martin",
              updated_by="alain-martin", created="2026-11-02T12:00:00.000Z",
              updated="2026-11-02T12:00:00.000Z", deleted=False, conflicts=[])  # fmt: skip
    push_as_claire(claire)
    refused = sync(helene).refused
    assert {r.path for r in refused} == {taken, forged}
    assert helene.section("introduction").author == "alain-martin"  # type: ignore[union-attr]
    assert helene.section("conclusion") is None


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def folder(notebook: Notebook) -> Path:
    return notebook.root


def _head(folder: Path) -> bytes:
    return (folder / ".git" / "HEAD").read_bytes() + (folder / ".git" / "index").read_bytes()


def test_section_edit_writes_the_text(folder: Path, tmp_path: Path) -> None:
    done = carnet("section", "edit", "introduction", "--body", "En avril 2005…", cwd=folder)
    assert done.returncode == 0, done.stderr
    text = tmp_path / "conclusion.md"
    text.write_text("Quelles conclusions tirer ?\n", encoding="utf-8")
    done = carnet("section", "edit", "conclusion", "--body-file", str(text), cwd=folder)
    assert done.returncode == 0, done.stderr
    with Notebook(folder) as notebook:
        assert [e.body for e in notebook.sections()] == [
            "En avril 2005…", "Quelles conclusions tirer ?\n",
        ]  # fmt: skip


def test_sections_lists_them_all(folder: Path) -> None:
    carnet("section", "edit", "objective-3", "--body", "Les outils concrets.", cwd=folder)
    listed = carnet("sections", cwd=folder)
    assert listed.returncode == 0, listed.stderr
    assert "objective-3" in listed.stdout and "Ce que nous retenons — objectif 3" in listed.stdout
    assert "introduction" in listed.stdout  # not written yet, still named
    rows = json.loads(carnet("sections", "--json", cwd=folder).stdout)
    assert [r["name"] for r in rows][:2] == ["introduction", "objective-1"]
    written = {r["name"]: r for r in rows if r["id"] is not None}
    assert list(written) == ["objective-3"]
    assert written["objective-3"]["body"] == "Les outils concrets."


@pytest.mark.parametrize(
    "arguments",
    [
        ("section", "edit", "objective-7", "--body", "texte"),
        ("section", "edit", "introduction", "--body", " "),
        ("section", "edit", "introduction", "--body-file", "/nonexistent/texte.md"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(folder: Path, arguments: tuple[str]) -> None:
    before = _head(folder)
    done = carnet(*arguments, cwd=folder)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert _head(folder) == before


def test_add_refuses_the_section_kind(folder: Path) -> None:
    done = carnet("add", "--kind", "section", "--title", "Introduction", cwd=folder)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_section_is_listed_when_it_was_written_not_first(notebook: Notebook) -> None:
    """Its id is its name's, with no time in it: the list orders entries by when they were
    written, so the first thing a participant sees is not the newest section."""
    first = notebook.add_entry("practice", "Une visite à Lyon")
    section = notebook.edit_section("introduction", "Ce que nous avons vu.")
    last = notebook.add_entry("tool", "Une grille")
    assert [e.id for e in notebook.entries()] == [first.id, section.id, last.id]


def test_days_are_written_the_way_the_language_writes_them() -> None:
    from store.display import local_day
    from store.i18n import set_language

    set_language("fr")
    assert local_day("2005-11-17") == "17/11/2005"
    set_language("en")
    assert local_day("2005-11-17") == "2005-11-17"
    assert local_day("pas un jour") == "pas un jour"
