"""Sync between clones through a real bare repository: merges, conflicts, nothing lost."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from synctools import bare_remote, git, git_children, shared_notebook, snapshot

import store.sync as sync_module
from store import Notebook
from store.errors import InvalidInputError
from store.layout import document_path
from store.notebook import EntryFilter
from store.sync import (
    RejectedError,
    RemoteError,
    SyncError,
    add_remote,
    check_remote_url,
    join,
    status,
    sync,
)

BODY = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


def converge(clones: list[Notebook]) -> None:
    for _round in range(2):
        for clone in clones:
            sync(clone)


def assert_identical(clones: list[Notebook]) -> dict[str, bytes]:
    first = snapshot(clones[0])
    for clone in clones[1:]:
        assert snapshot(clone) == first
        assert clone.repo.head() == clones[0].repo.head()
    return first


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_three_clones_converge_in_every_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    clones = shared_notebook(tmp_path, 3)
    shared = clones[0].add_entry("practice", "Maison des familles", BODY, objectives=[1])
    converge(clones)
    made: dict[str, set[str]] = {"entries": {shared.id}, "comments": set()}
    # Everyone works offline at the same time.
    for number, clone in enumerate(clones):
        entry = clone.add_entry("tool", f"Outil {number}", f"Décrit par {number}.", tags=["outil"])
        made["entries"].add(entry.id)
        made["comments"].add(clone.add_comment(shared.id, f"Avis {number} sur la maison").id)
        made["comments"].add(clone.add_comment(entry.id, "Premier commentaire").id)
        clone.mark_read(shared.id)
        clone.set_stance(shared.id, ("agree", "question", "disagree")[number])
    for number in order:
        sync(clones[number])
    converge(clones)
    files = assert_identical(clones)
    for folder, ids in made.items():
        assert {document_path(folder, i) for i in ids} <= set(files)
    for clone in clones:
        assert {e.id for e in clone.entries()} == made["entries"]
        assert len(clone.comments(shared.id)) == 3
        assert sorted(clone.stances(shared.id).values()) == ["agree", "disagree", "question"]
        assert clone.problems == []
    assert git_children() == []


def two_clones_editing(tmp_path: Path) -> tuple[Notebook, Notebook, str]:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", BODY, tags=["famille"])
    converge([alain, claire])
    return alain, claire, entry.id


def test_different_fields_edited_on_two_clones_are_both_kept(tmp_path: Path) -> None:
    alain, claire, entry_id = two_clones_editing(tmp_path)
    alain.edit_entry(entry_id, title="Maison des familles de Villeurbanne")
    claire.edit_entry(entry_id, status="discuss")
    report = sync(alain)
    assert report.pushed and report.merged == 0
    report = sync(claire)
    assert report.merged == 1 and report.conflicts == 0
    converge([alain, claire])
    assert_identical([alain, claire])
    entry = alain.entry(entry_id)
    assert (entry.title, entry.status, entry.conflicts) == (
        "Maison des familles de Villeurbanne",
        "discuss",
        (),
    )


def test_same_field_one_wins_the_other_is_kept_until_resolved(tmp_path: Path) -> None:
    alain, claire, entry_id = two_clones_editing(tmp_path)
    alain.edit_entry(entry_id, title="Titre d'Alain")
    claire.edit_entry(entry_id, title="Titre de Claire")  # later: wins
    sync(alain)
    report = sync(claire)
    assert report.conflicts == 1
    converge([alain, claire])
    assert_identical([alain, claire])
    entry = alain.entry(entry_id)
    assert entry.title == "Titre de Claire"
    (conflict,) = entry.conflicts
    assert (conflict.field, conflict.value, conflict.author) == (
        "title",
        "Titre d'Alain",
        "alain-martin",
    )
    assert conflict.base == "Maison des familles"
    assert [e.id for e in alain.entries(EntryFilter(conflicts=True))] == [entry_id]
    assert status(alain).conflicts == 1
    # Alain settles it: his title after all.
    alain.resolve_conflict(entry_id, "title", "other")
    converge([alain, claire])
    for clone in (alain, claire):
        assert clone.entry(entry_id).title == "Titre d'Alain"
        assert clone.entry(entry_id).conflicts == ()
        assert status(clone).conflicts == 0


def test_body_edits_in_different_paragraphs_are_both_kept(tmp_path: Path) -> None:
    alain, claire, entry_id = two_clones_editing(tmp_path)
    alain.edit_entry(entry_id, body=BODY.replace("Premier", "Tout premier"))
    claire.edit_entry(entry_id, body=BODY.replace("Troisième", "Dernier"))
    converge([alain, claire])
    assert_identical([alain, claire])
    entry = claire.entry(entry_id)
    assert entry.body == "Tout premier paragraphe.\n\nDeuxième paragraphe.\n\nDernier paragraphe.\n"
    assert entry.conflicts == ()
    assert "<<<<" not in (alain.root / document_path("entries", entry_id)).read_text()


def test_tags_added_on_both_sides_are_united(tmp_path: Path) -> None:
    alain, claire, entry_id = two_clones_editing(tmp_path)
    alain.edit_entry(entry_id, tags=["famille", "quartier"])
    claire.edit_entry(entry_id, tags=["famille", "parentalité"])
    converge([alain, claire])
    assert alain.entry(entry_id).tags == ("famille", "parentalité", "quartier")
    assert_identical([alain, claire])


def test_edit_beats_delete(tmp_path: Path) -> None:
    alain, claire, entry_id = two_clones_editing(tmp_path)
    alain.delete_entry(entry_id)
    claire.edit_entry(entry_id, body=BODY + "\nAjout de Claire.\n")
    converge([alain, claire])
    assert_identical([alain, claire])
    entry = alain.entry(entry_id)
    assert not entry.deleted
    assert entry.body.endswith("Ajout de Claire.\n")
    assert [c.field for c in entry.conflicts] == ["deleted"]
    assert entry_id in {e.id for e in alain.entries()}
    # Confirming the deletion is one resolution away.
    alain.resolve_conflict(entry_id, "deleted", "other")
    converge([alain, claire])
    assert claire.entry(entry_id).deleted


def test_merge_commits_have_both_parents_and_report_what_arrived(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    mine = alain.add_entry("reflection", "Idée d'Alain")
    theirs = claire.add_entry("contact", "Contact de Claire")
    comment = claire.add_comment(theirs.id, "À rappeler")
    sync(claire)
    report = sync(alain)
    assert report.new_entries == (theirs.id,)
    assert report.new_comments == (comment.id,)
    assert report.pushed and report.fetched and not report.up_to_date
    parents = git(alain.root, "log", "-1", "--format=%P").split()
    assert len(parents) == 2
    assert git(alain.root, "log", "-1", "--format=%an").strip() == "Alain Martin"
    assert git(alain.root, "status", "--porcelain") == ""
    assert {e.id for e in alain.entries()} == {mine.id, theirs.id}
    # The remote holds the merge, and the other clone fast-forwards to it.
    report = sync(claire)
    assert report.new_entries == (mine.id,) and not report.pushed
    assert claire.repo.head() == alain.repo.head()
    assert sync(claire).up_to_date


def test_nothing_to_do_is_up_to_date(tmp_path: Path) -> None:
    (alain,) = shared_notebook(tmp_path, 1)
    head = alain.repo.head()
    report = sync(alain)
    assert report.up_to_date and not report.pushed and report.merged == 0
    assert alain.repo.head() == head


def test_no_push_keeps_local_commits_local(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    claire.add_entry("tool", "Outil")
    sync(claire)
    alain.add_entry("tool", "Autre outil")
    report = sync(alain, push=False)
    assert not report.pushed and report.new_entries
    state = status(alain)
    assert state.ahead == 2 and state.unpushed == 1 and state.behind == 0
    sync(alain)
    assert status(alain).ahead == 0


def test_status_counts_from_the_last_fetch(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    state = status(alain)
    assert (state.ahead, state.behind, state.unpushed, state.pending) == (0, 0, 0, 0)
    assert state.remote == (tmp_path / "remote.git").as_uri()
    assert state.last_sync is not None and not state.offline
    claire.add_entry("tool", "Outil")
    sync(claire)
    alain.add_entry("tool", "Un")
    alain.add_entry("tool", "Deux")
    (alain.root / "notes.txt").write_text("brouillon\n")
    state = status(alain)
    assert (state.ahead, state.behind, state.unpushed, state.pending) == (2, 0, 2, 1)
    sync(alain, push=False)
    state = status(alain)
    assert (state.ahead, state.behind, state.unpushed, state.pending) == (4, 0, 3, 0)


def test_status_without_remote(notebook: Notebook) -> None:
    state = status(notebook)
    assert state.remote is None and state.last_sync is None
    assert state.ahead == 1 and state.unpushed == 1
    with pytest.raises(RemoteError, match="dépôt partagé"):
        sync(notebook)
    assert "dépôt partagé" in (status(notebook).last_error or "")


def test_pending_files_are_committed_before_syncing(tmp_path: Path) -> None:
    """An action killed between its write and its commit is not left behind by a sync."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("tool", "Outil")
    path = alain.root / document_path("entries", entry.id)
    doc = json.loads(path.read_text())
    doc["title"] = "Outil renommé hors de Carnet"
    path.write_text(json.dumps(doc))
    sync(alain)
    sync(claire)
    assert claire.entry(entry.id).title == "Outil renommé hors de Carnet"


