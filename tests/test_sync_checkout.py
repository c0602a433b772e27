"""A sync's result written into the work tree path by path: as ``git read-tree -m -u`` would
leave it, and never over a file changed by hand meanwhile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from synctools import git

from store.errors import SyncError
from store.git.checkout import move_to
from store.git.local import LocalRepository


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def two_commits(tmp_path: Path) -> tuple[LocalRepository, str, str]:
    """A repository at its first commit, and a second one that changes files, modes, kinds
    and folders; the branch put back on the first, the work tree with it."""
    root = tmp_path / "repo"
    repo = LocalRepository.create(root)
    (root / "kept.json").write_text("gardé\n")
    (root / "changed.json").write_text("avant\n")
    (root / "removed" / "deep").mkdir(parents=True)
    (root / "removed" / "deep" / "gone.json").write_text("parti\n")
    (root / "becomes-folder").write_text("un fichier\n")
    (root / "script.sh").write_text("#!/bin/sh\n")
    old = commit_all(root, "old")
    (root / "changed.json").write_text("après\n")
    (root / "removed" / "deep" / "gone.json").unlink()
    (root / "becomes-folder").unlink()
    (root / "becomes-folder").mkdir()
    (root / "becomes-folder" / "inside.json").write_text("dedans\n")
    (root / "new" / "folder").mkdir(parents=True)
    (root / "new" / "folder" / "added.json").write_text("ajouté\n")
    os.chmod(root / "script.sh", 0o755)
    os.symlink("kept.json", root / "link")
    new = commit_all(root, "new")
    git(root, "reset", "-q", "--hard", old)
    return repo, old, new


def test_the_work_tree_and_index_end_as_git_would_leave_them(
    two_commits: tuple[LocalRepository, str, str],
) -> None:
    repo, old, new = two_commits
    move_to(repo, "main", old, new)
    root = repo.root
    assert git(root, "rev-parse", "HEAD").strip() == new
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert (root / "changed.json").read_text() == "après\n"
    assert not (root / "removed").exists()  # its folders emptied, removed as git does
    assert (root / "becomes-folder" / "inside.json").read_text() == "dedans\n"
    assert os.access(root / "script.sh", os.X_OK)
    assert os.readlink(root / "link") == "kept.json"


def test_a_file_changed_by_hand_meanwhile_is_not_overwritten(
    two_commits: tuple[LocalRepository, str, str],
) -> None:
    """Changed after the sync committed what was pending and before its result was written:
    the sync stops, the hand edit and the branch are as they were."""
    repo, old, new = two_commits
    (repo.root / "changed.json").write_text("à la main\n")
    with pytest.raises(SyncError, match="changed.json"):
        move_to(repo, "main", old, new)
    assert (repo.root / "changed.json").read_text() == "à la main\n"
    assert git(repo.root, "rev-parse", "HEAD").strip() == old


def test_a_move_killed_after_the_files_is_finished_by_the_next(
    two_commits: tuple[LocalRepository, str, str],
) -> None:
    """Files already as the new commit has them (a sync killed before the branch moved) are
    no file in the way."""
    repo, old, new = two_commits
    (repo.root / "changed.json").write_text("après\n")
    move_to(repo, "main", old, new)
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_file_that_cannot_be_written_stops_the_move_before_the_index_and_branch(
    two_commits: tuple[LocalRepository, str, str],
) -> None:
    """A file of no commit where a new folder goes: the files are written side by side, and
    the first that fails stops the sync, its index and branch as they were."""
    repo, old, new = two_commits
    (repo.root / "new").write_text("pas un dossier\n")
    with pytest.raises(SyncError, match="Not a directory"):
        move_to(repo, "main", old, new)
    assert git(repo.root, "rev-parse", "HEAD").strip() == old
    assert git(repo.root, "diff", "--cached", "--name-only") == ""
    assert (repo.root / "new").read_text() == "pas un dossier\n"


def test_a_temporary_file_left_by_a_killed_sync_is_replaced(
    two_commits: tuple[LocalRepository, str, str],
) -> None:
    repo, old, new = two_commits
    (repo.root / ".changed.json.carnet-tmp").write_text("à moitié écr")
    os.symlink("kept.json", repo.root / ".link.carnet-tmp")
    move_to(repo, "main", old, new)
    assert (repo.root / "changed.json").read_text() == "après\n"
    assert os.readlink(repo.root / "link") == "kept.json"
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""
