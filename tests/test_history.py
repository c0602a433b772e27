"""An entry's history you can read, and restore: real notebooks, real clones, the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clitools import carnet
from conftest import TEST_NAME
from synctools import shared_notebook

from store import Notebook
from store.errors import InvalidInputError
from store.git.program import run_git
from store.history import ADDED, EQUAL, REMOVED, Segment, word_diff
from store.sync import sync


def commits(notebook: Notebook) -> list[str]:
    return run_git(notebook.root, "rev-list", "HEAD").split()


def test_a_word_diff_says_which_words_went_and_came() -> None:
    segments = word_diff("La maison des familles de Grenoble", "La maison des parents de Lyon")
    assert segments == (
        Segment(EQUAL, "La maison des "),
        Segment(REMOVED, "familles"),
        Segment(ADDED, "parents"),
        Segment(EQUAL, " de "),
        Segment(REMOVED, "Grenoble"),
        Segment(ADDED, "Lyon"),
    )
    # The equal and added runs together are the new text, spaces and newlines included.
    after = "une ligne\n\net une autre,  espacée"
    assert "".join(s.text for s in word_diff("une ligne", after) if s.kind != REMOVED) == after


def test_each_change_says_who_when_and_what_field_by_field(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Un lieu ouvert aux parents.")
    notebook.edit_entry(entry.id, title="Maison des familles de Grenoble", status="discuss")
    notebook.add_entry("tool", "Une autre entrée")  # not in this entry's history
    changes = notebook.changes(entry.id[-4:])
    assert [c.commit for c in changes] == [h.commit for h in notebook.history(entry.id)]
    edit, creation = changes
    assert edit.author == TEST_NAME and edit.participant == notebook.me
    assert edit.time == notebook.history(entry.id)[0].time
    assert [f.field for f in edit.fields] == ["title", "status"]
    title = edit.fields[0]
    assert (title.before, title.after) == ("Maison des familles", "Maison des familles de Grenoble")
    assert title.words == (Segment(EQUAL, "Maison des familles"), Segment(ADDED, " de Grenoble"))
    assert edit.fields[1].words == ()  # a status is no text
    # A new entry's changes are its fields that have a value.
    assert [f.field for f in creation.fields] == ["kind", "title", "body", "status"]
    assert creation.fields[2].words == (Segment(ADDED, "Un lieu ouvert aux parents."),)


def test_the_author_is_the_participant_whose_email_made_the_commit(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    claire.edit_entry(entry.id, body="Visitée le 12 septembre.")
    sync(claire)
    sync(alain)
    authors = [(c.author, c.participant) for c in alain.changes(entry.id)]
    assert authors[0] == ("Claire Dubois", "claire-dubois")
    assert authors[-1] == ("Alain Martin", "alain-martin")


def test_fifty_changes_are_read_in_a_few_git_processes(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = notebook.add_entry("practice", "Version 0")
    for number in range(1, 50):
        notebook.edit_entry(entry.id, title=f"Version {number}")
    started: list[Any] = []
    real_run = subprocess.run

    def counted(*args: Any, **kwargs: Any) -> Any:
        started.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    changes = notebook.changes(entry.id)
    assert len(changes) == 50
    assert all(c.fields for c in changes)
    assert len(started) <= 3, started


def test_restore_makes_an_earlier_version_a_new_edit(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Premier texte.", tags=["lieu"])
    first = notebook.history(entry.id)[0].commit
    notebook.edit_entry(entry.id, title="Autre titre", body="Second texte.", tags=["autre"])
    before = commits(notebook)
    restored = notebook.restore(entry.id, first[:7])  # abbreviated, as git allows
    assert (restored.title, restored.body, restored.tags) == (
        "Maison des familles", "Premier texte.", ("lieu",)
    )  # fmt: skip
    assert notebook.entry(entry.id).title == "Maison des familles"
    # One new commit on top: nothing rewritten.
    assert commits(notebook)[1:] == before
    latest = notebook.changes(entry.id)[0]
    assert latest.message.startswith("Restauration")
    assert {f.field for f in latest.fields} == {"title", "body", "tags"}


def test_a_version_not_in_the_entry_history_is_refused_in_one_line(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    other = notebook.add_entry("tool", "Une autre entrée")
    before = commits(notebook)
    for version in (notebook.history(other.id)[0].commit, "0000000", "zz", "ab"):
        with pytest.raises(InvalidInputError) as refused:
            notebook.restore(entry.id, version)
        assert "\n" not in str(refused.value) and "historique" in str(refused.value)
    assert commits(notebook) == before


def test_a_deleted_entry_comes_back_from_its_version_before_the_deletion(
    notebook: Notebook,
) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Le texte.")
    notebook.delete_entry(entry.id)
    deletion, before_deletion = notebook.changes(entry.id)
    assert [(f.field, f.after) for f in deletion.fields] == [("deleted", True)]
    assert entry.id not in {e.id for e in notebook.entries()}
    restored = notebook.restore(entry.id, before_deletion.commit)
    assert not restored.deleted and restored.body == "Le texte."
    assert entry.id in {e.id for e in notebook.entries()}


def test_a_restore_made_on_one_clone_merges_on_the_other(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", "Premier texte.")
    first = alain.history(entry.id)[0].commit
    alain.edit_entry(entry.id, title="Un titre de trop", body="Un texte remplacé.")
    sync(alain)
    sync(claire)
    # Offline, Claire tags the entry while Alain restores its first version.
    claire.edit_entry(entry.id, tags=["grenoble"])
    alain.restore(entry.id, first)
    sync(alain)
    sync(claire)
    sync(alain)
    for clone in (alain, claire):
        merged = clone.entry(entry.id)
        assert (merged.title, merged.body, merged.tags) == (
            "Maison des familles", "Premier texte.", ("grenoble",)
        )  # fmt: skip
        assert not merged.conflicts
    assert any(c.message.startswith("Restauration") for c in claire.changes(entry.id))


def test_carnet_history_and_restore(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Un lieu ouvert.")
    notebook.edit_entry(entry.id, body="Un lieu ouvert aux parents.")
    short = notebook.short_id(entry.id)
    shown = carnet("history", short, "--json", cwd=notebook.root)
    assert shown.returncode == 0, shown.stderr
    changes = json.loads(shown.stdout)
    assert changes[0]["fields"] == ["body"] and changes[0]["author"] == TEST_NAME
    assert {"commit", "participant", "time", "message", "changes"} <= set(changes[0])
    assert changes[0]["changes"]["body"]["after"] == "Un lieu ouvert aux parents."
    text = carnet("history", short, cwd=notebook.root)
    assert text.returncode == 0
    assert changes[0]["commit"][:8] in text.stdout
    assert "texte : Un lieu [-ouvert.-]{+ouvert aux parents.+}" in text.stdout
    refused = carnet("restore", short, "--version", "feedface", cwd=notebook.root)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    done = carnet("restore", short, "--version", changes[1]["commit"][:7], cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    assert Notebook(notebook.root).entry(entry.id).body == "Un lieu ouvert."