def test_malformed_document_pushed_with_plain_git(tmp_path: Path) -> None:
    """A damaged copy pushed by a peer replaced the valid documents, and Alain's edit."""
    alain, claire = shared_notebook(tmp_path, 2)
    broken = alain.add_entry("practice", "Sera abîmée")
    edited = alain.add_entry("practice", "Éditée des deux côtés")
    converge([alain, claire])
    # Claire damages two files with another tool and pushes with plain git.
    damaged = b'{"kind": "practice", "title": "coup'
    (claire.root / document_path("entries", broken.id)).write_bytes(damaged)
    (claire.root / document_path("entries", edited.id)).write_bytes(damaged)
    git(claire.root, "commit", "-qam", "oops")
    git(claire.root, "push", "-q", "origin", "main")
    alain.edit_entry(edited.id, title="Modifiée par Alain")
    alain.add_entry("tool", "Ajoutée pendant ce temps")
    report = sync(alain)
    assert {r.path for r in report.refused} == {
        document_path("entries", broken.id),
        document_path("entries", edited.id),
    }
    assert alain.entry(edited.id).title == "Modifiée par Alain"
    assert alain.entry(broken.id).title == "Sera abîmée"
    assert alain.problems == []
    # Alain keeps working and syncing; Claire receives the valid versions back.
    alain.add_entry("tool", "Encore une")
    sync(alain)
    sync(claire)
    assert_identical([alain, claire])
    assert len(claire.entries()) == 4
    assert claire.entry(edited.id).title == "Modifiée par Alain"


