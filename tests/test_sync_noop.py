"""A sync with nothing to do changes nothing, and what was left uncommitted is still shared."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from synctools import git, shared_notebook, snapshot

from store import Notebook
from store.sync import sync

PROJECT = Path(__file__).resolve().parent.parent


def where_it_stands(notebook: Notebook) -> tuple[str, str, str, str, dict[str, bytes]]:
    """The branch, the shared repository's, git's status, what is staged, and every file."""
    root = notebook.root
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "rev-parse", "origin/main"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        git(root, "diff", "--cached", "--name-only"),
        snapshot(notebook),
    )


def test_a_sync_with_nothing_to_do_changes_nothing(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", "Texte")
    sync(alain)
    sync(claire)
    before = where_it_stands(claire)
    for _attempt in range(2):
        report = sync(claire)
        assert report.up_to_date and not report.pushed and report.merged == 0
        assert where_it_stands(claire) == before
    assert [e.id for e in claire.entries()] == [entry.id]


def test_what_a_killed_action_left_is_shared_by_the_next_sync(tmp_path: Path) -> None:
    """Another process, killed between writing its files and committing them: the first sync
    of the notebook opened again commits them."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", "Texte")
    sync(alain)
    killed = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        import store.git.local as local
        from store import Notebook
        def killed(*args, **kwargs):
            os._exit(9)
        local.LocalRepository.commit = killed
        notebook = Notebook(Path(sys.argv[1]))
        notebook.add_comment(notebook.entries()[0].id, "Écrit, jamais commité")
        """
    )
    done = subprocess.run([sys.executable, "-c", killed, str(alain.root)], cwd=PROJECT)
    assert done.returncode == 9
    with Notebook(alain.root) as again:
        sync(again)
    sync(claire)
    assert [c.body for c in claire.comments(entry.id)] == ["Écrit, jamais commité"]
