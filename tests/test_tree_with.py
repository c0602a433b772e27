"""A sync's tree written from a commit and the paths it changes (``store.git.trees.tree_with``):
the same tree git's own index builds from the same versions, files and folders in each other's
way included."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEST_EMAIL, TEST_NAME

from store.gate import Blob
from store.git import trees
from store.git.local import LocalRepository
from store.git.program import Identity, run_git

ME = Identity(TEST_NAME, TEST_EMAIL)
FILE = "100644"


def _repository(tmp_path: Path, files: dict[str, str]) -> tuple[LocalRepository, str]:
    repo = LocalRepository.create(tmp_path / "depot")
    for path, text in files.items():
        (repo.root / path).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / path).write_text(text)
    commit = repo.commit(sorted(files), "Départ", ME)
    assert commit is not None
    return repo, commit


def _blob(repo: LocalRepository, text: str) -> Blob:
    sha = run_git(repo.root, "hash-object", "-w", "--stdin", input_text=text).strip()
    return Blob(FILE, sha)


def _listing(repo: LocalRepository, tree: str) -> str:
    return run_git(repo.root, "ls-tree", "-r", "-t", tree)


@pytest.mark.parametrize(
    "versions",
    [
        {"entries/a.json": "nouveau\n", "entries/b.json": None},  # changed, removed
        {"entries/new/deep/c.json": "ajouté\n"},  # folders made on the way
        {"entries/a.json": None, "entries/b.json": None},  # the folder emptied goes
        {"entries": "un fichier\n", "entries/a.json": None, "entries/b.json": None},
        {"top.json/inside.json": "un dossier où était un fichier\n"},
        {"entries": "à la place du dossier\n"},  # a file set where a folder is
    ],
)
def test_the_tree_is_the_one_git_index_builds(
    tmp_path: Path, versions: dict[str, str | None]
) -> None:
    repo, commit = _repository(
        tmp_path, {"entries/a.json": "a\n", "entries/b.json": "b\n", "top.json": "{}\n"}
    )
    blobs = {path: None if text is None else _blob(repo, text) for path, text in versions.items()}
    direct = trees.tree_with(repo, commit, blobs)
    through_index = trees._tree_through_index(repo, commit, blobs)
    assert _listing(repo, direct) == _listing(repo, through_index)
    run_git(repo.root, "fsck", "--strict", "--no-dangling")
