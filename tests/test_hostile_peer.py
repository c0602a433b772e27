"""A peer who writes with plain git, not Carnet, pushes damage: nobody loses anything.

Claire's clone is the hostile peer: she writes files with other tools and pushes with git.
Alain has offline edits to the very documents she damages; Hélène has none. After their
syncs, everything Alain and Hélène had is still there, the damage is reported with who sent
it, and every command still works.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from clitools import carnet
from synctools import git, shared_notebook, snapshot

from store import Notebook
from store.layout import META_FILE, document_path
from store.model import MAX_DOCUMENT_BYTES
from store.notebook import EntryFilter
from store.sync import refusals, sync

Damage = Callable[[Path, list[str]], None]
HOSTILE = ("-c", "user.name=Claire Dubois", "-c", "user.email=claire@example.org")


def _rewrite(root: Path, paths: list[str], data: bytes) -> None:
    for path in paths:
        (root / path).write_bytes(data)


def invalid_json(root: Path, paths: list[str]) -> None:
    _rewrite(root, paths, b'{"kind": "practice", "title": "coup')


def wrong_types(root: Path, paths: list[str]) -> None:
    for path in paths:
        doc = json.loads((root / path).read_text(encoding="utf-8"))
        if path.startswith("entries/"):
            doc.update(title=42, tags="pas une liste", objectives=["1"])
        else:
            doc.update(body=42, entry=None)
        (root / path).write_text(json.dumps(doc), encoding="utf-8")


def oversized(root: Path, paths: list[str]) -> None:
    for path in paths:
        doc = json.loads((root / path).read_text(encoding="utf-8"))
        doc["body"] = "x" * (MAX_DOCUMENT_BYTES + 10)
        (root / path).write_text(json.dumps(doc), encoding="utf-8")


def deep_nesting(root: Path, paths: list[str]) -> None:
    _rewrite(root, paths, b"[" * 200_000 + b"]" * 200_000)


def symlink(root: Path, paths: list[str]) -> None:
    for path in paths:
        (root / path).unlink()
        (root / path).symlink_to("/etc/passwd")


def folder(root: Path, paths: list[str]) -> None:
    for path in paths:
        (root / path).unlink()
        (root / path).mkdir()
        (root / path / "dedans.json").write_text("{}", encoding="utf-8")


def deleted(root: Path, paths: list[str]) -> None:
    git(root, "rm", "-q", "--", *paths)


DAMAGES: dict[str, Damage] = {
    "invalid JSON": invalid_json,
    "wrong types": wrong_types,
    "oversized": oversized,
    "deep nesting": deep_nesting,
    "symlink": symlink,
    "folder": folder,
    "deleted": deleted,
}


def push_as_claire(claire: Notebook, message: str = "ménage") -> None:
    git(claire.root, "add", "-A")
    git(claire.root, *HOSTILE, "commit", "-qm", message)
    git(claire.root, "push", "-q", "origin", "main")


def every_command_works(root: Path) -> None:
    for args in (("list", "--json"), ("status",)):
        done = carnet(*args, cwd=root)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    doctor = carnet("doctor", cwd=root)
    assert "Traceback" not in doctor.stderr + doctor.stdout


@pytest.mark.parametrize("alain_first", [True, False], ids=["edited-first", "untouched-first"])
@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_damage_to_edited_and_untouched_documents_is_refused(
    tmp_path: Path, damage: str, alain_first: bool
) -> None:
    """A damaged copy beat a valid edit, and a plain-git deletion was applied everywhere."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    edited = alain.add_entry("practice", "Maison des familles", "Un lieu d'accueil.\n")
    untouched = alain.add_entry("tool", "Charte de quartier", "Signée par tous.\n")
    comment = alain.add_comment(untouched.id, "Nous l'avons lue ensemble.")
    for clone in (alain, claire, helene, alain):
        sync(clone)
    targets = [document_path("entries", e.id) for e in (edited, untouched)]
    targets.append(document_path("comments", comment.id))
    DAMAGES[damage](claire.root, targets)
    push_as_claire(claire)
    # Alain edits offline the entry Claire damaged.
    alain.edit_entry(edited.id, title="Maison des familles de Belleville")

    # Whoever syncs first meets the damage, refuses it and shares the repair.
    first, second = (alain, helene) if alain_first else (helene, alain)
    report = sync(first)
    assert {r.path for r in report.refused} == set(targets)
    assert {(r.author, r.email) for r in report.refused} == {
        ("Claire Dubois", "claire@example.org")
    }
    assert {r.path for r in refusals(first)} == set(targets)
    assert sync(second).refused == ()
    sync(first)
    for clone in (alain, helene):
        assert clone.entry(edited.id).title == "Maison des familles de Belleville"
        assert clone.entry(untouched.id).body == "Signée par tous.\n"
        assert [c.body for c in clone.comments(untouched.id)] == ["Nous l'avons lue ensemble."]
        assert clone.problems == []
        every_command_works(clone.root)
    assert snapshot(alain) == snapshot(helene)
    # Claire's next pull brings the valid versions back to her too; the damage stays in history.
    git(claire.root, "pull", "-q", "--no-rebase", "origin", "main")
    assert Notebook(claire.root).entry(edited.id).title == "Maison des familles de Belleville"


