"""Helpers for sync tests: bare remotes, clones of one notebook, snapshots, git processes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from store import Notebook
from store.sync import add_remote, join, sync

PEOPLE = (
    ("Alain Martin", "alain@example.org"),
    ("Claire Dubois", "claire@example.org"),
    ("Hélène Côté", "helene@example.org"),
    ("Denis Tremblay", "denis@example.org"),
)
DOCUMENT_FOLDERS = ("entries", "comments", "participants", "reviews")


def git(cwd: Path, *args: str) -> str:
    """Run git as a participant would at a terminal."""
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def bare_remote(path: Path) -> Path:
    """A new, empty shared repository."""
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


def shared_notebook(tmp_path: Path, count: int, url: str | None = None) -> list[Notebook]:
    """``count`` clones of one notebook shared through a bare repository under ``tmp_path``."""
    remote = bare_remote(tmp_path / "remote.git")
    name, email = PEOPLE[0]
    first = Notebook.create(
        tmp_path / "clone-0", title="Mission 2005", name=name, email=email, organisation="CLSC"
    )
    add_remote(first.root, url or remote.as_uri())
    sync(first)
    clones = [first]
    for number in range(1, count):
        name, email = PEOPLE[number]
        clones.append(join(url or remote.as_uri(), tmp_path / f"clone-{number}", name=name,
                           email=email))  # fmt: skip
    for clone in clones:
        sync(clone)
    return clones


def snapshot(notebook: Notebook) -> dict[str, bytes]:
    """Every shared file of a notebook's work tree, by path."""
    files: dict[str, bytes] = {"carnet.json": (notebook.root / "carnet.json").read_bytes()}
    for folder in DOCUMENT_FOLDERS:
        for path in sorted((notebook.root / folder).rglob("*.json")):
            files[path.relative_to(notebook.root).as_posix()] = path.read_bytes()
    return files


def git_children() -> list[str]:
    """Command lines of git processes that this test process started and left running."""
    found = []
    me = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as handle:
                stat = handle.read()
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # The parent pid is the second field after the command name, which may hold spaces.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == me and "git" in cmdline and fields[0] != "Z":
            found.append(cmdline.strip())
    return found
