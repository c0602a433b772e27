"""An action's commit made without git's index: the tree git itself would build, the index
brought up to date before git's commands that read it, and nothing lost wherever the process
is killed."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import TEST_EMAIL, TEST_NAME, slow_down_git

from store import Notebook
from store.errors import GitError
from store.git import objects, refs
from store.git.local import LocalRepository
from store.git.program import (
    LOCK_SETTLING,
    ZERO_ID,
    Identity,
    note_index_behind,
    refresh_index,
    run_git,
    start_index_update,
)
from store.layout import document_path

PROJECT = Path(__file__).resolve().parent.parent
ME = Identity(TEST_NAME, TEST_EMAIL)


def tree_git_builds(root: Path) -> str:
    """The tree ``git add -A`` and ``git write-tree`` make of the work tree, in an index of
    their own."""
    index = root / ".git" / "test-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    done = subprocess.run(
        ["git", "write-tree"], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    index.unlink()
    return done.stdout.strip()


def git_sees_nothing_to_commit(root: Path) -> bool:
    status = run_git(root, "status", "--porcelain", "--untracked-files=all")
    return status == "" and run_git(root, "diff", "--cached", "--name-only") == ""


def test_the_commit_holds_the_tree_git_would_build(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Un accueil chaleureux.")
    notebook.add_comment(entry.id, "À creuser.")
    notebook.mark_read(entry.id)
    notebook.edit_entry(entry.id, title="Maison des familles de Bordeaux")
    assert run_git(notebook.root, "rev-parse", "HEAD^{tree}").strip() == tree_git_builds(
        notebook.root
    )
    run_git(notebook.root, "fsck", "--strict", "--no-dangling")


def test_a_removed_file_leaves_the_tree_and_so_do_the_folders_it_emptied(tmp_path: Path) -> None:
    repo = LocalRepository.create(tmp_path / "depot")
    (repo.root / "a" / "b").mkdir(parents=True)
    (repo.root / "a" / "b" / "c.json").write_text("{}\n")
    (repo.root / "d.json").write_text("[]\n")
    repo.commit(["a/b/c.json", "d.json"], "Deux fichiers", ME)
    (repo.root / "a" / "b" / "c.json").unlink()
    repo.commit(["a/b/c.json"], "Un de moins", ME)
    assert run_git(repo.root, "ls-tree", "-r", "--name-only", "HEAD").split() == ["d.json"]
    assert run_git(repo.root, "rev-parse", "HEAD^{tree}").strip() == tree_git_builds(repo.root)


def test_git_finds_its_index_up_to_date_once_the_notebook_is_opened(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    notebook.add_comment(entry.id, "À creuser.")
    with Notebook(notebook.root):  # the cache's check on opening runs git status
        assert git_sees_nothing_to_commit(notebook.root)


def test_what_is_pending_counts_no_path_the_index_was_behind_on(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    notebook.mark_read(entry.id)
    assert notebook.repo.standing("origin").pending == 0
    assert notebook.repo.commit_pending("Rien", ME) is None
    assert git_sees_nothing_to_commit(notebook.root)


def test_an_index_git_could_not_update_is_brought_up_to_date_later(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    with monkeypatch.context() as patched:  # another git holds the index, say
        patched.setattr("store.git.local.start_index_update", lambda root, paths: None)
        notebook.add_comment(entry.id, "À creuser.")
    assert run_git(notebook.root, "diff", "--cached", "--name-only") != ""  # still behind
    with Notebook(notebook.root):  # the cache's check on opening reads git's status
        assert git_sees_nothing_to_commit(notebook.root)


def test_plain_git_finds_the_index_up_to_date_once_the_notebook_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = Notebook.create(tmp_path / "carnet", title="Mission", name=TEST_NAME,
                               email=TEST_EMAIL)  # fmt: skip
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    with monkeypatch.context() as patched:  # its own update not started: the index behind
        patched.setattr("store.git.local.start_index_update", lambda root, paths: None)
        notebook.add_comment(entry.id, "À creuser.")
    assert run_git(notebook.root, "diff", "--cached", "--name-only") != ""
    notebook.close()  # a script, the TUI, a test: then git in the folder
    assert git_sees_nothing_to_commit(notebook.root)
    assert not (notebook.root / ".git" / "index.lock").exists()


def test_plain_git_finds_the_index_up_to_date_after_carnet_ends(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from store import Notebook
        notebook = Notebook.create(Path(sys.argv[1]), title="Mission", name={TEST_NAME!r},
                                   email={TEST_EMAIL!r})
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
        notebook.add_comment(entry.id, "À creuser.")
        """
    )
    root = tmp_path / "carnet"
    subprocess.run([sys.executable, "-c", script, str(root)], cwd=PROJECT, check=True)
    assert git_sees_nothing_to_commit(root)
    (root / "notes.txt").write_text("à moi\n")
    run_git(root, "add", "notes.txt")
    run_git(root, "commit", "-qm", "plain git")  # commits that file, and removes nothing
    assert "entries/" in run_git(root, "ls-tree", "-r", "--name-only", "HEAD")