def test_git_rm_of_every_document_is_refused(tmp_path: Path) -> None:
    """`git rm -r entries comments`, committed and pushed, emptied every clone."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entries = [alain.add_entry("practice", f"Pratique {n}") for n in range(5)]
    comments = [alain.add_comment(e.id, "Vu à Lyon") for e in entries]
    for clone in (alain, claire, helene):
        sync(clone)
    git(claire.root, "rm", "-rq", "entries", "comments")
    push_as_claire(claire, "plus rien")
    alain.add_comment(entries[0].id, "Écrit hors ligne pendant ce temps")

    report = sync(helene)
    assert len(report.refused) == len(entries) + len(comments)
    assert "Claire Dubois" in " ".join(r.author for r in report.refused)
    sync(alain)
    sync(helene)
    for clone in (alain, helene):
        assert len(clone.entries()) == 5
        assert len(clone.comments(entries[0].id)) == 2
    done = carnet("doctor", cwd=helene.root)
    assert "Claire Dubois" in done.stdout


def test_a_new_damaged_document_is_left_as_it_came_and_skipped(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    from store.ids import new_ulid

    path = document_path("entries", new_ulid())
    (claire.root / path).parent.mkdir(parents=True, exist_ok=True)
    (claire.root / path).write_bytes(b"pas du JSON")
    link = document_path("entries", new_ulid())
    (claire.root / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", claire.root / link)
    push_as_claire(claire)
    report = sync(alain)
    assert {(r.path, r.kept) for r in report.refused} == {(path, False), (link, False)}
    # The damaged file waits for a repair; the link never enters the work tree.
    assert path in {p.path for p in alain.problems}
    assert not (alain.root / link).is_symlink()
    every_command_works(alain.root)


@pytest.mark.parametrize("kind", ["damaged", "symlink", "deleted"])
def test_carnet_json_is_protected_like_a_document(tmp_path: Path, kind: str) -> None:
    """One bad carnet.json locked everyone out, sync included."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(helene)
    sync(claire)
    meta = claire.root / META_FILE
    if kind == "damaged":
        meta.write_bytes(b"{ ceci n'est pas")
    elif kind == "symlink":
        meta.unlink()
        meta.symlink_to("/etc/passwd")
    else:
        git(claire.root, "rm", "-q", META_FILE)
    push_as_claire(claire)
    alain.edit_entry(entry.id, title="Maison des familles de Belleville")
    assert {r.path for r in sync(alain).refused} == {META_FILE}
    sync(helene)
    for clone in (alain, helene):
        assert Notebook(clone.root).info.title == "Mission 2005"
        assert clone.problems == []
        every_command_works(clone.root)
    assert helene.entry(entry.id).title == "Maison des familles de Belleville"


