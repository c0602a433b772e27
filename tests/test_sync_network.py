"""Sync over a real network protocol (git daemon on 127.0.0.1), and when the network fails."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gitserver import free_port, git_daemon, silent_server
from synctools import git_children, shared_notebook, snapshot

from store import Notebook
from store.sync import AuthError, OfflineError, RemoteError, add_remote, join, status, sync


def test_two_clones_sync_through_git_daemon(tmp_path: Path) -> None:
    with git_daemon(tmp_path) as server:
        alain, claire = shared_notebook(tmp_path, 2, url=f"{server}/remote.git")
        mine = alain.add_entry("practice", "Par le réseau", "Texte d'Alain")
        theirs = claire.add_entry("contact", "Contact", "Texte de Claire")
        claire.add_comment(theirs.id, "Réponse")
        assert sync(alain).pushed
        report = sync(claire)
        assert report.pushed and report.new_entries == (mine.id,)
        sync(alain)
        assert snapshot(alain) == snapshot(claire)
        assert status(alain).remote == f"{server}/remote.git"
    assert git_children() == []


def offline_notebook(notebook: Notebook, url: str) -> tuple[Notebook, str, str | None]:
    add_remote(notebook.root, url)
    entry = notebook.add_entry("reflection", "Écrite hors ligne")
    return notebook, entry.id, notebook.repo.head()


def test_unreachable_remote_keeps_local_commits_and_says_so(notebook: Notebook) -> None:
    _nb, entry_id, head = offline_notebook(notebook, f"git://127.0.0.1:{free_port()}/remote.git")
    started = time.monotonic()
    with pytest.raises(OfflineError, match="impossible de joindre le dépôt partagé"):
        sync(notebook, timeout=5)
    assert time.monotonic() - started < 5
    assert notebook.repo.head() == head
    assert notebook.entry(entry_id).title == "Écrite hors ligne"
    state = status(notebook)
    assert state.offline and state.unpushed == 2
    assert "joindre" in (state.last_error or "")
    assert git_children() == []


def test_silent_remote_times_out_quickly(notebook: Notebook) -> None:
    with silent_server() as port:
        _nb, entry_id, head = offline_notebook(notebook, f"git://127.0.0.1:{port}/remote.git")
        started = time.monotonic()
        with pytest.raises(OfflineError, match="n'a pas répondu en 1 secondes"):
            sync(notebook, timeout=1)
        assert time.monotonic() - started < 4
    assert notebook.repo.head() == head
    assert notebook.entry(entry_id).title == "Écrite hors ligne"
    assert status(notebook).offline
    assert git_children() == []


def test_timeout_from_the_environment(notebook: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARNET_SYNC_TIMEOUT", "1")
    with silent_server() as port:
        offline_notebook(notebook, f"git://127.0.0.1:{port}/remote.git")
        started = time.monotonic()
        with pytest.raises(OfflineError):
            sync(notebook)
        assert time.monotonic() - started < 4


def test_offline_flag_clears_after_a_good_sync(tmp_path: Path) -> None:
    (alain,) = shared_notebook(tmp_path, 1)
    good = status(alain).remote
    assert good is not None
    add_remote(alain.root, f"git://127.0.0.1:{free_port()}/remote.git")
    with pytest.raises(OfflineError):
        sync(alain, timeout=5)
    assert status(alain).offline
    add_remote(alain.root, good)
    sync(alain)
    state = status(alain)
    assert not state.offline and state.last_error is None


def test_missing_repository_on_the_server(tmp_path: Path) -> None:
    # A mistyped name: git daemon says "access denied or repository not exported".
    with git_daemon(tmp_path) as server, pytest.raises(RemoteError) as caught:
        join(f"{server}/absent.git", tmp_path / "claire", name="C D", email="c@example.org")
    assert not isinstance(caught.value, AuthError)
    assert "vérifiez l'adresse" in str(caught.value)
    assert "clé SSH" not in str(caught.value) and "mot de passe" not in str(caught.value)
    assert not (tmp_path / "claire").exists()


def test_join_from_an_unreachable_remote_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OfflineError) as caught:
        join(
            f"git://127.0.0.1:{free_port()}/remote.git",
            tmp_path / "claire",
            name="Claire Dubois",
            email="claire@example.org",
            timeout=5,
        )
    # Nothing of Claire's is there yet to keep; the reason is in words, not git's.
    message = str(caught.value)
    assert "conservé" not in message and "vérifiez l'adresse" in message
    assert "le serveur a refusé la connexion" in message and "errno" not in message
    assert not (tmp_path / "claire").exists()


def test_a_hung_remote_does_not_block_local_work(notebook: Notebook) -> None:
    """While a fetch waited for a silent server, `carnet add` in another process failed with
    "another Carnet is writing", which was not true."""
    import subprocess
    import sys
    import threading

    with silent_server() as port:
        add_remote(notebook.root, f"git://127.0.0.1:{port}/remote.git")
        failure: list[BaseException] = []

        def hung_sync() -> None:
            try:
                sync(notebook, timeout=20)
            except OfflineError as exc:
                failure.append(exc)

        worker = threading.Thread(target=hung_sync)
        worker.start()
        time.sleep(1.0)  # the fetch is waiting for the server now
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "-C", str(notebook.root), "add",
             "--kind", "tool", "--title", "Pendant la synchronisation"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < 10
        # The same process's own actions go on too (the TUI's case: sync in a thread).
        notebook.add_entry("tool", "Dans la même fenêtre")
        assert worker.is_alive()
        worker.join(timeout=60)
    assert failure and isinstance(failure[0], OfflineError)
    assert {e.title for e in Notebook(notebook.root).entries()} >= {
        "Pendant la synchronisation", "Dans la même fenêtre"}  # fmt: skip


def test_two_clones_pushing_at_the_same_moment_both_succeed(tmp_path: Path) -> None:
    """A ref-lock race on the remote was told as a refusal: "ask an administrator"."""
    import threading

    with git_daemon(tmp_path) as server:
        clones = shared_notebook(tmp_path, 3, url=f"{server}/remote.git")
        errors: list[BaseException] = []
        for round_number in range(5):
            for number, clone in enumerate(clones):
                clone.add_entry("practice", f"Tour {round_number}, clone {number}")
            barrier = threading.Barrier(len(clones))

            def run(clone: Notebook, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                try:
                    sync(clone)
                except BaseException as exc:  # noqa: BLE001 — reported below
                    errors.append(exc)

            threads = [threading.Thread(target=run, args=(clone,)) for clone in clones]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert errors == [], errors
        for clone in clones:
            sync(clone)
        assert snapshot(clones[0]) == snapshot(clones[1]) == snapshot(clones[2])
        assert len(clones[0].entries()) == 15