# Each step of an action's commit, and what the process does just after it: it is killed.
KILLED = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import store.git.local as local
    import store.git.objects as objects
    from store import Notebook

    def dying(original, when=lambda *args: True):
        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            if when(*args):
                os._exit(9)
            return result
        return wrapper

    step = sys.argv[2]
    if step == "an object written":
        objects.write_object = dying(objects.write_object)
    elif step == "the trees written":
        local.tree_with = dying(local.tree_with)
    elif step == "the commit made":
        local.LocalRepository._commit_object = dying(local.LocalRepository._commit_object)
    elif step == "the index updated":
        local.start_index_update = dying(local.start_index_update)
    elif step == "the branch moved":
        local.refs.move = dying(local.refs.move)
    notebook = Notebook(Path(sys.argv[1]))
    notebook.add_comment(notebook.entries()[0].id, "Écrit juste avant la fin")
    """
)
STEPS = (
    "an object written",
    "the trees written",
    "the commit made",
    "the index updated",
    "the branch moved",
)


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_any_step_of_its_commit_an_action_is_kept(notebook: Notebook, step: str) -> None:
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(notebook.root), step], cwd=PROJECT, check=False
    )
    assert done.returncode == 9
    with Notebook(notebook.root) as again:
        assert [c.body for c in again.comments(entry.id)] == ["Écrit juste avant la fin"]
        again.repo.commit_pending("Enregistrer ce qui ne l'était pas", ME)
        assert git_sees_nothing_to_commit(again.root)
        assert "Écrit juste avant la fin" in run_git(again.root, "grep", "-h", "juste", "HEAD")
        run_git(again.root, "fsck", "--strict", "--no-dangling")


def test_an_actions_commit_is_the_one_git_commit_tree_writes(notebook: Notebook) -> None:
    """Written without git when unsigned: the same object, byte for byte, as ``git
    commit-tree`` makes of the same tree, parent, identity, time and message."""
    notebook.add_entry("practice", "Écrite sans git", "Texte")
    root = notebook.root
    commit = run_git(root, "rev-parse", "HEAD").strip()
    tree, parent = run_git(root, "log", "-1", "--format=%T %P", commit).split()
    raw = run_git(root, "cat-file", "commit", commit)
    date = raw.split("\ncommitter ", 1)[1].split("\n", 1)[0].split("> ", 1)[1]
    message = raw.split("\n\n", 1)[1]
    again = subprocess.run(
        ["git", "commit-tree", tree, "-p", parent, "-F", "-"], cwd=root, input=message,
        capture_output=True, text=True, check=True,
        env={**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
             "GIT_AUTHOR_NAME": TEST_NAME, "GIT_AUTHOR_EMAIL": TEST_EMAIL,
             "GIT_COMMITTER_NAME": TEST_NAME, "GIT_COMMITTER_EMAIL": TEST_EMAIL},
    )  # fmt: skip
    assert again.stdout.strip() == commit


def test_the_branch_moves_with_its_log_as_git_update_ref_moves_it(notebook: Notebook) -> None:
    before = notebook.repo.head()
    notebook.add_entry("practice", "Maison des familles", "Texte")
    root, head = notebook.root, notebook.repo.head()
    assert run_git(root, "rev-parse", "HEAD").strip() == head != before
    subject = run_git(root, "log", "-1", "--format=%s", "HEAD").strip()
    assert run_git(root, "log", "-g", "-1", "--format=%H %gs", "HEAD").strip() == (
        f"{head} commit: {subject}"
    )
    assert run_git(root, "log", "-g", "-1", "--format=%H", "refs/heads/main").strip() == head
    run_git(root, "fsck", "--strict", "--no-dangling")


def test_a_branch_moved_by_someone_else_is_not_overwritten(notebook: Notebook) -> None:
    git_dir, head = notebook.repo.git_dir, notebook.repo.head()
    assert head is not None
    with pytest.raises(GitError):
        refs.move(git_dir, "refs/heads/main", (ZERO_ID, head), "", ME, notebook.repo.ref)
    (git_dir / "refs" / "heads" / "main.lock").write_text("")  # another writer holds it
    with pytest.raises(GitError):
        refs.move(git_dir, "refs/heads/main", (head, ZERO_ID), "", ME, notebook.repo.ref)
    assert notebook.repo.head() == head
    notebook.add_entry("practice", "Après un verrou abandonné", "Texte")  # repaired first
    assert notebook.repo.head() != head


def test_an_object_is_not_written_through_a_temporary_file_left_by_a_killed_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Temporary objects are named by the process's pid and a count: a file of that name, left
    by a killed process that had the same pid, is neither opened nor overwritten."""
    repo = LocalRepository.create(tmp_path / "depot")
    data = b"un objet\n"
    name = objects.object_id(b"blob", data).hex()
    folder = repo.git_dir / "objects" / name[:2]
    folder.mkdir(parents=True)
    left = folder / f"tmp_obj_{os.getpid()}_7"
    left.write_bytes(b"left behind")
    monkeypatch.setattr(objects, "_TEMPORARY_NUMBERS", itertools.count(7))
    assert objects.write_object(repo.git_dir, b"blob", data).hex() == name
    assert left.read_bytes() == b"left behind"
    assert run_git(repo.root, "cat-file", "blob", name) == "un objet\n"


