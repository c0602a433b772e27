"""The demo notebook: complete, readable by its participant, one sync behind, rebuilt on demand."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import EntryFilter, Notebook
from store.demo import (
    CLONE_DIR,
    MARKER_FILE,
    SHARED_DIR,
    _is_ready,
    build_demo,
    content,
    deciding,
    default_demo_dir,
    touch,
)
from store.errors import InvalidInputError
from store.git.program import run_git
from store.i18n import _, current_language, set_language
from store.model import STANCES, STATUSES
from store.notebook import MISSION_OBJECTIVES
from store.schema import ENTRY_KINDS
from store.sync import sync

NEWS_COMMITS = len(content.NEWS_ENTRIES) + len(content.NEWS_COMMENTS) + len(deciding.NEWS_DECISIONS)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One demo per module, built in a git setup that has no identity and another branch name."""
    home = tmp_path_factory.mktemp("demo-home")
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = master\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
        patch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
        patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for variable in ("GIT_CONFIG_GLOBAL", "GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_NAME",
                         "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                         "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # fmt: skip
            patch.delenv(variable, raising=False)
        root = tmp_path_factory.mktemp("demo") / "démo"
        clone = build_demo(root)
        assert clone == root.resolve() / CLONE_DIR
        yield root.resolve()


@pytest.fixture
def demo(demo_root: Path) -> Iterator[Notebook]:
    """The participant's notebook in the demo."""
    notebook = Notebook(demo_root / CLONE_DIR)
    yield notebook
    notebook.close()


def _ids(notebook: Notebook) -> dict[str, str]:
    """Content key of a participant → their id in the notebook, matched by email."""
    by_email = {p.email: p.id for p in notebook.participants()}
    return {p["key"]: by_email[p["email"]] for p in content.PARTICIPANTS}


def test_entries_cover_every_kind_status_and_objective(demo: Notebook) -> None:
    entries = demo.entries()
    assert len(entries) >= 20
    assert {e.kind for e in entries} == set(ENTRY_KINDS)  # the group's sections too
    assert {e.status for e in entries} == set(STATUSES)
    assert {n for e in entries for n in e.objectives} == {1, 2, 3, 4}
    assert sum(1 for e in entries if len(e.objectives) == 2) >= 3
    assert all(e.tags for e in entries if e.kind != "section")
    assert [o.title for o in demo.info.objectives] == list(MISSION_OBJECTIVES["fr"])


def test_bodies_are_markdown_and_one_holds_literal_markup(demo: Notebook) -> None:
    bodies = [e.body for e in demo.entries()]
    assert any("\n## " in b for b in bodies)
    assert any("\n- " in b for b in bodies)
    assert any("\n1. " in b for b in bodies)
    assert any("**" in b for b in bodies)
    assert any("\n|---|" in b for b in bodies)
    assert any("[bold]" in b and "[@click=app.quit]" in b for b in bodies)
    assert demo.search("[bold]")
    assert max(len(b) for b in bodies) > 1200


def test_threads_reach_three_levels(demo: Notebook) -> None:
    depths = [item.depth for e in demo.entries() for item in demo.thread(e.id)]
    assert len(depths) >= 30
    assert max(depths) == 2
    assert depths.count(1) >= 5


def test_stances_of_every_kind_from_several_participants(demo: Notebook) -> None:
    stances = [(who, s) for e in demo.entries() for who, s in demo.stances(e.id).items()]
    assert {s for _who, s in stances} == set(STANCES)
    assert len({who for who, _s in stances}) >= 4
    assert any(len(set(demo.stances(e.id).values())) >= 2 for e in demo.entries())


def test_the_participant_has_read_some_entries_and_not_others(demo: Notebook) -> None:
    ids = _ids(demo)
    assert demo.me == ids[content.YOU]
    entries = demo.entries()
    unread = demo.entries(EntryFilter(unread=True))
    assert 8 <= len(unread) <= len(entries) - 5
    assert demo.unread_count() == len(unread)
    read = [e for e in entries if not demo.is_unread(e.id)]
    assert any(e.author != demo.me for e in read)
    # Comments written after the participant's own entry make it unread again.
    assert any(e.author == demo.me for e in unread)


def test_every_participant_authored_their_own_commits(demo: Notebook, demo_root: Path) -> None:
    log = run_git(demo_root / CLONE_DIR, "log", "--format=%ae %aI %ce")
    authors = {line.split()[0] for line in log.splitlines()}
    assert authors == {p["email"] for p in content.PARTICIPANTS}
    for line in log.splitlines():
        author, when, committer = line.split()
        assert when.startswith("2005-") and author == committer
    assert demo.problems == []
    assert len(demo.participants()) == len(content.PARTICIPANTS)
    assert not run_git(demo_root / CLONE_DIR, "status", "--porcelain").strip()


def test_times_fall_within_the_autumn_of_2005(demo: Notebook) -> None:
    times = [e.created for e in demo.entries()] + [
        item.comment.created for e in demo.entries() for item in demo.thread(e.id)
    ]
    assert min(times) >= "2005-09-01" and max(times) < "2005-12-01"
    first = min((e for e in demo.entries() if e.kind != "section"), key=lambda e: e.created)
    history = demo.history(first.id)
    assert history and all(h.time.startswith("2005-09") for h in history)


def test_origin_is_the_shared_repository_which_is_ahead(demo_root: Path) -> None:
    clone, shared = demo_root / CLONE_DIR, demo_root / SHARED_DIR
    assert run_git(clone, "remote", "get-url", "origin").strip() == shared.as_uri()
    assert run_git(shared, "rev-parse", "--is-bare-repository").strip() == "true"
    head = run_git(clone, "rev-parse", "HEAD").strip()
    assert run_git(shared, "rev-list", "--count", f"{head}..main").strip() == str(NEWS_COMMITS)
    assert run_git(shared, "rev-list", "--count", f"main..{head}").strip() == "0"
    peer = next(p for p in content.PARTICIPANTS if p["key"] == content.PEER)
    news_authors = run_git(shared, "log", "--format=%ae", f"{head}..main").split()
    assert news_authors == [peer["email"]] * NEWS_COMMITS
    assert run_git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    tracking = run_git(clone, "rev-parse", "--abbrev-ref", "main@{upstream}").strip()
    assert tracking == "origin/main"


def test_the_first_sync_brings_unread_news(demo_root: Path, tmp_path: Path) -> None:
    """Pulled with plain git into a copy, so the shared demo stays one sync behind."""
    copy = tmp_path / "copie"
    shutil.copytree(demo_root / CLONE_DIR, copy, symlinks=True)
    with Notebook(copy) as notebook:
        before = {e.id for e in notebook.entries()}
        unread_before = notebook.unread_count()
        run_git(copy, "pull", "-q", "--ff-only", "origin", "main")
        assert notebook.refresh()
        after = notebook.entries()
        news = [e for e in after if e.id not in before]
        assert [e.title for e in news] == [e["title"] for e in content.NEWS_ENTRIES]
        assert all(notebook.is_unread(e.id) for e in news)
        assert notebook.unread_count() > unread_before
        assert notebook.problems == []


def test_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    folder = tmp_path / "mes-documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="n'est pas vide"):
        build_demo(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    with pytest.raises(InvalidInputError, match="fichier"):
        build_demo(folder / "notes.txt")


def test_a_build_cut_short_is_not_taken_for_a_demo(demo_root: Path, tmp_path: Path) -> None:
    """An interrupted build leaves its marker at "building": the next call builds again."""
    copy = tmp_path / "demo"
    shutil.copytree(demo_root, copy, symlinks=True)
    assert _is_ready(copy)
    (copy / MARKER_FILE).write_text("building\n", encoding="utf-8")
    assert not _is_ready(copy)


def test_default_folder_follows_xdg_data_home(isolated_git: Path) -> None:
    assert default_demo_dir() == isolated_git / ".local" / "share" / "carnet" / "demo"


def test_reused_without_reset_and_rebuilt_with_it(demo_root: Path) -> None:
    """Runs last: it leaves a fresh demo behind, as good as the one it found."""
    clone = demo_root / CLONE_DIR
    with Notebook(clone) as notebook:
        # Not a section: a section's id is its name's, the same in every build.
        unread = notebook.entries(EntryFilter(unread=True, kind="proposal"))[0]
        notebook.mark_read(unread.id)
    changed = run_git(clone, "rev-parse", "HEAD").strip()
    (demo_root / "mes-notes.txt").write_text("à moi", encoding="utf-8")

    assert build_demo(demo_root) == clone
    assert run_git(clone, "rev-parse", "HEAD").strip() == changed

    french_comment = _("Comment on: {title}").split("{")[0]
    set_language("en")
    assert build_demo(demo_root, reset=True) == clone
    assert current_language() == "en"
    assert run_git(clone, "rev-parse", "HEAD").strip() != changed
    # Commit messages are in the notebook's language, not the screen's.
    messages = run_git(clone, "log", "--format=%s").splitlines()
    assert any(message.startswith(french_comment) for message in messages)
    assert (demo_root / "mes-notes.txt").read_text(encoding="utf-8") == "à moi"
    assert (demo_root / MARKER_FILE).read_text(encoding="utf-8") == "ready\n"
    with Notebook(clone) as notebook:
        again = next(e for e in notebook.entries() if e.title == unread.title)
        assert again.id != unread.id and notebook.is_unread(again.id)
        assert len(notebook.entries()) == len(content.ENTRIES) + len(deciding.SECTIONS)
    head = run_git(clone, "rev-parse", "HEAD").strip()
    count = run_git(demo_root / SHARED_DIR, "rev-list", "--count", f"{head}..main").strip()
    assert count == str(NEWS_COMMITS)


def test_the_group_decided_and_met(tmp_path: Path) -> None:
    """One decision closed at a past meeting, one still open, and the group's first sections,
    once the participant's first sync brought the peer's news (in a demo of its own: the
    module's stays one sync behind)."""
    with Notebook(build_demo(tmp_path / "demo")) as notebook:
        sync(notebook)
        states = notebook.decisions()
        closed = [s for s in states if s.closed]
        still_open = [s for s in states if not s.closed]
        assert len(closed) == 1 and len(still_open) == 1
        assert closed[0].decision.closed_by == "marie-claude-berube"  # closing the meeting
        assert closed[0].decision.outcome.startswith("Accord de tous")
        assert closed[0].entry.status == "adopted"
        assert {s for _p, s in closed[0].decision.result} == {"agree", "abstain"}
        (meeting,) = notebook.meetings()
        assert meeting.closed and meeting.day == "2005-11-17"
        assert len(meeting.agenda) == 3 and all(item.minutes for item in meeting.agenda)
        names = [entry.title for entry in notebook.sections()]
        assert names[0] == "Introduction" and len(names) == 2
        # The peer's news names you, and links her proposal to the evaluation framework.
        assert any(item.kind == "mention" for item in notebook.digest())
        news = next(e for e in notebook.entries() if e.title.startswith("Recevoir à notre tour"))
        (framework,) = notebook.cited(news.id)
        assert news.id in notebook.cited_by(framework)


def test_the_programme_is_attached_twice_and_stored_once(demo: Notebook) -> None:
    ids = _ids(demo)
    guide = next(e for e in demo.entries() if e.title.startswith("Mode d'emploi du carnet"))
    people = next(e for e in demo.entries() if e.title.startswith("Personnes rencontrées"))
    records = demo.attachments(guide.id) + demo.attachments(people.id)
    assert sorted((a.added_by, a.name) for a in records) == [
        (ids["etienne"], "Programme de la semaine.pdf"),
        (ids["marie-claude"], "programme-mission-2005.pdf"),
    ]
    (sha,) = {a.sha256 for a in records}
    files = [p for p in (demo.root / "attachments").rglob("*") if p.is_file()]
    assert [p.name for p in files] == [sha]
    data = files[0].read_bytes()
    assert data == touch.programme_pdf() and records[0].type == "application/pdf"
    assert data.startswith(b"%PDF-1.4\n") and data.endswith(b"%%EOF\n")
    # A reader finds the objects where the cross-reference table says they are.
    start = int(data.rsplit(b"startxref\n", 1)[1].split()[0])
    offsets = data[start:].split(b"\n")[3:8]
    for number, line in enumerate(offsets, start=1):
        assert data[int(line.split()[0]) :].startswith(b"%d 0 obj" % number)
    assert b"Rennes" in data and "ÉN3S".encode("cp1252") in data


def test_an_entry_shows_the_restore_of_its_earlier_version(demo: Notebook) -> None:
    ids = _ids(demo)
    contracts = next(e for e in demo.entries() if e.title.startswith("Contrats avec les"))
    original = next(e for e in content.ENTRIES if e["key"] == "contrats-communes")
    assert contracts.body == original["body"]
    changes = demo.changes(contracts.id)
    at = next(n for n, c in enumerate(changes) if c.message.startswith("Restauration"))
    restore, mistake = changes[at : at + 2]
    assert restore.participant == ids["sophie"] and mistake.participant == ids["luc"]
    assert [change.field for change in restore.fields] == ["body"]
    assert "Médiation" in mistake.fields[0].after and "Médiation" not in contracts.body


def test_a_withdrawn_comment_keeps_its_reply(demo: Notebook) -> None:
    contracts = next(e for e in demo.entries() if e.title.startswith("Contrats avec les"))
    thread = demo.thread(contracts.id)
    withdrawn = [item for item in thread if item.comment.deleted]
    assert len(withdrawn) == 1 and withdrawn[0].comment.body == ""
    replies = [item.comment for item in thread if item.comment.parent == withdrawn[0].comment.id]
    assert [reply.body for reply in replies] == [touch.WITHDRAWN_THREAD[1]["body"]]
