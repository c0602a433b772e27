"""``carnet join`` tells how far the copy has gone, stage by stage, on a terminal only."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import carnet
from gitserver import free_port, git_daemon, silent_server
from ptytools import read_all
from synctools import git

from store import Notebook
from store.progress import TerminalLine, on_terminal, report, reporting, stage
from store.sync import add_remote, sync

ENTRIES = 30  # enough documents for a copy of more than one object in each folder
JOINING = ("--name", "Claire Dubois", "--email", "claire@example.org")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_stage_rewrites_the_line_under_its_name() -> None:
    terminal = Terminal()
    with on_terminal("Lecture du carnet", terminal):
        stage("Écriture des fichiers")
        report(1, 2)
        stage("Copie")  # shorter: what the longer label left is blanked
        report(1, 2)
        stage(None)  # the work itself again, under its own label
        report(2, 2)
    assert terminal.getvalue() == (
        "\rÉcriture des fichiers   50 %"
        + "\rCopie   50 %"
        + " " * 16
        + "\rLecture du carnet  100 %\n"
    )


def test_a_listener_without_stages_hears_the_counts_alone() -> None:
    heard: list[tuple[int, int]] = []
    with reporting(lambda done, total: heard.append((done, total))):
        stage("Copie du carnet")
        report(1, 3)
    stage("Copie du carnet")  # nobody listens: nothing happens
    assert heard == [(1, 3)]
    assert TerminalLine("Lecture", io.StringIO()).work == "Lecture"


@pytest.fixture
def served(tmp_path: Path) -> str:
    """A notebook of a few entries in a bare repository; its folder, for ``git daemon``."""
    served = tmp_path / "served"
    served.mkdir()
    git(served, "init", "-q", "--bare", "-b", "main", "remote.git")
    alain = Notebook.create(tmp_path / "alain", title="Mission 2005", name="Alain Martin",
                            email="alain@example.org")  # fmt: skip
    for number in range(ENTRIES):
        alain.add_entry("practice", f"Pratique {number}", "Texte.\nSuite.", objectives=[1])
    add_remote(alain.root, str(served / "remote.git"))
    sync(alain)
    alain.close()
    return str(served)


def on_a_terminal(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``carnet ARGS`` with its output on a pseudo-terminal; its exit status, and
    everything it wrote there."""
    main, other = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *args], cwd=cwd, stdin=subprocess.DEVNULL,
        stdout=other, stderr=other, env={**os.environ, **(env or {})},
    )  # fmt: skip
    os.close(other)
    said = read_all(main)
    return process.wait(timeout=60), said.replace("\r\n", "\n")


def test_join_on_a_terminal_shows_each_stage_of_the_copy(served: str, tmp_path: Path) -> None:
    with git_daemon(Path(served)) as server:
        # git shows the checkout's progress after two seconds: at once here, to be seen.
        code, said = on_a_terminal("join", f"{server}/remote.git", "claire", *JOINING,
                                   cwd=tmp_path, env={"GIT_PROGRESS_DELAY": "0"})  # fmt: skip
    assert code == 0, said
    progress, _newline, rest = said.partition("\n")
    assert progress.startswith("\rCopie du carnet")
    steps = progress.split("\r")[1:]
    labels = [step.rsplit("  ", 1)[0].strip() for step in steps]
    assert "Écriture des fichiers" in labels and labels[-1] == "Lecture du carnet"
    assert steps[-1].strip().endswith("100 %")
    assert rest.startswith("Vous participez à « Mission 2005 »")
    assert (tmp_path / "claire" / "entries").is_dir()


def test_join_in_a_pipe_prints_what_it_always_did(served: str, tmp_path: Path) -> None:
    with git_daemon(Path(served)) as server:
        joined = carnet("join", f"{server}/remote.git", "claire", *JOINING, cwd=tmp_path)
    assert joined.returncode == 0, joined.stderr
    assert joined.stderr == ""
    assert joined.stdout == (
        f"Vous participez à « Mission 2005 » : {(tmp_path / 'claire').resolve()}\n"
    )


def test_an_unreachable_or_hung_remote_still_says_one_clear_line(tmp_path: Path) -> None:
    code, said = on_a_terminal("join", f"git://127.0.0.1:{free_port()}/remote.git", "claire",
                               *JOINING, cwd=tmp_path)  # fmt: skip
    assert code != 0 and said.count("\n") == 1, said
    assert "impossible de joindre le dépôt partagé" in said
    with silent_server() as port:
        hung = f"git://127.0.0.1:{port}/remote.git"
        code, said = on_a_terminal("join", hung, "denis", *JOINING, cwd=tmp_path,
                                   env={"CARNET_SYNC_TIMEOUT": "2"})  # fmt: skip
    assert code != 0 and said.count("\n") == 1, said
    assert "n'a pas répondu en 2 secondes" in said
    assert "\r" not in said
    assert not (tmp_path / "claire").exists() and not (tmp_path / "denis").exists()
