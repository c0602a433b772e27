"""Links between entries: ``[[Titre]]`` or ``[[#ABCD]]`` in a body or a comment, resolved by
title (accents and case ignored) or short id, with the backlinks (« cité par »)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from clitools import carnet
from markdown_it import MarkdownIt
from synctools import shared_notebook

from store import Notebook
from store.links import completions, references
from store.sync import sync


def test_references_are_found_in_plain_text() -> None:
    text = "Voir [[Maison des familles]] et [[#AB12]]; pas [[ici\n]] ni [crochet]."
    assert [said for said, _start, _end in references(text)] == ["Maison des familles", "#AB12"]
    assert references("aucun lien") == []


def test_links_resolve_by_title_and_by_short_id(notebook: Notebook) -> None:
    maison = notebook.add_entry("practice", "Maison des Familles")
    charte = notebook.add_entry("tool", "Charte de quartier")
    text = f"Comme à la [[maison des familles]], voir [[#{notebook.short_id(charte.id)}]]."
    assert [link.target for link in notebook.links(text)] == [maison.id, charte.id]
    proposal = notebook.add_entry("proposal", "Une piste", text)
    notebook.add_comment(charte.id, "Lire aussi [[Une piste]]")

    assert notebook.cited(proposal.id) == [maison.id, charte.id]
    assert notebook.cited_by(maison.id) == [proposal.id]
    assert notebook.cited_by(charte.id) == [proposal.id]
    assert notebook.cited_by(proposal.id) == [charte.id]


def test_accents_are_ignored_and_unknown_links_are_none(notebook: Notebook) -> None:
    entry = notebook.add_entry("research", "Évaluation des projets")
    links = notebook.links("[[evaluation des projets]] [[Inconnue]] [[#ZZZZ]]")
    assert [link.target for link in links] == [entry.id, None, None]


def test_a_withdrawn_comment_cites_nothing(notebook: Notebook) -> None:
    target = notebook.add_entry("practice", "Maison des familles")
    other = notebook.add_entry("practice", "Autre")
    comment = notebook.add_comment(other.id, "Voir [[Maison des familles]]")
    assert notebook.cited_by(target.id) == [other.id]
    notebook.withdraw_comment(comment.id)
    assert notebook.cited_by(target.id) == []


def test_completions_offer_titles_accents_ignored(notebook: Notebook) -> None:
    notebook.add_entry("research", "Évaluation des projets")
    notebook.add_entry("tool", "Grille d'évaluation")
    gone = notebook.add_entry("tool", "Évaluer vite")
    notebook.delete_entry(gone.id)
    entries = notebook.entries()
    assert completions("eval", entries) == ["Évaluation des projets", "Grille d'évaluation"]


def test_show_json_gives_links_and_backlinks_and_a_deleted_one(notebook: Notebook) -> None:
    maison = notebook.add_entry("practice", "Maison des familles")
    gone = notebook.add_entry("practice", "Projet abandonné")
    proposal = notebook.add_entry(
        "proposal", "Une piste", "[[Maison des familles]] [[Projet abandonné]] [[Rien]]"
    )
    notebook.delete_entry(gone.id)

    done = carnet("show", notebook.short_id(proposal.id), "--json", cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(link["id"], link["deleted"]) for link in data["links"]] == [
        (maison.id, False),
        (gone.id, True),
    ]
    assert data["backlinks"] == []
    done = carnet("show", notebook.short_id(maison.id), "--json", cwd=notebook.root)
    assert [link["id"] for link in json.loads(done.stdout)["backlinks"]] == [proposal.id]
    done = carnet("show", notebook.short_id(proposal.id), cwd=notebook.root)
    assert done.returncode == 0 and "entrée introuvable" in done.stdout


def test_links_and_backlinks_cross_clones(tmp_path: Path) -> None:
    """Alain links his proposal to Claire's practice, Claire's comment links back to it."""
    alain, claire = shared_notebook(tmp_path, 2)
    practice = claire.add_entry("practice", "Café des parents")
    sync(claire), sync(alain)
    proposal = alain.add_entry("proposal", "Un café à Montréal", "D'après [[café des parents]]")
    sync(alain), sync(claire)
    claire.add_comment(practice.id, f"Suite : [[#{claire.short_id(proposal.id)}]]")
    sync(claire), sync(alain)

    for clone in (alain, claire):
        assert clone.cited(proposal.id) == [practice.id]
        assert clone.cited_by(practice.id) == [proposal.id]
        assert clone.cited_by(proposal.id) == [practice.id]


def test_the_export_turns_links_into_links_inside_the_document(notebook: Notebook) -> None:
    from store.report import render

    maison = notebook.add_entry("practice", "Maison des familles")
    gone = notebook.add_entry("practice", "Projet abandonné")
    proposal = notebook.add_entry(
        "proposal", "Une piste", "D'après [[maison des familles]] et [[Projet abandonné]]."
    )
    notebook.add_comment(proposal.id, "Et [[#" + notebook.short_id(maison.id) + "]] <b>!</b>")
    notebook.delete_entry(gone.id)

    page = render(notebook, fmt="html")
    assert page.count(f'<a href="#e-{maison.id}">Maison des familles</a>') == 2
    assert f'id="e-{maison.id}"' in page
    assert "Projet abandonné (entrée introuvable)" in page and "<b>!</b>" not in page
    text = render(notebook, fmt="md")
    assert text.count("[Maison des familles](#maison-des-familles)") == 2
    assert "#### Maison des familles" in text
    assert "Projet abandonné (entrée introuvable)" in text


def test_a_link_in_the_export_is_never_a_participants_address(notebook: Notebook) -> None:
    """A title that looks like Markdown or HTML stays text inside the link it becomes."""
    from store.report import render

    notebook.add_entry("practice", "Piège](javascript:alert(1)) <script>")
    notebook.add_entry("proposal", "Une piste", "Voir [[Piège](javascript:alert(1)) <script>]].")
    page = render(notebook, fmt="html")
    assert "<script>" not in page
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))
    tokens = MarkdownIt("commonmark").parse(render(notebook, fmt="md"))
    hrefs = [
        str(child.attrs["href"])
        for token in tokens
        for child in token.children or []
        if child.type == "link_open"
    ]
    assert all(href.startswith("#") for href in hrefs)
