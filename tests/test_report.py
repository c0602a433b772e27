"""The synthesis report: what it contains, where, and that participant text cannot break it."""

from __future__ import annotations

import ast
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import TEST_EMAIL, TEST_NAME
from markdown_it import MarkdownIt

from store import Entry, EntryFilter, Notebook
from store.errors import InvalidInputError
from store.i18n import current_language, set_language, typeset_french
from store.layout import document_path
from store.locale.compile import parse_po
from store.model import canonical_bytes
from store.report import build_report, render
from store.report.markdown import _comment as markdown_comment
from store.report.model import Person as RPerson
from store.report.model import ReportComment as RComment
from store.report.safety import html_body, md_body, md_text

HOSTILE_TITLE = "<script>alert('titre')</script> # pas un titre"
HOSTILE_BODY = (
    "<script>alert('corps')</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "[clic](javascript:alert(1)) ![photo](https://example.org/p.png)\n\n<!-- jamais fermé"
)
HOSTILE_COMMENT = "<script>alert('commentaire')</script> MARK-hostile\n# titre\n- liste\n```"


class Clock:
    """The time actions are stamped with, set by the test."""

    def __init__(self) -> None:
        self.value = "2026-11-02T12:00:00.000Z"

    def __call__(self) -> str:
        return self.value


@dataclass
class Mission:
    """A notebook with entries of every sort the report must place."""

    nb: Notebook
    clock: Clock
    entries: dict[str, Entry]
    comments: dict[str, str]  # marker → comment id
    marc: str
    sophie: str


def build_mission(notebook: Notebook) -> Mission:
    clock = Clock()
    helene = notebook.me
    assert helene is not None
    marc = notebook.add_participant("Marc Tremblay", "marc@example.org", "CSSS de Québec").id
    sophie = notebook.add_participant("Sophie Gagnon", "sophie@example.org", "Ministère").id
    notebook.me = helene
    entries: dict[str, Entry] = {}
    comments: dict[str, str] = {}

    def at(day: str) -> None:
        clock.value = f"2026-11-{day}T12:00:00.000Z"

    with notebook.acting_as(helene, clock):
        at("02")
        entries["multi"] = notebook.add_entry(
            "practice",
            "Contrats enfance-jeunesse",
            "La CAF co-finance des **contrats** avec les communes.",
            objectives=[1, 3],
            tags=["CAF", "parentalité"],
        )
        entries["research"] = notebook.add_entry(
            "research",
            "Évaluation participative à Rennes",
            "# Contexte\n\nUne équipe de recherche.\n\n```\ncode jamais fermé",
            objectives=[2],
        )
        at("03")
        entries["adopted"] = notebook.add_entry(
            "proposal", "Jumelage CLSC et centres sociaux", "Proposer un jumelage.",
            objectives=[4], status="adopted",
        )  # fmt: skip
        entries["hostile"] = notebook.add_entry("reflection", HOSTILE_TITLE, HOSTILE_BODY)
        entries["archived"] = notebook.add_entry(
            "tool", "Vieil outil archivé", "", objectives=[3], status="archived"
        )
        entries["deleted"] = notebook.add_entry("contact", "Contact supprimé", "", objectives=[2])
        notebook.delete_entry(entries["deleted"].id)
        at("04")
        entries["tool"] = notebook.add_entry(
            "tool", "Grille de diagnostic partagé", "Une grille.", objectives=[3, 2], tags=["CAF"]
        )
        comments["c1"] = notebook.add_comment(entries["multi"].id, "MARK-c1 Très bien.").id
        comments["archived"] = notebook.add_comment(entries["archived"].id, "MARK-archived").id
    with notebook.acting_as(marc, clock):
        at("05")
        comments["c2"] = notebook.add_comment(
            entries["multi"].id, "MARK-c2 D'accord.", parent=comments["c1"]
        ).id
        notebook.set_stance(entries["multi"].id, "agree")
        notebook.set_stance(entries["adopted"].id, "agree")
    with notebook.acting_as(sophie, clock):
        at("06")
        comments["c3"] = notebook.add_comment(
            entries["multi"].id, "MARK-c3 Et moi ?", parent=comments["c2"]
        ).id
        comments["c4"] = notebook.add_comment(entries["multi"].id, "MARK-c4 Autre point.").id
        comments["hostile"] = notebook.add_comment(entries["hostile"].id, HOSTILE_COMMENT).id
        comments["tool"] = notebook.add_comment(entries["tool"].id, "MARK-tool").id
        notebook.set_stance(entries["multi"].id, "question")
        notebook.set_stance(entries["adopted"].id, "disagree")
    return Mission(notebook, clock, entries, comments, marc, sophie)


_built: list[Mission] = []


@pytest.fixture
def mission(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mission]:
    """A copy of the mission notebook, built once per test process (it takes ~20 commits)."""
    if not _built:
        template = Notebook.create(
            tmp_path_factory.mktemp("mission") / "carnet",
            title="Carnet de mission", name=TEST_NAME, email=TEST_EMAIL, organisation="INSPQ",
        )  # fmt: skip
        _built.append(build_mission(template))
        template.close()  # its actions' index updates done: the copy meets no index lock
    built = _built[0]
    root = tmp_path / "carnet"
    shutil.copytree(built.nb.root, root, symlinks=True)
    with Notebook(root) as nb:
        yield Mission(nb, Clock(), built.entries, built.comments, built.marc, built.sophie)


def sections(markdown: str) -> dict[str, str]:
    """The Markdown report cut at its second-level headings: ``{heading: text}``."""
    parts = markdown.split("\n## ")
    return {part.split("\n", 1)[0]: part for part in parts[1:]}


SHOWN = ("multi", "research", "adopted", "hostile", "tool")
HOMES = {
    "multi": "Objectif 1",
    "research": "Objectif 2",
    "tool": "Objectif 2",
    "adopted": "Objectif 4",
    "hostile": "Sans objectif",
}
COMMENT_HOMES = {
    "c1": "Objectif 1",
    "c2": "Objectif 1",
    "c3": "Objectif 1",
    "c4": "Objectif 1",
    "tool": "Objectif 2",
}


# --- placement ------------------------------------------------------------------------------


def test_model_holds_every_entry_and_comment_once_under_its_first_objective(
    mission: Mission,
) -> None:
    report = build_report(mission.nb)
    placed: list[tuple[str, str]] = []
    for section in report.sections:
        for group in section.groups:
            assert all(e.kind == group.kind for e in group.entries)
            placed.extend((section.anchor, e.id) for e in group.entries)
    ids = {key: e.id for key, e in mission.entries.items()}
    assert sorted(i for _, i in placed) == sorted(ids[k] for k in SHOWN)
    where = dict((i, s) for s, i in placed)
    assert where[ids["multi"]] == "objective-1"
    assert where[ids["tool"]] == "objective-2"
    assert where[ids["hostile"]] == "no-objective"

    def walk(items: tuple[RComment, ...]) -> Iterator[str]:
        for item in items:
            yield item.id
            yield from walk(item.replies)

    seen = [c for entry in report.entries() for c in walk(entry.comments)]
    expected = [v for k, v in mission.comments.items() if k != "archived"]
    assert sorted(seen) == sorted(expected)
    # Replies are nested under the comment they answer.
    multi = next(e for e in report.entries() if e.id == ids["multi"])
    assert [c.id for c in multi.comments] == [mission.comments["c1"], mission.comments["c4"]]
    assert multi.comments[0].replies[0].id == mission.comments["c2"]
    assert multi.comments[0].replies[0].replies[0].id == mission.comments["c3"]
    # The other objectives point back to where an entry is written out.
    see_also = {s.anchor: [(r.entry.id, r.home) for r in s.see_also] for s in report.sections}
    assert see_also["objective-3"] == [(ids["multi"], 1), (ids["tool"], 2)]
    assert see_also["objective-1"] == see_also["objective-2"] == []


def test_markdown_places_each_entry_and_comment_once_in_its_section(mission: Mission) -> None:
    text = render(mission.nb)
    parts = sections(text)
    for key in SHOWN:
        needle = "#### " + md_text(mission.entries[key].title) + "\n"
        assert text.count(needle) == 1, key
        home = next(h for h in parts if h.startswith(HOMES[key]))
        assert needle in parts[home], key
    assert "#### \\<script\\>alert('titre')\\</script\\> \\# pas un titre\n" in text
    for marker, home_name in COMMENT_HOMES.items():
        assert text.count(f"MARK-{marker}") == 1, marker
        home = next(h for h in parts if h.startswith(home_name))
        assert f"MARK-{marker}" in parts[home]
    assert text.count("MARK-hostile") == 1
    assert "Vieil outil archivé" not in text and "MARK-archived" not in text
    assert "Contact supprimé" not in text
    objective_3 = next(v for h, v in parts.items() if h.startswith("Objectif 3"))
    assert "### Voir aussi" in objective_3
    assert "**Contrats enfance-jeunesse** (sous l’objectif 1)" in objective_3
    assert "sous l’objectif 1" in objective_3 and "sous l’objectif 2" in objective_3


def test_markdown_title_page_stances_and_adopted_section(mission: Mission) -> None:
    text = render(mission.nb)
    head = text.split("\n## ")[0]
    assert head.startswith("# Carnet de mission\n")
    assert "du 2 novembre 2026 au 6 novembre 2026" in head
    assert "5 entrées · 6 commentaires" in head
    people = sections(text)["Participants"]
    assert "- **Hélène Côté**, INSPQ" in people
    assert "- **Marc Tremblay**, CSSS de Québec" in people
    objective_1 = next(v for h, v in sections(text).items() if h.startswith("Objectif 1"))
    assert "### Pratique observée" in objective_1
    assert typeset_french("- D'accord : Marc Tremblay (CSSS de Québec)") in objective_1
    assert typeset_french("- Question : Sophie Gagnon (Ministère)") in objective_1
    assert typeset_french("Mots-clés : `CAF`, `parentalité`") in objective_1
    assert "objectifs 1, 3" in objective_1
    adopted = sections(text)["Pistes retenues"]
    assert "**Jumelage CLSC et centres sociaux** — Piste de collaboration" in adopted
    assert typeset_french("d'accord : 1, en désaccord : 1") in adopted
    assert text.index("## Pistes retenues") > text.index("## Sans objectif")


def test_markdown_structure_survives_hostile_text(mission: Mission) -> None:
    """Titles, comments and bodies cannot add headings, open fences or raw HTML."""
    text = render(mission.nb)
    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    headings = [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert [c for tag, c in headings if tag == "h1"] == ["Carnet de mission"]
    assert [c.split(" —")[0] for tag, c in headings if tag == "h2"] == [
        "Participants", "Objectif 1", "Objectif 2", "Objectif 3", "Objectif 4",
        "Sans objectif", "Pistes retenues", "Décisions", "Désaccords ouverts",
    ]  # fmt: skip
    h4 = [c for tag, c in headings if tag == "h4"]
    assert len(h4) == len(SHOWN)
    assert ("h5", "Contexte") in headings  # the body's own heading, under its entry
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    assert not [t for t in tokens for c in t.children or [] if c.type == "html_inline"]
    # The unclosed fence of one body does not swallow the entries after it.
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.content for f in fences] == ["code jamais fermé\n"]
    # Every comment is inside a quote: none became a heading or a list of the report.
    assert "\\# titre" in text and "\\- liste" in text


def test_comment_lines_cannot_open_blocks() -> None:
    hostile = "# titre\n- liste\n1. un\n```\n> cité\n===\n    code\n| a | b |\n[x]: http://y"
    lines = markdown_comment(RComment("C", RPerson("# Ève", "<b>Org</b>"), "1er mai", hostile), 1)
    tokens = MarkdownIt("commonmark", {"html": True}).parse("\n".join(lines))
    kinds = {t.type for t in tokens}
    assert kinds == {"blockquote_open", "blockquote_close", "paragraph_open", "inline",
                     "paragraph_close"}  # fmt: skip
    rendered = MarkdownIt("commonmark", {"html": True}).render("\n".join(lines))
    for line in ("# titre", "- liste", "1. un", "```", "&gt; cité", "===", "[x]: http://y"):
        assert line in rendered


def test_body_rewrites_are_contained() -> None:
    assert md_body("Titre\n=====\n\ntexte", 4) == "##### Titre\n\ntexte"
    assert md_body("## Sous-titre", 4) == "###### Sous-titre"
    assert md_body("~~~~\nouvert", 4) == "~~~~\nouvert\n~~~~"
    assert md_body("```\n<b>code</b>\n```", 4) == "```\n<b>code</b>\n```"
    assert md_body("a `<b>` et <https://x.org> et <i>", 4) == "a `<b>` et <https://x.org> et \\<i>"
    assert md_body("Simple texte, sans rien.", 4) == "Simple texte, sans rien."


# --- HTML -----------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


class Checker(HTMLParser):
    """Records tags and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(page: str) -> Checker:
    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    return checker


def test_html_is_well_formed_and_runs_nothing(mission: Mission) -> None:
    page = render(mission.nb, fmt="html")
    checker = check_html(page)
    assert "<script" not in page.lower()
    assert "script" not in checker.tags and "img" not in checker.tags
    assert not [a for a, _ in checker.attrs if a.startswith("on")]
    assert not [v for a, v in checker.attrs if v and v.lower().startswith("javascript")]
    assert not [v for a, v in checker.attrs if a == "src"]  # nothing is fetched
    text = "".join(checker.text)
    # The participants' words are all there, shown as text.
    assert HOSTILE_TITLE in text
    assert "<script>alert('commentaire')</script> MARK-hostile" in text
    assert "<script>alert('corps')</script>" in text
    assert "Content-Security-Policy" in page and "@media print" in page


def test_html_holds_the_same_content_as_markdown(mission: Mission) -> None:
    page = render(mission.nb, fmt="html")
    checker = check_html(page)
    text = "".join(checker.text)
    for key in SHOWN:
        assert page.count(f'id="e-{mission.entries[key].id}"') == 1
    for marker in COMMENT_HOMES:
        assert text.count(f"MARK-{marker}") == 1
    period = "Du 2 novembre 2026 au 6 novembre 2026"
    for words in ("Pistes retenues", "Sans objectif", "Voir aussi", "Pratique observée",
                  "Marc Tremblay", "CSSS de Québec", period):  # fmt: skip
        assert words in text
    section_1 = page[page.index('id="objective-1"') : page.index('id="objective-2"')]
    assert "MARK-c3" in section_1


def test_html_body_links_images_and_refuses_scripts() -> None:
    out = html_body("# T\n\n![carte](https://example.org/c.png) [x](javascript:alert(1))", 4)
    assert "<h5>T</h5>" in out
    assert '<a href="https://example.org/c.png">carte</a>' in out
    assert "<img" not in out and 'href="javascript' not in out


# --- stability, filters, language, dates, conflicts ---------------------------------------------


def test_markdown_is_stable(mission: Mission) -> None:
    first = render(mission.nb)
    assert render(mission.nb) == first
    with Notebook(mission.nb.root) as again:
        assert render(again) == first
        assert render(again, fmt="html") == render(mission.nb, fmt="html")


def titles(text: str) -> set[str]:
    return {line[5:] for line in text.splitlines() if line.startswith("#### ")}


def test_filters(mission: Mission) -> None:
    nb, entries = mission.nb, mission.entries
    by_kind = render(nb, criteria=EntryFilter(kind="tool"))
    assert titles(by_kind) == {"Grille de diagnostic partagé"}
    assert typeset_french("Sélection : Outil de collaboration") in by_kind
    assert titles(render(nb, criteria=EntryFilter(status="archived"))) == {"Vieil outil archivé"}
    assert titles(render(nb, criteria=EntryFilter(tag="CAF"))) == {
        "Contrats enfance-jeunesse",
        "Grille de diagnostic partagé",
    }
    objective_3 = render(nb, criteria=EntryFilter(objective=3))
    assert [h for h in sections(objective_3) if h.startswith("Objectif")] == [
        typeset_french(
            "Objectif 3 — Collaboration intersectorielle : "
            "modes de collaboration et outils concrets"
        )
    ]
    assert titles(objective_3) == {"Contrats enfance-jeunesse", "Grille de diagnostic partagé"}
    assert "Voir aussi" not in objective_3
    since = render(nb, since="2026-11-04")
    assert titles(since) == {"Grille de diagnostic partagé"}
    assert "depuis le 4 novembre 2026" in since
    everything = render(nb, include_all=True)
    assert {"Vieil outil archivé", "Contact supprimé"} <= titles(everything)
    assert "MARK-archived" in everything and "supprimée" in everything
    assert titles(render(nb, criteria=EntryFilter(search="rennes"))) == {entries["research"].title}
    nothing = render(nb, criteria=EntryFilter(kind="contact"))
    assert titles(nothing) == set() and "Aucune entrée pour cet objectif." in nothing
    check_html(render(nb, fmt="html", criteria=EntryFilter(kind="contact")))


def test_bad_format_or_date_say_what_to_do(mission: Mission) -> None:
    with pytest.raises(InvalidInputError, match="md, html"):
        render(mission.nb, fmt="pdf")
    with pytest.raises(InvalidInputError, match="AAAA-MM-JJ"):
        render(mission.nb, since="hier")


def test_english_notebook_gets_english_labels(tmp_path: Path) -> None:
    nb = Notebook.create(
        tmp_path / "nb", title="Mission", name="Ann Lee", email="ann@example.org", language="en"
    )
    with nb.acting_as(nb.me or "", lambda: "2026-11-27T12:00:00.000Z"):
        entry = nb.add_entry("practice", "Family centres", "Text.", objectives=[1])
        nb.set_stance(entry.id, "agree")
    assert current_language() == "fr"
    text = render(nb)
    assert current_language() == "fr"  # the caller's language is given back
    for words in ("**Synthesis report** · on 27 November 2026", "### Observed practice",
                  "## Objective 1 — French practices", "## Adopted avenues", "- Agree: Ann Lee",
                  "No avenue has been adopted yet.", "1 entry · 0 comments"):  # fmt: skip
        assert words in text
    assert "Pratique" not in text and "novembre" not in text
    assert '<html lang="en">' in render(nb, fmt="html")
    nb.close()


def test_french_labels_even_when_the_caller_speaks_english(mission: Mission) -> None:
    set_language("en")
    text = render(mission.nb)
    assert current_language() == "en"
    assert "### Pratique observée" in text and "Observed practice" not in text


@pytest.fixture
def montreal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/Montreal")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_dates_are_local_days_written_out(montreal: None, notebook: Notebook) -> None:
    with notebook.acting_as(notebook.me or "", lambda: "2026-11-28T02:30:00.000Z"):
        late = notebook.add_entry("reflection", "Tard le soir", "", objectives=[1])
    with notebook.acting_as(notebook.me or "", lambda: "2026-12-01T15:00:00.000Z"):
        notebook.add_comment(late.id, "Premier décembre")
    text = render(notebook)
    # 02:30 UTC on the 28th is still the evening of the 27th in Montréal.
    assert "*Hélène Côté (INSPQ) · 27 novembre 2026 · ouvert" in text
    assert "1er décembre 2026" in text
    assert "du 27 novembre 2026 au 1er décembre 2026" in text
    assert titles(render(notebook, since="2026-11-27")) == {"Tard le soir"}
    assert titles(render(notebook, since="2026-11-28")) == set()


def put_conflicts(mission: Mission, values: dict[str, str]) -> None:
    """Give the research entry conflicts by Marc on ``values``' fields, as a merge would (here,
    straight into the file)."""
    entry = mission.entries["research"]
    path = mission.nb.root / document_path("entries", entry.id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["conflicts"] = [
        {"field": field, "value": value, "author": mission.marc,
         "updated": "2026-11-05T10:00:00.000Z", "base": getattr(entry, field)}
        for field, value in values.items()
    ]  # fmt: skip
    path.write_bytes(canonical_bytes(document))
    mission.nb.reload()


def test_unresolved_conflicts_are_flagged(mission: Mission) -> None:
    """A conflict written by a merge (here, straight into the file) shows in the report."""
    nb = mission.nb
    put_conflicts(mission, {"title": "Évaluation à Rennes (version de Marc)",
                            "body": "Autre texte"})  # fmt: skip
    text = render(nb)
    assert "1 entrée à résoudre" in text
    assert (
        typeset_french(
            "> **⚠ À résoudre** : le champ « titre » a été modifié à deux endroits ; "
            "l’autre valeur, de Marc Tremblay (CSSS de Québec) le 5 novembre 2026, "
            "est « Évaluation à Rennes (version de Marc) »"
        )
        in text
    )
    assert "l’autre version, de Marc Tremblay (CSSS de Québec) le 5 novembre 2026, est " in text
    page = render(nb, fmt="html")
    assert page.count('class="conflict"') == 2 and "⚠ à résoudre</span>" in page
    check_html(page)


def test_every_message_has_a_french_translation() -> None:
    store = Path(__file__).parents[1] / "store"
    # The report's own messages, and those of the group's synthesis it shows.
    catalog = "\n".join(
        (store / "locale" / "fr" / name).read_text(encoding="utf-8")
        for name in ("export.po", "sections.po")
    )
    messages, plurals = parse_po(catalog)
    modules = sorted((store / "report").glob("*.py"))
    assert len(modules) > 1
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id == "_":
                    assert messages.get(node.args[0].value), node.args[0].value  # type: ignore[attr-defined]
                elif node.func.id == "ngettext":
                    assert plurals.get(node.args[0].value), node.args[0].value  # type: ignore[attr-defined]


def test_demo_notebook_report_is_complete_and_safe(tmp_path: Path) -> None:
    """The report of the demo notebook holds each of its entries and comments exactly once."""
    from store.demo import build_demo

    with Notebook(build_demo(tmp_path / "demo")) as nb:
        # The group's sections are the report's own chapters, not entries in it.
        shown = [e for e in nb.entries() if e.status != "archived" and e.kind != "section"]
        comments = [c.id for e in shown for c in nb.comments(e.id)]
        report = build_report(nb)
        assert sorted(e.id for e in report.entries()) == sorted(e.id for e in shown)

        def walk(items: tuple[RComment, ...]) -> Iterator[str]:
            for item in items:
                yield item.id
                yield from walk(item.replies)

        assert sorted(c for e in report.entries() for c in walk(e.comments)) == sorted(comments)
        page = render(nb, fmt="html")
        check_html(page)
        assert "<script" not in page.lower()
        for entry in shown:
            assert page.count(f'id="e-{entry.id}"') == 1
        for comment in comments:
            assert page.count(f'id="c-{comment}"') == 1
        text = render(nb)
        tokens = MarkdownIt("commonmark").parse(text)
        h4 = [t for t in tokens if t.type == "heading_open" and t.tag == "h4"]
        assert len(h4) == len(shown)
        assert render(nb) == text


# --- the group's synthesis, its decisions and its disagreements -----------------------------


def test_the_group_sections_sit_where_the_mission_report_had_them(notebook: Notebook) -> None:
    """The introduction opens the report, each objective's "ce que nous retenons" ends its
    chapter, the general conclusion closes it; the sections are not listed as entries."""
    notebook.add_entry("practice", "Contrats enfance-jeunesse", "Un contrat.", objectives=[1])
    notebook.edit_section("conclusion", "MARK-conclusion Quelles conclusions tirer ?")
    notebook.edit_section("objective-1", "MARK-retenu-1 Les pratiques nous inspirent.")
    notebook.edit_section("introduction", "MARK-intro En avril 2005, une invitation.")
    text = render(notebook)
    parts = sections(text)
    headings = list(parts)
    assert headings[0] == "Introduction" and "MARK-intro" in parts["Introduction"]
    assert headings[-1] == "Conclusion" and "MARK-conclusion" in parts["Conclusion"]
    objective_1 = next(v for h, v in parts.items() if h.startswith("Objectif 1"))
    assert objective_1.index("#### Contrats") < objective_1.index("### Ce que nous retenons")
    assert objective_1.rstrip().endswith("MARK-retenu-1 Les pratiques nous inspirent.")
    objective_2 = next(v for h, v in parts.items() if h.startswith("Objectif 2"))
    assert "Ce que nous retenons" not in objective_2
    for marker in ("MARK-intro", "MARK-retenu-1", "MARK-conclusion"):
        assert text.count(marker) == 1
    assert "Synthèse du groupe" not in text and "1 entrée" in text
    report = build_report(notebook)
    assert [e.title for e in report.entries()] == ["Contrats enfance-jeunesse"]

    page = render(notebook, fmt="html")
    check_html(page)
    order = [page.index(f'id="{anchor}"') for anchor in (
        "introduction", "participants", "objective-1", "retained-1", "objective-2", "adopted",
        "decisions", "disagreements", "conclusion",
    )]  # fmt: skip
    assert order == sorted(order)
    assert page.count("MARK-intro") == 1 and '<a href="#conclusion">Conclusion</a>' in page


def test_a_section_nobody_wrote_leaves_no_heading(notebook: Notebook) -> None:
    notebook.edit_section("objective-2", "Les travaux de recherche.")
    text = render(notebook)
    assert "## Introduction" not in text and "## Conclusion" not in text
    assert text.count("### Ce que nous retenons") == 1


def test_the_decisions_chapter_tells_each_question_and_its_outcome(notebook: Notebook) -> None:
    later = (date.today() + timedelta(days=10)).isoformat()
    marc = notebook.add_participant("Marc Tremblay", "marc@example.org", "CSSS de Québec").id
    notebook.me = "helene-cote"
    kept = notebook.add_entry("proposal", "Un centre de liaison", objectives=[4])
    dropped = notebook.add_entry("proposal", "Un colloque annuel", objectives=[4])
    waiting = notebook.add_entry("proposal", "Des stages croisés", objectives=[4])
    for entry in (kept, dropped, waiting):
        notebook.open_decision(entry.id, later, f"Faut-il retenir « {entry.title} » ?")
    notebook.set_stance(kept.id, "agree")
    notebook.set_stance(waiting.id, "question")
    with notebook.acting_as(marc):
        notebook.set_stance(kept.id, "agree")
        notebook.set_stance(dropped.id, "block")
    notebook.close_decision(kept.id, "Nous créons le centre avec la CAF.", "adopted")
    notebook.close_decision(dropped.id, "Trop coûteux.", "archived")
    text = render(notebook)
    chapter = sections(text)["Décisions"]
    assert chapter.count("\n- **") == 3
    line = next(row for row in chapter.split("\n- ") if "centre de liaison" in row)
    assert typeset_french("Faut-il retenir « Un centre de liaison » ?") in line
    assert "close le" in line and "par Hélène Côté (INSPQ)" in line
    assert typeset_french("Retenu · d'accord : 2") in line
    assert typeset_french("issue : Nous créons le centre avec la CAF.") in line
    # Archived by its decision, the entry leaves the chapters, but its decision is reported.
    assert "#### Un colloque annuel" not in text
    colloque = next(row for row in chapter.split("\n- ") if "colloque" in row)
    assert (
        typeset_french("Archivé · opposition bloquante : 1") in colloque
        and "Trop coûteux." in colloque
    )
    stages = next(row for row in chapter.split("\n- ") if "stages" in row)
    assert "ouverte jusqu’au" in stages and typeset_french("Question : 1") in stages
    page = render(notebook, fmt="html")
    check_html(page)
    assert f'<a href="#e-{kept.id}"><strong>Un centre de liaison</strong></a>' in page
    assert f'href="#e-{dropped.id}"' not in page  # not written out: nothing to link to


def test_open_disagreements_gather_dissent_and_conflicts(mission: Mission) -> None:
    """In the mission, Sophie disagrees with the adopted avenue; a conflict makes another one."""
    nb = mission.nb
    put_conflicts(mission, {"title": "Évaluation (version de Marc)"})
    report = build_report(nb)
    assert [e.id for e in report.disagreements] == [
        mission.entries[k].id for k in ("research", "adopted")
    ]
    chapter = sections(render(nb))["Désaccords ouverts"]
    assert "**Jumelage CLSC et centres sociaux** — Piste de collaboration" in chapter
    assert typeset_french("En désaccord : Sophie Gagnon") in chapter
    assert "1 modification à résoudre" in chapter
    assert "Contrats enfance-jeunesse" not in chapter  # agree and question only


def test_no_technical_id_in_the_running_text(mission: Mission) -> None:
    """Bug: the report printed each entry's short id ("réf. 5FA2") in its text; anchors may
    keep ids, what a reader reads may not."""
    nb = mission.nb
    ids = [e.id for e in nb.entries()] + [c.id for e in nb.entries() for c in nb.comments(e.id)]
    shorts = [nb.short_id(i) for i in ids]
    text = render(nb)
    assert "réf." not in text
    for value in (*ids, *shorts):
        assert value not in text
    page = render(nb, fmt="html")
    read = "".join(check_html(page).text)
    assert "réf." not in read
    for value in (*ids, *shorts):
        assert value not in read
