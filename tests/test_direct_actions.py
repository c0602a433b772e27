"""``carnet comment``, ``carnet read`` and ``carnet endorse`` without opening the notebook
(``store.direct_actions``): the same commit, output and refusals as the notebook's own path,
and the notebook's path whenever the files cannot settle a check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from direct_paths import NOT_IMPORTED, imported_by, opened_notebooks

from store import Notebook, direct_actions
from store import adding as adding_module
from store import comments as comments_module
from store import reads as reads_module
from store.direct_actions import DirectActions
from store.errors import GitError
from store.git.local import LocalRepository
from store.git.program import run_git
from store.layout import document_path
from tui.cli import main

AT = "2026-12-01T10:00:00.000Z"
NEW_ID = "01JZZZZZZZZZZZZZZZZZZZQRST"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    return opened_notebooks(monkeypatch)


def _fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, both paths write at the same time, with the same new comment id."""
    for module in (direct_actions, reads_module):
        monkeypatch.setattr(module, "now", lambda: AT)
    for module in (adding_module, comments_module):
        monkeypatch.setattr(module, "new_ulid", lambda: NEW_ID)


def _through_the_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DirectActions, "open", classmethod(lambda cls, root: None))


def _two_clones(notebook: Notebook, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Two copies of one notebook with an entry, a comment on it and another entry; the
    short ids of these three."""
    entry = notebook.add_entry("practice", "Visite du centre social", "Un accueil chaleureux.")
    other = notebook.add_entry("tool", "Une grille")
    comment = notebook.add_comment(entry.id, "À creuser.")
    notebook.set_stance(entry.id, "agree")
    ids = {name: notebook.short_id(i) for name, i in
           (("entry", entry.id), ("other", other.id), ("comment", comment.id))}  # fmt: skip
    notebook.close()
    notebook.repo.refresh_index()  # no index update of git's still running while it is copied
    second = tmp_path / "second"
    shutil.copytree(notebook.root, second, symlinks=True)
    return notebook.root, second, ids


def _commit_of(root: Path) -> tuple[str, ...]:
    return tuple(
        run_git(root, "log", "-1", f"--format={part}").strip()
        for part in ("%T", "%B", "%an <%ae>", "%P")
    )


CASES = {
    "comment": ["comment", "{entry}", "--body", "Très juste :\nà creuser."],
    "reply": ["comment", "{entry}", "--body", "D'accord.", "--reply-to", "{comment}"],
    "read": ["read", "{entry}"],
    "unread": ["read", "{entry}", "--unread"],
    "endorse": ["endorse", "{other}", "--stance", "question"],
    "withdraw": ["endorse", "{entry}", "--withdraw"],
}


@pytest.mark.parametrize("case", CASES)
def test_the_same_commit_and_output_as_the_notebook_without_opening_it(
    notebook: Notebook, tmp_path: Path, opened: list[Path], case: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    direct, through, ids = _two_clones(notebook, tmp_path)
    start = notebook.repo.head()
    _fixed(monkeypatch)
    command = [word.format(**ids) for word in CASES[case]]
    assert main(["-C", str(direct), *command]) == 0
    assert opened == []
    direct_out = capsys.readouterr()
    _through_the_notebook(monkeypatch)
    assert main(["-C", str(through), *command]) == 0
    assert opened == [through]
    assert capsys.readouterr() == direct_out
    assert _commit_of(direct) == _commit_of(through)
    assert run_git(direct, "log", "-1", "--format=%P").strip() == start
    for root in (direct, through):
        assert run_git(root, "status", "--porcelain", "--untracked-files=all").strip() == ""
    assert _read_back(direct, ids) == _read_back(through, ids)


def _read_back(root: Path, ids: dict[str, str]) -> list[object]:
    """What the notebook, opened again, reads of both entries: comments and readings."""
    with Notebook(root) as notebook:
        seen: list[object] = []
        for name in ("entry", "other"):
            entry = notebook.entry(ids[name])
            seen.append(sorted(notebook.reviews(entry.id), key=lambda r: r.participant))
            seen.append([(c.id, c.parent, c.body) for c in notebook.comments(entry.id)])
        return seen


def test_marking_unread_what_is_unread_commits_nothing_either_way(
    notebook: Notebook, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    direct, through, ids = _two_clones(notebook, tmp_path)
    for root in (direct, through):
        assert main(["-C", str(root), "read", ids["entry"], "--unread"]) == 0
        head = LocalRepository(root).head()
        assert main(["-C", str(root), "read", ids["entry"], "--unread"]) == 0
        assert LocalRepository(root).head() == head
        _through_the_notebook(monkeypatch)
    assert opened == [through, through]


def _ambiguous(notebook: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two more entries whose ids both end with ABCD."""
    fresh = iter(["01JAAAAAAAAAAAAAAAAAAXABCD", "01JAAAAAAAAAAAAAAAAAAYABCD"])
    monkeypatch.setattr("store.actions.new_ulid", lambda: next(fresh))
    notebook.add_entry("tool", "Une")
    notebook.add_entry("tool", "Deux")
    monkeypatch.undo()


def _damage(root: Path, path: str) -> None:
    (root / path).write_text("{pas du json", encoding="utf-8")
    run_git(root, "add", path)
    run_git(root, "commit", "-q", "-m", "Un pair qui écrit sans Carnet")


REFUSALS = {
    "an unknown id": (["read", "ZZZZ"], "aucune entrée n'a l'identifiant"),
    "a short id too short": (["endorse", "AB"], "au moins 4 caractères"),
    "an ambiguous id": (["comment", "ABCD", "--body", "Oui"], "plusieurs"),
    "an empty comment": (["comment", "{entry}", "--body", "  "], "le commentaire est vide"),
    # Refused by the direct path itself, with the storage's own check.
    "a comment too long": (["comment", "{entry}", "--body", "é\n" * 300_000], "trop long"),
    "a reply elsewhere": (
        ["comment", "{other}", "--body", "Oui", "--reply-to", "{comment}"],
        "appartient à une autre entrée",
    ),
    "an unknown comment": (
        ["comment", "{entry}", "--body", "Oui", "--reply-to", "QQQQ"],
        "aucun commentaire n'a l'identifiant",
    ),
    "a damaged entry": (["read", "{other_id}"], "ne peut pas être lue"),
    "a damaged reading": (["endorse", "{entry}"], "est abîmé"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_each_refusal_says_the_same_words_either_way(
    notebook: Notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], case: str,
) -> None:  # fmt: skip
    """A refusal is the notebook's, in one line: no traceback, nothing written."""
    other = notebook.add_entry("tool", "Une autre")
    _ambiguous(notebook, monkeypatch)
    direct, through, ids = _two_clones(notebook, tmp_path)
    for root in (direct, through):
        if case == "a damaged entry":
            _damage(root, document_path("entries", other.id))
        if case == "a damaged reading":
            _damage(root, document_path("reviews", f"{notebook.me}/{_full(root, ids['entry'])}"))
    command, words = REFUSALS[case]
    command = [word.format(**ids, other_id=other.id) for word in command]
    said = []
    for root in (direct, through):
        head = LocalRepository(root).head()
        assert main(["-C", str(root), *command]) == 1
        out = capsys.readouterr()
        assert out.out == "" and words in out.err and "Traceback" not in out.err
        assert len(out.err.strip().splitlines()) == 1, out.err
        assert LocalRepository(root).head() == head
        said.append(out.err)
        _through_the_notebook(monkeypatch)
    assert said[0] == said[1]


def _full(root: Path, short: str) -> str:
    return next(p.stem for p in (root / "entries" / short[-1]).iterdir() if p.stem.endswith(short))


def test_a_refused_commit_puts_the_reading_back(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reading a direct action replaces is there as it was when the commit fails (a new
    file is removed, a replaced one written back)."""
    entry = notebook.add_entry("tool", "Une grille")
    reading = notebook.root / document_path("reviews", f"{notebook.me}/{entry.id}")
    before = reading.read_bytes()

    def refused(*args: object, **kwargs: object) -> None:
        raise GitError("git failed: refused")

    monkeypatch.setattr(LocalRepository, "commit", refused)
    head = notebook.repo.head()
    assert main(["-C", str(notebook.root), "comment", entry.id, "--body", "Oui"]) == 1
    assert "refused" in capsys.readouterr().err
    assert reading.read_bytes() == before
    assert notebook.repo.head() == head
    assert run_git(notebook.root, "status", "--porcelain", "--untracked-files=all").strip() == ""


def test_a_short_id_counts_no_damaged_file(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A damaged comment whose id ends like the new one's is not in the notebook's read
    model: it does not make the short id the notebook prints any longer."""
    entry = notebook.add_entry("tool", "Une grille")
    damaged = notebook.root / document_path("comments", "01JAAAAAAAAAAAAAAAAAAAQRST")
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_text("{", encoding="utf-8")
    _fixed(monkeypatch)
    assert main(["-C", str(notebook.root), "comment", entry.id, "--body", "Oui"]) == 0
    assert capsys.readouterr().out.strip() == "QRST"


@pytest.mark.parametrize(
    "command", [["comment", "{id}", "--body", "Oui"], ["read", "{id}"], ["endorse", "{id}"]]
)
def test_they_load_neither_the_notebook_nor_textual_nor_gitpython(
    notebook: Notebook, command: list[str]
) -> None:
    entry = notebook.add_entry("tool", "Une grille")
    modules = imported_by(notebook.root, *(word.format(id=entry.id[-4:]) for word in command))
    assert "store.direct_actions" in modules
    assert not modules & NOT_IMPORTED
