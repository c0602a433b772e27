"""Sync with real servers on 127.0.0.1: OpenSSH with keys, and git's smart HTTP with a password.

Every failure must end within the timeout, without a prompt, in one plain French sentence that
says what to do; none may show git's own words.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from git import GitCommandError
from gitserver import (
    HttpServer,
    SshServer,
    free_port,
    http_server,
    silent_server,
    ssh_keygen,
    ssh_server,
)
from synctools import bare_remote, git_children, shared_notebook, snapshot

from store import Notebook
from store.git.remote import classify as _classify
from store.sync import AuthError, OfflineError, RemoteError, SyncError, add_remote, join, sync

TIMEOUT = 10  # seconds; every failure below must be told well within it
GIT_WORDS = ("fatal:", "remote:", "errno=", "error:", "stderr:")


def assert_plain(error: SyncError, started: float) -> str:
    """The failure came in time and speaks the participant's language, not git's."""
    assert time.monotonic() - started < TIMEOUT
    message = str(error)
    assert not any(word in message.lower() for word in GIT_WORDS), message
    assert "\n" not in message and ". " not in message  # one sentence
    assert git_children() == []
    return message


def refused_join(url: str, dest: Path, refusal: type[SyncError] = AuthError) -> str:
    """What ``carnet join`` says when the server refuses Claire's credentials (or, with
    ``refusal``, refuses her for another reason)."""
    started = time.monotonic()
    with pytest.raises(refusal) as caught:
        join(url, dest, name="Claire Dubois", email="claire@example.org", timeout=TIMEOUT)
    assert type(caught.value) is refusal
    return assert_plain(caught.value, started)


# --- OpenSSH --------------------------------------------------------------------------------


@pytest.fixture
def participant_key(isolated_git: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The participant's ``~/.ssh``: a key pair and a config naming it; returns the public key.

    ssh reads the ``~/.ssh`` of the home in the system's user list, not ``$HOME``: an ``ssh``
    placed first on PATH hands the real one the test home's config with ``-F``, which is what
    ssh does by itself for a real participant. Carnet's own options (BatchMode, ConnectTimeout,
    host key checking) still come first on the command line, so they still apply.
    """
    real_ssh = shutil.which("ssh")
    if real_ssh is None:
        pytest.skip("needs Debian's openssh-client (ssh)")
    ssh_dir = isolated_git / ".ssh"
    public = ssh_keygen(ssh_dir / "id_ed25519")
    (ssh_dir / "config").write_text(
        "Host 127.0.0.1\n"
        f"  IdentityFile {ssh_dir / 'id_ed25519'}\n"
        "  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {ssh_dir / 'known_hosts'}\n"
        "  GlobalKnownHostsFile /dev/null\n",
        encoding="ascii",
    )
    shim_dir = isolated_git / "bin"
    shim_dir.mkdir()
    shim = shim_dir / "ssh"
    shim.write_text(f'#!/bin/sh\nexec "{real_ssh}" -F "$HOME/.ssh/config" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return public


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[SshServer]:
    with ssh_server(tmp_path / "sshd") as server:
        yield server


def test_two_clones_sync_over_ssh(tmp_path: Path, sshd: SshServer, participant_key: Path) -> None:
    sshd.authorize(participant_key)
    url = sshd.url(tmp_path / "remote.git")
    alain, claire = shared_notebook(tmp_path, 2, url=url)  # the first contact: join, sync
    mine = alain.add_entry("practice", "Par SSH", "Texte d'Alain")
    theirs = claire.add_entry("contact", "Contact", "Texte de Claire")
    assert sync(alain).pushed
    report = sync(claire)
    assert report.pushed and report.new_entries == (mine.id,)
    sync(alain)
    assert snapshot(alain) == snapshot(claire)
    assert alain.entry(theirs.id).title == "Contact"
    # The server was unknown at first: trusted on first use, and remembered.
    known = (participant_key.parent / "known_hosts").read_text(encoding="ascii")
    assert sshd.host_key.read_text(encoding="ascii").split()[1] in known
    assert git_children() == []


def test_a_key_the_server_does_not_know(
    tmp_path: Path, sshd: SshServer, participant_key: Path
) -> None:
    bare_remote(tmp_path / "remote.git")
    message = refused_join(sshd.url(tmp_path / "remote.git"), tmp_path / "claire")
    assert "le serveur ne connaît pas votre clé SSH" in message
    assert str(participant_key) in message
    assert "à la personne qui héberge le carnet" in message
    assert not (tmp_path / "claire").exists()


def test_no_ssh_key_at_all(tmp_path: Path, sshd: SshServer, participant_key: Path) -> None:
    participant_key.unlink()
    participant_key.with_suffix("").unlink()
    bare_remote(tmp_path / "remote.git")
    message = refused_join(sshd.url(tmp_path / "remote.git"), tmp_path / "claire")
    assert "cet ordinateur n'en a pas" in message
    assert "carnet key --create" in message


def test_a_changed_server_identity_is_refused(
    tmp_path: Path, sshd: SshServer, participant_key: Path
) -> None:
    """Trust on first use must not become trust always: a new host key is refused."""
    sshd.authorize(participant_key)
    (alain,) = shared_notebook(tmp_path, 1, url=sshd.url(tmp_path / "remote.git"))
    known_hosts = participant_key.parent / "known_hosts"
    other = ssh_keygen(tmp_path / "impostor")
    kind, key = other.read_text(encoding="ascii").split()[:2]
    host = known_hosts.read_text(encoding="ascii").split()[0]
    known_hosts.write_text(f"{host} {kind} {key}\n", encoding="ascii")
    alain.add_entry("practice", "Jamais envoyée à un imposteur")
    head = alain.repo.head()
    started = time.monotonic()
    with pytest.raises(AuthError) as caught:
        sync(alain, timeout=TIMEOUT)
    message = assert_plain(caught.value, started)
    assert "l'identité du serveur a changé" in message
    assert f"la ligne 1 de {known_hosts}" in message
    assert alain.repo.head() == head
    assert known_hosts.read_text(encoding="ascii") == f"{host} {kind} {key}\n"


def test_a_revoked_server_key_is_refused(
    tmp_path: Path, sshd: SshServer, participant_key: Path
) -> None:
    """A host key marked revoked was told as "the shared repository refused your access"."""
    sshd.authorize(participant_key)
    bare_remote(tmp_path / "remote.git")
    kind, key = sshd.host_key.read_text(encoding="ascii").split()[:2]
    known_hosts = participant_key.parent / "known_hosts"
    known_hosts.write_text(f"@revoked [127.0.0.1]:{sshd.port} {kind} {key}\n", encoding="ascii")
    message = refused_join(sshd.url(tmp_path / "remote.git"), tmp_path / "claire")
    assert "ne fait pas confiance à l'identité du serveur" in message


def test_a_changed_identity_without_the_line_to_delete() -> None:
    """ssh's warning without its "Offending key" line still says what happened."""
    said = (
        "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n"
        "Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.\n"
        "Host key verification failed.\nfatal: Could not read from remote repository."
    )
    error = _classify(GitCommandError(["git", "fetch"], 128, said), TIMEOUT)
    assert isinstance(error, AuthError)
    assert str(error).startswith("l'identité du serveur a changé")
    assert "ligne" not in str(error)


@pytest.mark.usefixtures("participant_key")
def test_ssh_to_a_closed_port_or_a_silent_server_ends_in_time(notebook: Notebook) -> None:
    add_remote(notebook.root, f"ssh://git@127.0.0.1:{free_port()}/remote.git")
    started = time.monotonic()
    with pytest.raises(OfflineError) as caught:
        sync(notebook, timeout=TIMEOUT)
    message = assert_plain(caught.value, started)
    assert "impossible de joindre le dépôt partagé" in message
    assert "le serveur a refusé la connexion" in message and "Connection refused" not in message
    with silent_server() as port:
        add_remote(notebook.root, f"ssh://git@127.0.0.1:{port}/remote.git")
        started = time.monotonic()
        with pytest.raises(OfflineError) as caught:
            sync(notebook, timeout=2)
        assert time.monotonic() - started < 4
        assert_plain(caught.value, started)


# --- smart HTTP -----------------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[HttpServer]:
    repositories = tmp_path / "served"
    repositories.mkdir()
    bare_remote(repositories / "remote.git")
    with http_server(tmp_path / "lighttpd", repositories, "alain", "s3cret-mot") as server:
        yield server


def credential_helper(home: Path, user: str, password: str) -> None:
    """A helper in the participant's git config that answers with this name and password."""
    with (home / ".gitconfig").open("a", encoding="utf-8") as config:
        config.write(
            "[credential]\n"
            f'\thelper = "!f() {{ echo username={user}; echo password={password}; }}; f"\n'
        )


def test_two_clones_sync_over_http_with_a_password(
    tmp_path: Path, web: HttpServer, isolated_git: Path
) -> None:
    credential_helper(isolated_git, web.user, web.password)
    alain, claire = shared_notebook(tmp_path, 2, url=web.url("remote.git"))
    mine = alain.add_entry("practice", "Par HTTP", "Texte d'Alain")
    claire.add_entry("contact", "Contact", "Texte de Claire")
    assert sync(alain).pushed
    report = sync(claire)
    assert report.pushed and report.new_entries == (mine.id,)
    sync(alain)
    assert snapshot(alain) == snapshot(claire)
    assert git_children() == []


def test_a_wrong_password(tmp_path: Path, web: HttpServer, isolated_git: Path) -> None:
    credential_helper(isolated_git, web.user, "pas-le-bon")
    message = refused_join(web.url("remote.git"), tmp_path / "claire")
    assert "a refusé votre nom ou votre mot de passe" in message
    assert "la personne qui héberge le carnet" in message


def test_no_password_saved_fails_at_once(tmp_path: Path, web: HttpServer) -> None:
    notebook = Notebook.create(tmp_path / "carnet", title="Carnet", name="A B", email="a@b.org")
    add_remote(notebook.root, web.url("remote.git"))
    started = time.monotonic()
    with pytest.raises(AuthError) as caught:
        sync(notebook, timeout=TIMEOUT)
    message = assert_plain(caught.value, started)
    assert time.monotonic() - started < 5  # no prompt waited for
    assert "demande un nom et un mot de passe" in message
    assert "credential.helper" in message and "trousseau" in message


def test_a_mistyped_repository_name_over_ssh(
    tmp_path: Path, sshd: SshServer, participant_key: Path
) -> None:
    sshd.authorize(participant_key)
    bare_remote(tmp_path / "remote.git")
    message = refused_join(sshd.url(tmp_path / "remot.git"), tmp_path / "claire", RemoteError)
    assert "vérifiez l'adresse" in message
    assert "clé SSH" not in message and "mot de passe" not in message


def test_a_mistyped_repository_name_over_http(
    tmp_path: Path, web: HttpServer, isolated_git: Path
) -> None:
    credential_helper(isolated_git, web.user, web.password)
    message = refused_join(web.url("remot.git"), tmp_path / "claire", RemoteError)
    assert "vérifiez l'adresse" in message
    assert "clé SSH" not in message and "mot de passe" not in message