def test_a_damaged_carnet_json_already_in_place_does_not_lock_anyone_out(
    tmp_path: Path,
) -> None:
    """The message did not name the file, and no command (not even sync) could run."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    (claire.root / META_FILE).write_bytes(b"{ abime")
    opened = Notebook(claire.root)
    assert opened.info.title == "Mission 2005"
    assert META_FILE in {p.path for p in opened.problems}
    assert opened.entry(entry.id).title == "Maison des familles"
    every_command_works(claire.root)
    doctor = carnet("doctor", cwd=claire.root)
    assert doctor.returncode == 1 and META_FILE in doctor.stdout
    assert carnet("sync", cwd=claire.root).returncode == 0
    # With no valid version anywhere in history, the message names the file.
    shutil.rmtree(claire.root / ".git")
    git(claire.root, "init", "-q")
    done = carnet("list", cwd=claire.root)
    assert done.returncode == 1
    assert META_FILE in done.stderr and "Traceback" not in done.stderr


def test_a_future_format_carnet_json_opens_read_only_and_loses_nothing(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    meta = json.loads((claire.root / META_FILE).read_text(encoding="utf-8"))
    meta["format"] = 99
    (claire.root / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    push_as_claire(claire)
    alain.edit_entry(entry.id, title="Maison des familles de Belleville")
    sync(alain)
    again = Notebook(alain.root)
    assert again.read_only
    assert again.entry(entry.id).title == "Maison des familles de Belleville"
    every_command_works(alain.root)
    done = carnet("add", "--kind", "tool", "--title", "Refusée", cwd=alain.root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_odd_file_names_break_nothing(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    for name in ("entries/\x1b[2J\x1b]0;pwned\x07.json", "entries/0/ligne\nnouvelle.json",
                 "entries/0/../../x.json", "comments/-rf.json", "reviews/..json"):  # fmt: skip
        target = claire.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{}", encoding="utf-8")
    push_as_claire(claire)
    sync(alain)
    assert len(alain.entries(EntryFilter())) == 1
    every_command_works(alain.root)


async def test_the_review_screen_tells_what_the_gate_refused(tmp_path: Path) -> None:
    from tui.app import CarnetApp

    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    sync(alain)
    sync(claire)
    git(claire.root, "rm", "-q", document_path("entries", entry.id))
    push_as_claire(claire)
    app = CarnetApp(alain, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("S")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any("Claire Dubois" in text and "remis en place" in text for text in shown), shown
        assert alain.entry(entry.id).title == "Maison des familles"


@pytest.mark.parametrize("damage", ["invalid JSON", "deleted"])
def test_an_edit_the_damage_ran_over_is_kept(tmp_path: Path, damage: str) -> None:
    """Found by the property test: Alain's edit was pushed, Claire damaged the entry on top
    of it, and Hélène, who had not synced yet, put back the base: Alain's edit was lost."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("practice", "Maison des familles", "Premier paragraphe.\n")
    for clone in (alain, claire, helene):
        sync(clone)
    alain.edit_entry(entry.id, status="discuss")
    sync(alain)
    git(claire.root, "pull", "-q", "--no-rebase", "origin", "main")
    DAMAGES[damage](claire.root, [document_path("entries", entry.id)])
    push_as_claire(claire)
    helene.edit_entry(entry.id, body="Premier paragraphe.\n\nAjout d'Hélène.\n")
    report = sync(helene)
    assert [(r.author, r.kept) for r in report.refused] == [("Claire Dubois", True)]
    sync(alain)
    for clone in (alain, helene):
        kept = clone.entry(entry.id)
        assert (kept.status, kept.body) == ("discuss", "Premier paragraphe.\n\nAjout d'Hélène.\n")
