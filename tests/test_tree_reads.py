"""The trees an action's commit reads (``store.git.objects.parent_trees``): only those this
process does not keep, none for a new folder, asked of one ``git cat-file --batch`` that keeps
running (``store.git.batch``), started again when it died or another repository is asked."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import TEST_EMAIL, TEST_NAME

from store.git import batch, objects
from store.git.local import LocalRepository
from store.git.program import Identity, run_git

ME = Identity(TEST_NAME, TEST_EMAIL)


def _write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text)


def _repository(folder: Path) -> LocalRepository:
    repo = LocalRepository.create(folder)
    for path in ("a/1/x.json", "a/2/y.json", "b/z.json", "top.json"):
        _write(repo.root, path, path)
    repo.commit(["a/1/x.json", "a/2/y.json", "b/z.json", "top.json"], "Départ", ME)
    return repo


def _tree_git_writes(repo: LocalRepository) -> str:
    repo.refresh_index()
    return run_git(repo.root, "write-tree").strip()


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """What each commit asked git for; this process keeps no tree to begin with."""
    monkeypatch.setattr(objects, "_TREES", type(objects._TREES)())
    monkeypatch.setattr(objects, "_COMMIT_TREES", type(objects._COMMIT_TREES)())
    questions: list[list[str]] = []
    original = objects.read_objects

    def recording(root: Path, names: list[str]) -> object:
        questions.append(list(names))
        return original(root, names)

    monkeypatch.setattr(objects, "read_objects", recording)
    return questions


def test_only_the_trees_not_kept_are_asked(tmp_path: Path, asked: list[list[str]]) -> None:
    repo = _repository(tmp_path / "depot")
    asked.clear()  # the first commit had no parent: nothing to ask
    _write(repo.root, "a/1/x.json", "changed")
    repo.commit(["a/1/x.json"], "Un", ME)
    assert asked == []  # every tree on the way was written by this process
    _write(repo.root, "a/2/y.json", "changed")
    objects._TREES.clear()  # forgotten: asked again in one round, the root by its id
    repo.commit(["a/2/y.json"], "Deux", ME)
    assert len(asked) == 1 and len(asked[0]) == 3 and ":" not in asked[0][0]
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)


def test_a_new_folder_is_not_asked(tmp_path: Path, asked: list[list[str]]) -> None:
    repo = _repository(tmp_path / "depot")
    _write(repo.root, "c/d/new.json", "new")
    asked.clear()
    repo.commit(["c/d/new.json"], "Nouveau", ME)  # the root, kept, lists no c/
    assert asked == []
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)


def test_the_reader_is_started_again_when_it_died_or_another_notebook_asks(
    tmp_path: Path,
) -> None:
    one, other = _repository(tmp_path / "one"), _repository(tmp_path / "other")
    for round_ in range(3):
        for repo in (one, other):
            objects._TREES.clear()
            objects._COMMIT_TREES.clear()
            _write(repo.root, "b/z.json", f"round {round_}")
            repo.commit(["b/z.json"], f"Tour {round_}", ME)
            assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)
        reader = batch._READER
        assert reader is not None and reader.root == other.root
        os.kill(reader.process.pid, signal.SIGKILL)
        reader.process.wait()
    batch.close_reader()
    assert batch._READER is None


def test_a_notebook_made_again_at_the_same_place_is_read_by_a_new_reader(tmp_path: Path) -> None:
    """The reader of a repository since removed finds nothing there: it is not believed (the
    commit would drop every file it did not find), a new one is asked."""
    first = _repository(tmp_path / "depot")
    _write(first.root, "b/z.json", "again")
    objects._TREES.clear()
    first.commit(["b/z.json"], "Encore", ME)
    stale = batch._READER
    assert stale is not None and stale.root == first.root
    shutil.rmtree(first.root)
    repo = _repository(tmp_path / "depot")
    for path in ("a/1/x.json", "top.json"):
        objects._TREES.clear()
        objects._COMMIT_TREES.clear()
        _write(repo.root, path, "changed")
        repo.commit([path], "Changé", ME)
        assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)
    assert batch._READER is not stale