def test_an_action_leaves_the_index_lock_of_the_update_still_running_before_it(
    tmp_path: Path,
) -> None:
    """Actions one after the other: each starts its index update in a process of its own, and
    the next does not wait for it. Taking that process's ``index.lock`` for a dead one's and
    removing it let the next update lock the index too: the first, ending, renamed the
    second's half-written lock over the index (found empty meanwhile), and the second's
    update failed. The second update now finds the index locked and leaves its paths behind,
    for the next refresh."""
    notebook = Notebook.create(tmp_path / "carnet", title="Mission", name=TEST_NAME,
                               email=TEST_EMAIL)  # fmt: skip
    entries = [notebook.add_entry("practice", f"Entrée {n}", "Texte").id for n in range(2)]
    root = notebook.root
    slow_down_git(root, tmp_path, 0.5)  # each update-index holds the lock that long
    lock = root / ".git" / "index.lock"
    notebook.add_comment(entries[0], "Premier commentaire.")
    held = os.stat(lock)  # by the first update, still running
    notebook.add_comment(entries[1], "Deuxième commentaire.")
    assert (os.stat(lock).st_ino, os.stat(lock).st_ctime_ns) == (held.st_ino, held.st_ctime_ns)
    notebook.close()
    run_git(root, "config", "--unset", "core.fsmonitor")
    assert git_sees_nothing_to_commit(root)
    assert not lock.exists()