def test_rejected_push_is_fetched_merged_and_pushed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alain, claire, denis = shared_notebook(tmp_path, 3)
    alain.add_entry("tool", "Alain")
    real_integrate = sync_module._integrate
    raced = []

    def integrate_then_someone_pushes(*args: Any) -> Any:
        outcome = real_integrate(*args)
        if (
            not raced and args[1] is alain
        ):  # a real push by another clone, between Alain's fetch and his push
            raced.append(claire.add_entry("tool", "Claire").id)
            sync(claire)
        return outcome

    monkeypatch.setattr(sync_module, "_integrate", integrate_then_someone_pushes)
    report = sync(alain)
    assert report.pushed and raced
    assert raced[0] in report.new_entries
    monkeypatch.undo()
    converge([alain, claire, denis])
    assert_identical([alain, claire, denis])
    assert len(denis.entries()) == 2


def test_push_still_rejected_after_bounded_retries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    mine = alain.add_entry("tool", "Alain")
    real_integrate = sync_module._integrate
    rounds = []

    def integrate_then_someone_pushes(*args: Any) -> Any:
        outcome = real_integrate(*args)
        if args[1] is not alain:
            return outcome
        rounds.append(claire.add_entry("tool", f"Claire {len(rounds)}").id)
        sync(claire)
        return outcome

    monkeypatch.setattr(sync_module, "_integrate", integrate_then_someone_pushes)
    with pytest.raises(RejectedError, match="fois"):
        sync(alain)
    assert len(rounds) == sync_module.PUSH_ATTEMPTS
    monkeypatch.undo()
    assert mine.id in {e.id for e in alain.entries()}
    assert status(alain).unpushed == 1
    sync(alain)
    sync(claire)
    assert_identical([alain, claire])


