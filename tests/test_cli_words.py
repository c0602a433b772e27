"""The command line takes the French words it prints, and says what it did in plain French."""

from __future__ import annotations

from pathlib import Path

import pytest
from clitools import carnet
from synctools import shared_notebook

from store.notebook import Notebook
from store.sync import sync


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    done = carnet("init", "carnet", "--title", "Mission 2005", "--org", "INSPQ", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "carnet"


def _ok(*args: str, cwd: Path) -> str:
    done = carnet(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_kinds_statuses_and_stances_in_french_words(folder: Path) -> None:
    short = _ok("add", "--kind", "pratique", "--title", "Un LAEP", "--status", "À discuter",
                cwd=folder).strip()  # fmt: skip
    with Notebook(folder) as notebook:
        entry = notebook.entry(short)
        assert (entry.kind, entry.status) == ("practice", "discuss")
    assert "Un LAEP" in _ok("list", "--status", "a discuter", "--kind", "Pratique observée",
                            cwd=folder)  # fmt: skip
    _ok("edit", short, "--status", "retenu", cwd=folder)
    said = _ok("endorse", short, "--stance", "d’accord", cwd=folder)
    assert said.strip() == "Votre position, « d'accord », sur : Un LAEP"
    with Notebook(folder) as notebook:
        assert notebook.entry(short).status == "adopted"
        assert list(notebook.stances(notebook.entry(short).id).values()) == ["agree"]
    assert _ok("read", short, cwd=folder).strip() == "Marquée comme lue : Un LAEP"
    assert "non lue" in _ok("read", short, "--unread", cwd=folder)
    assert "retirée" in _ok("endorse", short, "--withdraw", cwd=folder)


def test_a_word_that_names_nothing_is_refused_with_the_words_to_use(folder: Path) -> None:
    done = carnet("add", "--kind", "pratique", "--title", "X", "--status", "peut-être",
                  cwd=folder)  # fmt: skip
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "peut-être" in line and "à discuter" in line and "discuss" not in line
    # The beginning of one kind's words names it; of two kinds' (recherche, réflexion), none.
    assert carnet("add", "--kind", "rech", "--title", "X", cwd=folder).returncode == 0
    ambiguous = carnet("add", "--kind", "re", "--title", "X", cwd=folder)
    assert ambiguous.returncode == 1 and "Recherche / évaluation" in ambiguous.stderr


def test_status_counts_changes_to_share_in_words(folder: Path) -> None:
    _ok("add", "--kind", "tool", "--title", "Une grille", cwd=folder)
    shown = _ok("status", cwd=folder)
    assert "modification" in shown and "commits" not in shown


def test_a_conflict_is_resolved_in_french_and_counted_after_anyone_merged_it(
    tmp_path: Path,
) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("proposal", "Un séminaire", "Début")
    for clone in (alain, claire):
        sync(clone)
    alain.edit_entry(entry.id, body="Décembre, à Montréal.")
    claire.edit_entry(entry.id, body="Janvier, à Québec.")
    sync(alain)
    sync(claire)  # Claire's merge records the conflict, and pushes it
    for clone in (alain, claire, helene):
        clone.close()

    # Hélène's own merge records nothing: the conflict came in already recorded.
    said = _ok("sync", cwd=helene.root)
    assert "1 conflit à résoudre" in said

    short = entry.id[-6:]
    wrong = carnet("resolve", short, "--field", "titre", "--keep", "autre", cwd=helene.root)
    assert wrong.returncode == 1 and "texte" in wrong.stderr
    done = _ok("resolve", short, "--field", "texte", "--keep", "autre", cwd=helene.root)
    assert done.strip() == "Réglé : le champ « texte » de « Un séminaire »."
    with Notebook(helene.root) as notebook:
        assert not notebook.entry(entry.id).conflicts