def test_an_index_lock_left_by_a_killed_process_is_removed_by_the_next_action(
    tmp_path: Path,
) -> None:
    notebook = Notebook.create(tmp_path / "carnet", title="Mission", name=TEST_NAME,
                               email=TEST_EMAIL)  # fmt: skip
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    notebook.close()
    lock = notebook.root / ".git" / "index.lock"
    lock.write_bytes(b"")  # a git killed while it held the index, a minute ago
    a_minute_ago = time.time() - 60
    os.utime(lock, (a_minute_ago, a_minute_ago))
    with Notebook(notebook.root) as reopened:
        reopened.add_comment(entry.id, "Après un verrou abandonné.")
    assert not lock.exists()
    assert git_sees_nothing_to_commit(notebook.root)


def test_an_action_leaves_the_index_lock_a_git_of_another_process_holds(
    tmp_path: Path,
) -> None:
    """The participant's own git (here a refresh), or a ``carnet list`` in another terminal,
    holds the index's lock while it reads the files: an action meanwhile leaves that lock, and
    its paths behind, and git finds nothing to commit once both are done."""
    notebook = Notebook.create(tmp_path / "carnet", title="Mission", name=TEST_NAME,
                               email=TEST_EMAIL)  # fmt: skip
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    root = notebook.root
    lock = root / ".git" / "index.lock"
    slow_down_git(root, tmp_path, 3)  # git's refresh, the lock held, lasts that long
    other = subprocess.Popen(["git", "update-index", "-q", "--refresh"], cwd=root)
    waited = time.monotonic()
    while not lock.exists() and time.monotonic() - waited < 10:
        time.sleep(0.01)
    held = os.stat(lock)
    time.sleep(LOCK_SETTLING)  # older than a lock being renamed into place
    notebook.add_comment(entry.id, "Pendant le git d'un autre terminal.")
    assert other.poll() is None
    assert (os.stat(lock).st_ino, os.stat(lock).st_ctime_ns) == (held.st_ino, held.st_ctime_ns)
    assert other.wait() == 0
    notebook.close()
    run_git(root, "config", "--unset", "core.fsmonitor")
    assert git_sees_nothing_to_commit(root)
    assert not lock.exists()


def test_an_unstaging_refused_leaves_nothing_staged_after_the_next_refresh(
    tmp_path: Path,
) -> None:
    """An action's index update staged its files, then its commit failed (a full disk): its
    files are put back, and the unstaging is refused (another git holds the index, or the disk
    is still full). The next refresh must not take the update for the work done: what it
    staged is the failed action's. It brings the index back to the files."""
    notebook = Notebook.create(tmp_path / "carnet", title="Mission", name=TEST_NAME,
                               email=TEST_EMAIL)  # fmt: skip
    entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    notebook.close()
    root = notebook.root
    path = document_path("entries", entry.id)
    committed = (root / path).read_bytes()
    (root / path).write_bytes(committed.replace(b"Texte", b"Jamais enregistr\xc3\xa9"))
    note_index_behind(root, [path])
    update = start_index_update(root, [path])
    assert update is not None and update.wait() == 0
    assert run_git(root, "diff", "--cached", "--name-only").split() == [path]
    (root / path).write_bytes(committed)  # the action's undo
    # Another git takes the index just as the unstaging asks for it.
    monitor = tmp_path / "takes-the-index"
    monitor.write_text(
        '#!/bin/sh\ncase "$(tr "\\0" " " </proc/$PPID/cmdline)" in '
        '*reset*) : >"$PWD/.git/index.lock";; esac\nexit 1\n',
        encoding="utf-8",
    )
    monitor.chmod(0o755)
    run_git(root, "config", "core.fsmonitor", str(monitor))
    LocalRepository(root).unstage([path])
    (root / ".git" / "index.lock").unlink()  # that git is done
    run_git(root, "config", "--unset", "core.fsmonitor")
    assert refresh_index(root)
    assert run_git(root, "diff", "--cached", "--name-only") == ""
    assert git_sees_nothing_to_commit(root)