def test_push_refused_by_the_server_is_reported(tmp_path: Path) -> None:
    (alain,) = shared_notebook(tmp_path, 1)
    hook = tmp_path / "remote.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'dépôt en lecture seule' >&2\nexit 1\n")
    hook.chmod(0o755)
    entry = alain.add_entry("tool", "Refusée")
    with pytest.raises(RejectedError, match="refusé"):
        sync(alain)
    assert alain.entry(entry.id).title == "Refusée"
    assert status(alain).unpushed == 1


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% pwned",
        "fd::17",
        "ext://sh",
        "-uhelp",
        "--upload-pack=touch pwned",
        "ssh://-oProxyCommand=touch%20x/repo",
        "-oProxyCommand=x:repo",
        "fancy::https://example.org/repo",
        "foo://example.org/repo",
        "https://example.org/a\nb",
        "",
    ],
)
def test_dangerous_urls_are_refused(notebook: Notebook, tmp_path: Path, url: str) -> None:
    with pytest.raises(RemoteError, match="adresse"):
        check_remote_url(url)
    with pytest.raises(RemoteError):
        add_remote(notebook.root, url)
    with pytest.raises(RemoteError):
        join(url, tmp_path / "dest", name="Claire Dubois", email="claire@example.org")
    assert not (tmp_path / "dest").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://git.example.org/mission.git",
        "ssh://helene@example.org/srv/mission.git",
        "helene@example.org:mission.git",
        "git://example.org/mission.git",
        "file:///srv/mission.git",
        "/srv/mission.git",
    ],
)
def test_ordinary_urls_are_accepted(url: str) -> None:
    assert check_remote_url(url) == url


def test_ext_url_in_config_is_refused_at_sync(notebook: Notebook, tmp_path: Path) -> None:
    """A remote edited into .git/config by hand goes through the same check."""
    witness = tmp_path / "pwned"
    git(notebook.root, "remote", "add", "origin", f"ext::sh -c touch% {witness}")
    with pytest.raises(RemoteError):
        sync(notebook)
    assert not witness.exists()


def test_join_refuses_a_folder_in_use_and_an_empty_remote(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path / "remote.git")
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("à moi")
    with pytest.raises(InvalidInputError, match="n'est pas vide"):
        join(remote.as_uri(), used, name="Claire Dubois", email="claire@example.org")
    assert (used / "notes.txt").read_text() == "à moi"
    with pytest.raises(RemoteError, match="pas encore de carnet"):
        join(remote.as_uri(), tmp_path / "new", name="Claire Dubois", email="claire@example.org")
    assert not (tmp_path / "new").exists()
    with pytest.raises(SyncError):
        join(str(tmp_path / "nowhere.git"), tmp_path / "new", name="C D", email="c@example.org")
    assert not (tmp_path / "new").exists()


def test_join_registers_once_and_shares_it(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    assert claire.me == "claire-dubois"
    sync(alain)
    assert [p.id for p in alain.participants()] == ["alain-martin", "claire-dubois"]
    # Joining again with the same email finds the participant instead of adding one.
    again = join(
        (tmp_path / "remote.git").as_uri(),
        tmp_path / "again",
        name="Claire D.",
        email="claire@example.org",
    )
    assert again.me == "claire-dubois"
    assert len(again.participants()) == 2
    assert git(again.root, "rev-parse", "--abbrev-ref", "@{upstream}").strip() == "origin/main"


def test_join_through_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared_notebook(tmp_path, 1)
    monkeypatch.chdir(tmp_path)
    claire = join("remote.git", Path("claire"), name="Claire Dubois", email="claire@example.org")
    assert status(claire).remote == str((tmp_path / "remote.git").resolve())
    claire.add_entry("tool", "Outil")
    assert sync(claire).pushed


def test_no_git_process_is_left_running(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    alain.add_entry("tool", "Un")
    claire.add_entry("tool", "Deux")
    converge([alain, claire])
    status(alain)
    assert git_children() == []
