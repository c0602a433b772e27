"""The ``carnet`` program (``tui.launcher``): ``carnet list``'s check begun before the command
line is imported, taken by the listing of its own notebook only, and never left running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import slow_down_git

from store import Notebook, listing_check
from store.layout import document_path
from store.listing import load
from tui.launcher import leading_options

# Runs the program as the ``carnet`` script does, and tells, in order, the first git process
# started and the first module of the command line imported.
_WATCHED = (
    "import sys\n"
    "seen = []\n"
    "def hook(event, args):\n"
    "    if event == 'subprocess.Popen' and not any(s.startswith('git') for s in seen):\n"
    "        seen.append('git ' + ' '.join(map(str, args[1]))[:200])\n"
    "    elif event == 'import' and args[0] in ('tui.cli', 'argparse') and args[0] not in seen:\n"
    "        seen.append(args[0])\n"
    "sys.addaudithook(hook)\n"
    "from tui.launcher import run\n"
    "try:\n"
    "    run()\n"
    "finally:\n"
    "    print('|'.join(seen), file=sys.stderr)\n"
)


def _carnet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _WATCHED, *args], capture_output=True, text=True, check=False
    )


def _listed(notebook: Notebook) -> Path:
    notebook.add_entry("practice", "Une halte-garderie de quartier", "Un lieu d'accueil.")
    notebook.add_entry("tool", "Outil", "Une grille d'évaluation.", objectives=[3])
    notebook.listing()
    assert load(notebook.root) is not None
    return notebook.root


def test_the_listings_status_begins_before_the_command_line_is_imported(
    notebook: Notebook,
) -> None:
    root = _listed(notebook)
    done = _carnet("-C", str(root), "list")
    assert done.returncode == 0, done.stderr
    assert "Une halte-garderie de quartier" in done.stdout
    order = done.stderr.strip().splitlines()[-1].split("|")
    assert order[0].startswith("git ") and " status " in order[0], order
    assert order.index("argparse") > 0 and order.index("tui.cli") > 0, order


def test_a_list_begun_early_sees_a_hand_edit(notebook: Notebook) -> None:
    root = _listed(notebook)
    entry = notebook.search("outil")[0]
    path = root / document_path("entries", entry.id)
    path.write_text(path.read_text(encoding="utf-8").replace("Outil", "Truelle"), "utf-8")
    done = _carnet("-C", str(root), "list", "--search", "truelle")
    assert done.returncode == 0, done.stderr
    assert "Truelle" in done.stdout


def test_a_usage_error_leaves_no_git_process_behind(notebook: Notebook, tmp_path: Path) -> None:
    """A status left running after the program ends could still hold the index's lock when
    the participant's next git command runs. This one is made slow (git asks a file-system
    monitor that takes a second to answer), so that it outlives the program unless waited for."""
    root = _listed(notebook)
    slow_down_git(root, tmp_path, 1)
    program = subprocess.Popen(
        [sys.executable, "-c", _WATCHED, "-C", str(root), "list", "--no-such-option"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its group holds every process it started
    )  # fmt: skip
    _out, err = program.communicate(timeout=60)
    assert program.returncode == 2
    assert err.startswith("carnet : "), err
    assert " status " in err.splitlines()[-1], "the check was begun"
    with pytest.raises(ProcessLookupError):
        os.killpg(program.pid, 0)  # nothing of its group is left


def _children() -> set[int]:
    """This process's child processes, running or not yet reaped."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_a_check_never_taken_is_waited_for(notebook: Notebook, tmp_path: Path) -> None:
    """The status is made slow: a quick one, reaped by its thread, could be over before it is
    looked for."""
    root = _listed(notebook)
    notebook.close()  # its own index updates, in the background, waited for
    slow_down_git(root, tmp_path, 1)
    before = _children()
    listing_check.begin(root)
    assert _children() - before, "the status runs in its own process"
    listing_check.end()
    assert not _children() - before


def test_a_check_begun_for_another_notebook_vouches_for_nothing_here(
    notebook: Notebook, tmp_path: Path
) -> None:
    root = _listed(notebook)
    entry = notebook.search("outil")[0]
    path = root / document_path("entries", entry.id)
    path.write_text(path.read_text(encoding="utf-8").replace("Outil", "Truelle"), "utf-8")
    other = Notebook.create(tmp_path / "autre", title="Autre", name="Lou", email="lou@example.org")
    other.listing()
    try:
        listing_check.begin(other.root)  # a clean notebook: its check holds
        assert load(root) is None, "this notebook's own status sees the edit"
        assert load(other.root) is not None
    finally:
        listing_check.end()
        other.close()


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["list"], (None, "list")),
        (["-C", "here", "list", "-C", "not-this"], ("here", "list")),
        (["-Cthere", "--lang", "en", "list"], ("there", "list")),
        (["--lang=en", "-C", "a", "-C", "b", "add"], ("b", "add")),
        (["--help", "list"], (None, None)),
        (["-C"], (None, None)),
        ([], (None, None)),
    ],
)
def test_the_leading_options_are_read_as_argparse_reads_them(
    arguments: list[str], expected: tuple[str | None, str | None]
) -> None:
    assert leading_options(arguments) == expected
