"""Sync over a real network protocol (git daemon on 127.0.0.1), and when the network fails."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gitserver import free_port, git_daemon, silent_server
from synctools import git_children, shared_notebook, snapshot

from store import Notebook
from store.sync import OfflineError, RemoteError, add_remote, join, status, sync


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
    with git_daemon(tmp_path) as server, pytest.raises(RemoteError):
        join(f"{server}/absent.git", tmp_path / "claire", name="C D", email="c@example.org")
    assert not (tmp_path / "claire").exists()


def test_join_from_an_unreachable_remote_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OfflineError):
        join(
            f"git://127.0.0.1:{free_port()}/remote.git",
            tmp_path / "claire",
            name="Claire Dubois",
            email="claire@example.org",
            timeout=5,
        )
    assert not (tmp_path / "claire").exists()
