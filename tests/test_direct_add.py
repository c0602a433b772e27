"""``carnet add`` without opening the notebook (``store.adding``): the same entry, checks and
words as the notebook's own ``add_entry``, and the notebook's way whenever the files cannot
settle a check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEST_EMAIL
from direct_paths import NOT_IMPORTED, imported_by, opened_notebooks

from store import Notebook
from store import adding as adding_module
from store.errors import GitError
from store.git.local import LocalRepository
from store.git.program import run_git
from store.layout import document_path
from store.local import save_settings
from tui.cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    return opened_notebooks(monkeypatch)


def _add(root: Path, *more: str) -> int:
    return main(["-C", str(root), "add", "--kind", "tool", "--title", " Une grille ", *more])


def test_add_writes_what_the_notebook_writes_without_opening_it(
    notebook: Notebook, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = notebook.root
    assert _add(root, "--objective", "2", "--tag", "b", "--tag", "a ", "--tag", "b") == 0
    assert opened == []
    short = capsys.readouterr().out.strip()
    with Notebook(root) as again:
        entry = again.entry(short)
        assert again.short_id(entry.id) == short
        assert (entry.kind, entry.title, entry.objectives, entry.tags, entry.status) == (
            "tool", "Une grille", (2,), ("a", "b"), "open",
        )  # fmt: skip
        assert entry.author == entry.updated_by == again.me and entry.created == entry.updated
        assert not again.is_unread(entry.id)  # its author has read it
        assert again.review(entry.id).read == entry.created  # type: ignore[union-attr]
    assert run_git(root, "log", "-1", "--format=%s").strip() == "Nouvelle entrée : Une grille"
    assert run_git(root, "status", "--porcelain", "--untracked-files=all").strip() == ""


def test_wrong_fields_are_refused_in_the_clone_language(
    notebook: Notebook, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(notebook.repo.local_dir, language="en")
    head = notebook.repo.head()
    assert _add(notebook.root, "--objective", "9") == 1
    assert "unknown objective 9" in capsys.readouterr().err
    assert notebook.repo.head() == head and opened == []


def test_an_unknown_participant_is_told_by_the_notebook(
    notebook: Notebook, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The settings name nobody of the notebook: the notebook looks further (git's email),
    and says what it always said when that finds nobody either."""
    save_settings(notebook.repo.local_dir, participant="personne")
    run_git(notebook.root, "config", "user.email", "autre@example.org")
    head = notebook.repo.head()
    assert _add(notebook.root) == 1
    assert "Carnet ne sait pas qui vous êtes" in capsys.readouterr().err
    assert opened and notebook.repo.head() == head


def test_a_participant_found_by_email_adds_through_the_notebook(
    notebook: Notebook, opened: list[Path]
) -> None:
    save_settings(notebook.repo.local_dir, participant="personne")
    run_git(notebook.root, "config", "user.email", TEST_EMAIL)
    assert _add(notebook.root) == 0
    assert opened


def test_an_id_already_taken_is_never_written_over(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = notebook.add_entry("practice", "Déjà là")
    before = (notebook.root / document_path("entries", taken.id)).read_bytes()
    fresh = iter([taken.id, "01JZZZZZZZZZZZZZZZZZZZZZZZ"])
    monkeypatch.setattr(adding_module, "new_ulid", lambda: next(fresh))
    assert _add(notebook.root) == 0
    assert capsys.readouterr().out.strip() == "ZZZZ"
    assert (notebook.root / document_path("entries", taken.id)).read_bytes() == before


@pytest.mark.parametrize("state", ["MERGE_HEAD", "rebase-merge"])
def test_a_merge_under_way_is_left_to_the_notebook(
    notebook: Notebook, opened: list[Path], state: str
) -> None:
    marker = notebook.repo.git_dir / state
    if state == "MERGE_HEAD":
        marker.write_text(f"{notebook.repo.head()}\n")
    else:
        marker.mkdir()
    assert _add(notebook.root) == 0
    assert opened


def test_a_newer_notebook_is_refused_by_the_notebook(
    notebook: Notebook, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    meta_path = notebook.root / "carnet.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "format": meta["format"] + 1}), encoding="utf-8")
    assert _add(notebook.root) == 1
    assert "lecture seule" in capsys.readouterr().err
    assert opened


def test_a_refused_commit_leaves_nothing(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise GitError("git failed: refused")

    monkeypatch.setattr(LocalRepository, "commit", refused)
    head = notebook.repo.head()
    assert _add(notebook.root) == 1
    assert "refused" in capsys.readouterr().err
    assert notebook.repo.head() == head
    assert run_git(notebook.root, "status", "--porcelain", "--untracked-files=all").strip() == ""


def test_add_loads_neither_the_notebook_nor_textual_nor_gitpython(notebook: Notebook) -> None:
    modules = imported_by(notebook.root, "add", "--kind", "tool", "--title", "Une grille")
    assert "store.adding" in modules
    assert not modules & NOT_IMPORTED


def test_add_loads_only_the_models_of_what_it_writes(notebook: Notebook) -> None:
    """``store.model`` imports a table's model when one of its names is first used: an entry,
    its author's reading, the participant and the notebook's settings, not the others."""
    modules = imported_by(notebook.root, "add", "--kind", "tool", "--title", "Une grille")
    assert "store.model.entries" in modules and "store.model.reviews" in modules
    assert not modules & {"store.model.comments", "store.model.meetings"}


def test_add_loads_neither_the_listing_nor_the_search(notebook: Notebook) -> None:
    """``carnet add`` finds its notebook (``store.folder``) without importing what ``carnet
    list`` reads: the listing, the search and the load cache were 4 ms of its imports; and
    its commit writes git's objects without ``tempfile`` (and ``random``), 2–3 ms more; its
    parser is built without ``shutil`` (with ``bz2`` and ``lzma``), which argparse's own
    formatter imports for the terminal's width, 8–10 ms more; and its records are made by
    ``store.record``, not ``dataclasses``, which imports ``inspect``: 25–30 ms more."""
    modules = imported_by(notebook.root, "add", "--kind", "tool", "--title", "Une grille")
    assert "store.folder" in modules and "store.record" in modules
    assert not modules & {"store.listing", "store.search", "store.cache", "tempfile", "shutil"}
    assert not modules & {"dataclasses", "inspect"}
