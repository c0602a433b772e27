"""Your own words, yours to change: a comment edited or withdrawn by its author only (replies
stay, the thread says « commentaire retiré »), an entry deleted and brought back."""

from __future__ import annotations

from pathlib import Path

import pytest
from clitools import carnet
from synctools import git, shared_notebook
from test_ownership import CLAIRE, edit_json, push_as_claire

from store import Notebook
from store.errors import InvalidInputError
from store.layout import document_path
from store.merge import MERGERS
from store.sync import sync


def test_an_author_edits_their_comment_and_nobody_else_can(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    comment = alain.add_comment(entry.id, "Visitée le 12.")
    sync(alain), sync(claire)

    edited = alain.edit_comment(alain.short_id(comment.id), "Visitée le 14 juin.")
    assert edited.body == "Visitée le 14 juin."
    with pytest.raises(InvalidInputError, match="Alain Martin"):
        claire.edit_comment(comment.id, "Je n'y étais pas.")
    with pytest.raises(InvalidInputError):
        claire.withdraw_comment(comment.id)
    with pytest.raises(InvalidInputError):
        alain.edit_comment(comment.id, "   ")
    sync(alain), sync(claire)
    assert [c.body for c in claire.comments(entry.id)] == ["Visitée le 14 juin."]


def test_a_withdrawn_comment_keeps_its_replies_across_clones(tmp_path: Path) -> None:
    """Alain withdraws his comment while Claire, offline, replies to it: both hold."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    comment = alain.add_comment(entry.id, "Je me suis trompé de ville.")
    sync(alain), sync(claire)
    alain.withdraw_comment(comment.id)
    reply = claire.add_comment(entry.id, "Laquelle ?", parent=comment.id)
    for clone in (alain, claire, alain):
        sync(clone)

    for clone in (alain, claire):
        thread = clone.thread(entry.id)
        assert [(t.comment.id, t.depth) for t in thread] == [(comment.id, 0), (reply.id, 1)]
        assert thread[0].comment.deleted and thread[0].comment.body == ""
        assert thread[1].comment.body == "Laquelle ?"
    with pytest.raises(InvalidInputError):
        alain.edit_comment(comment.id, "De retour")


def test_an_older_version_does_not_undo_a_withdrawal_in_a_merge() -> None:
    """A clone that edited the comment before it saw the withdrawal: the withdrawal wins."""
    base = {"entry": "E", "parent": None, "author": "ana", "body": "Oui", "created": "t"}
    withdrawn = {**base, "body": "", "deleted": True}
    edited = {**base, "body": "Oui, mais plus tard, et avec un texte plus long"}
    for ours, theirs in ((withdrawn, edited), (edited, withdrawn)):
        merged, _ = MERGERS["comments"](base, ours, theirs)
        assert merged["deleted"] is True and merged["body"] == ""


def test_a_withdrawal_pushed_back_out_with_plain_git_is_refused(tmp_path: Path) -> None:
    """The comment's own author puts the old version back with git: a withdrawal is final."""
    alain, helene = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles")
    comment = alain.add_comment(entry.id, "Texte à retirer")
    alain.withdraw_comment(comment.id)
    sync(alain), sync(helene)
    path = document_path("comments", comment.id)
    edit_json(alain.root, path, body="Texte à retirer", deleted=False)
    git(alain.root, "add", "-A")
    git(alain.root, "-c", "user.name=Alain Martin", "-c", "user.email=alain@example.org",
        "commit", "-qm", "retour")  # fmt: skip
    git(alain.root, "push", "-q", "origin", "main")

    refused = sync(helene).refused
    assert {r.path for r in refused} == {path}
    assert helene.comment(comment.id).deleted


def test_a_comment_withdrawn_by_someone_else_with_plain_git_is_refused(tmp_path: Path) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("practice", "Maison des familles")
    comment = alain.add_comment(entry.id, "Mon avis")
    for clone in (alain, claire, helene):
        sync(clone)
    path = document_path("comments", comment.id)
    edit_json(claire.root, path, body="", deleted=True)
    push_as_claire(claire)
    assert CLAIRE

    assert {r.path for r in sync(helene).refused} == {path}
    assert helene.comment(comment.id).body == "Mon avis"
    assert not helene.comment(comment.id).deleted


def test_an_entry_deleted_and_brought_back(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    notebook.delete_entry(entry.id)
    assert notebook.entry(entry.id).deleted
    assert entry.id not in [e.id for e in notebook.entries()]
    notebook.undelete_entry(entry.id)
    assert entry.id in [e.id for e in notebook.entries()]
    with pytest.raises(InvalidInputError):
        notebook.undelete_entry(entry.id)


def test_the_command_line_edits_withdraws_deletes(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Maison des familles")
    comment = notebook.add_comment(entry.id, "Premier jet")
    short = notebook.short_id(comment.id)
    done = carnet("comment-edit", short, "--body", "Second jet", cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    done = carnet("comment-withdraw", short, cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    done = carnet("comment-withdraw", short, cwd=notebook.root)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    done = carnet("delete", notebook.short_id(entry.id), cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    done = carnet("undelete", notebook.short_id(entry.id), cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    notebook.reload()
    assert notebook.comment(comment.id).deleted
    assert not notebook.entry(entry.id).deleted
