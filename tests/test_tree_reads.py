"""The trees an action's commit reads (``store.git.objects.parent_trees``): only those this
process does not keep, none for a new folder, asked of one ``git cat-file --batch`` that keeps
running (``store.git.batch``), started again when it died or another repository is asked; a
tree changed behind the process is never taken from what it keeps."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import TEST_EMAIL, TEST_NAME
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_the_reader_started_before_the_files_are_written_is_the_one_the_commit_asks(
    tmp_path: Path, asked: list[list[str]]
) -> None:
    """``carnet add`` starts git's reader before it writes its files, so that git starts
    meanwhile: the commit then asks that very process, which finds the trees as they are."""
    repo = _repository(tmp_path / "depot")
    batch.close_reader()
    objects._TREES.clear()
    objects._COMMIT_TREES.clear()
    repo.start_tree_reader()
    started = batch._READER
    assert started is not None and started.root == repo.root
    _write(repo.root, "a/1/x.json", "changed")
    repo.commit(["a/1/x.json"], "Un", ME)
    assert asked and batch._READER is started
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)


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


def _hand_commit(repo: LocalRepository, path: str, text: str) -> None:
    """A commit made with plain git, as a participant or a sync could make one."""
    repo.refresh_index()
    _write(repo.root, path, text)
    run_git(repo.root, "add", "--", path)
    run_git(repo.root, "commit", "-q", "-m", "À la main")


def test_a_tree_changed_behind_the_process_is_read_again(tmp_path: Path) -> None:
    """The trees kept are those of the commits this process made: after a commit made by hand
    in the same folders (or HEAD moved back), the next commit is built on the commit HEAD
    names, its change kept, not on a kept tree of the folder."""
    repo = _repository(tmp_path / "depot")
    _write(repo.root, "a/1/x.json", "par Carnet")
    made = repo.commit(["a/1/x.json"], "Carnet", ME)
    _hand_commit(repo, "a/1/w.json", "à la main")
    _write(repo.root, "a/1/x.json", "par Carnet, encore")
    repo.commit(["a/1/x.json"], "Carnet encore", ME)
    assert run_git(repo.root, "show", "HEAD:a/1/w.json") == "à la main"
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)
    run_git(repo.root, "reset", "-q", "--hard", str(made))  # HEAD moved back
    _write(repo.root, "a/1/v.json", "après le retour")
    repo.commit(["a/1/v.json"], "Après", ME)
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)
    assert "a/1/w.json" not in run_git(repo.root, "ls-tree", "-r", "--name-only", "HEAD")


FOLDERS = ("comments/0", "comments/1", "reviews/anne/0", "entries/0", "")
OPERATIONS = st.tuples(
    st.sampled_from(("write", "remove", "by hand")),
    st.sampled_from(FOLDERS),
    st.integers(0, 5),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=12))
def test_commits_after_random_changes_are_the_trees_git_builds(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, str, int]]
) -> None:
    """Files written and removed in a table's folders, commits made by hand between them: each
    commit's tree is the one git's index builds of the work tree, and git's strictest check
    finds nothing wrong."""
    repo = _repository(tmp_path_factory.mktemp("depot"))
    for step, (operation, folder, number) in enumerate(operations):
        path = f"{folder}/{number:026d}.json".lstrip("/")
        if operation == "by hand":
            _hand_commit(repo, path, f"à la main {step}")
            continue
        if operation == "remove":
            (repo.root / path).unlink(missing_ok=True)
        else:
            _write(repo.root, path, f"version {step}")
        repo.commit([path], f"Étape {step}", ME)
        assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == _tree_git_writes(repo)
    run_git(repo.root, "fsck", "--strict", "--no-dangling")


def test_the_trees_kept_are_bounded_by_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table's folder is a tree of 270 KB at 30,000 entries: what is kept is counted in
    bytes, the tree used least recently dropped first."""
    monkeypatch.setattr(objects, "TREE_BYTES_KEPT", 200)
    kept = objects._KeptTrees()
    trees = {
        name: objects.Tree(b"".join(b"100644 %s%d\0%s" % (name, n, bytes(20)) for n in range(3)))
        for name in (b"a", b"b", b"c")
    }  # 90 bytes each
    kept.keep(b"a", trees[b"a"])
    kept.keep(b"b", trees[b"b"])
    kept.keep(b"a", trees[b"a"])  # kept once, not counted twice
    assert kept.get(b"a") is trees[b"a"] and kept.get(b"b") is trees[b"b"]
    assert kept.get(b"a") is trees[b"a"]  # used last
    kept.keep(b"c", trees[b"c"])
    assert kept.get(b"b") is None
    assert kept.get(b"a") is trees[b"a"] and kept.get(b"c") is trees[b"c"]
