"""``carnet key``, ``init/join --signing-key``, ``doctor``'s signatures, as a person runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from clitools import carnet
from synctools import bare_remote, git

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="needs ssh-keygen (Debian: openssh-client)"
)


def test_key_explains_creates_shows_and_signs(tmp_path: Path, isolated_git: Path) -> None:
    none = carnet("key", cwd=tmp_path)
    assert none.returncode == 1
    assert "pas encore de clé SSH" in none.stdout and "carnet key --create" in none.stdout

    made = carnet("key", "--create", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    public = isolated_git / ".ssh" / "id_ed25519.pub"
    assert f"Nouvelle clé SSH créée : {public}" in made.stdout
    line = public.read_text(encoding="utf-8").strip()
    assert f"  {line}\n" in made.stdout  # the line to send, whole
    assert "ne s'envoie jamais" in made.stdout
    again = carnet("key", "--create", cwd=tmp_path)
    assert again.returncode == 1 and "existe déjà" in again.stderr
    assert public.read_text(encoding="utf-8").strip() == line  # never overwritten

    init = carnet("init", "nb", "--title", "Mission", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    shown = carnet("key", cwd=tmp_path / "nb")
    assert "carnet key --sign" in shown.stdout  # not signing yet: says how
    signed = carnet("key", "--sign", cwd=tmp_path / "nb")
    assert signed.returncode == 0, signed.stderr
    assert "désormais signées" in signed.stdout
    assert git(tmp_path / "nb", "log", "-1", "--format=%G?") == "G\n"


def test_init_with_a_signing_key_signs_from_the_first_commit(
    tmp_path: Path, isolated_git: Path
) -> None:
    assert carnet("key", "--create", cwd=tmp_path).returncode == 0
    key = isolated_git / ".ssh" / "id_ed25519.pub"
    done = carnet("init", "nb", "--title", "Mission", "--signing-key", str(key),
                  "--require-signatures", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = git(tmp_path / "nb", "log", "--show-signature", "-1")
    assert 'Good "git" signature for' in shown
    assert carnet("doctor", cwd=tmp_path / "nb").stdout.strip() == "Tout est en ordre."


def test_bad_keys_get_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "id_x").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n", encoding="ascii")
    (tmp_path / "junk.pub").write_text("not a key\n", encoding="ascii")
    for key, said in (
        ("missing.pub", "impossible de lire la clé"),
        ("id_x", "est une clé privée : donnez sa moitié publique"),
        ("junk.pub", "n'est pas une clé publique SSH"),
    ):
        done = carnet("init", "nb", "--title", "Mission", "--signing-key", key, cwd=tmp_path)
        assert done.returncode == 1
        assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert not (tmp_path / "nb").exists()
    required = carnet("init", "nb", "--title", "M", "--require-signatures", cwd=tmp_path)
    assert required.returncode == 1 and "--signing-key" in required.stderr


def test_join_with_a_signing_key_and_doctor_on_unsigned_history(
    tmp_path: Path, isolated_git: Path
) -> None:
    remote = bare_remote(tmp_path / "remote.git").as_uri()
    assert carnet("init", "first", "--title", "Mission", "--name", "Alain Martin",
                  "--email", "alain@example.org", "--remote", remote,
                  cwd=tmp_path).returncode == 0  # fmt: skip
    assert carnet("sync", cwd=tmp_path / "first").returncode == 0
    assert carnet("key", "--create", cwd=tmp_path).returncode == 0
    key = isolated_git / ".ssh" / "id_ed25519.pub"
    joined = carnet("join", remote, "claire", "--name", "Claire Dubois", "--email",
                    "claire@example.org", "--signing-key", str(key), cwd=tmp_path)  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    claire = tmp_path / "claire"
    assert git(claire, "log", "-1", "--format=%G? %GS") == "G claire-dubois\n"
    # A commit in Claire's name made with plain git, unsigned: doctor names it.
    (claire / "note.txt").write_text("hors Carnet\n", encoding="utf-8")
    git(claire, "add", "note.txt")
    git(claire, "-c", "user.name=Claire Dubois", "-c", "user.email=claire@example.org",
        "commit", "-qm", "unsigned")  # fmt: skip
    doctor = carnet("doctor", cwd=claire)
    assert "ne porte pas sa signature" in doctor.stdout, doctor.stdout
    assert "Claire Dubois" in doctor.stdout
