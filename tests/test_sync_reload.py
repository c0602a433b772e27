"""After a sync, only the documents the merge changed are read again: and all of it is seen."""

from __future__ import annotations

import json
from pathlib import Path

from synctools import git, shared_notebook

from store import Notebook
from store.ids import new_ulid
from store.layout import document_path
from store.model import canonical_bytes
from store.notebook import EntryFilter
from store.storage import DocumentStorage
from store.sync import sync

BODY = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


def same_as_a_fresh_load(notebook: Notebook) -> None:
    """Everything ``notebook`` holds is what reading every file again, without cache, gives."""
    fresh = DocumentStorage(notebook.root, use_cache=False)
    assert notebook._storage.read() == fresh.read()
    assert sorted(notebook.problems, key=str) == sorted(fresh.problems, key=str)
    again = Notebook(notebook.root)
    try:
        assert notebook.entries(EntryFilter(include_deleted=True)) == again.entries(
            EntryFilter(include_deleted=True)
        )
        for entry in again.entries(EntryFilter(include_deleted=True)):
            assert notebook.thread(entry.id) == again.thread(entry.id)
            assert sorted(notebook.reviews(entry.id), key=str) == sorted(
                again.reviews(entry.id), key=str
            )
            assert notebook.is_unread(entry.id) == again.is_unread(entry.id)
        assert notebook.participants() == again.participants()
        assert notebook.unread_count() == again.unread_count()
    finally:
        again.close()


def test_a_merge_reads_again_only_what_it_changed_and_everything_is_seen(
    tmp_path: Path,
) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    shared = alain.add_entry("practice", "Maison des familles", BODY, tags=["famille"])
    untouched = alain.add_entry("tool", "Grille d'évaluation", "Une grille simple.")
    sync(alain)
    sync(claire)
    # Both work offline; Claire's search index and unread list are already built.
    alain.edit_entry(shared.id, body=BODY.replace("Premier", "Tout premier"))
    new = alain.add_entry("contact", "Réseau québécois", "Développement social local.")
    reply_to = alain.add_comment(shared.id, "Commentaire d'Alain sur la parentalité")
    alain.set_stance(shared.id, "agree")
    claire.edit_entry(shared.id, status="discuss", tags=["famille", "quartier"])
    claire.add_comment(untouched.id, "Vu par Claire")
    assert claire.search("developpement") == []
    unread_before = claire.unread_count()
    sync(alain)

    loaded = claire._storage.last_load
    report = sync(claire)

    assert report.merged == 1 and report.new_entries == (new.id,)
    assert claire._storage.last_load is loaded, "the whole notebook was read again"
    entry = claire.entry(shared.id)
    assert entry.body.startswith("Tout premier") and entry.status == "discuss"
    assert entry.tags == ("famille", "quartier")
    assert claire.entry(untouched.id).body == "Une grille simple."
    assert [item.comment.id for item in claire.thread(shared.id)] == [reply_to.id]
    assert claire.stances(shared.id) == {"alain-martin": "agree"}
    assert [e.id for e in claire.search("developpement")] == [new.id]
    assert [e.id for e in claire.search("parentalite")] == [shared.id]
    assert claire.is_unread(new.id) and not claire.is_unread(shared.id)  # read at her edit
    assert claire.unread_count() == unread_before + 1
    assert claire.resolve_id(new.id[-6:]) == new.id
    same_as_a_fresh_load(claire)


def test_a_damaged_or_removed_file_that_arrives_is_reported_as_a_full_load_would(
    tmp_path: Path,
) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Restera lisible")
    removed = alain.add_comment(entry.id, "Sera retiré avec git")
    kept = alain.add_comment(entry.id, "Restera")
    sync(alain)
    sync(claire)
    claire.search("lisible")  # the search index exists before the sync
    # Alain adds a damaged entry and removes a comment with other tools, and pushes with git.
    arriving = new_ulid()
    path = document_path("entries", arriving)
    damaged = b'{"kind": "practice", "title": "coup'
    (alain.root / path).parent.mkdir(parents=True, exist_ok=True)
    (alain.root / path).write_bytes(damaged)
    git(alain.root, "rm", "-q", document_path("comments", removed.id))
    git(alain.root, "add", path)
    git(alain.root, "commit", "-qm", "oops")
    git(alain.root, "push", "-q", "origin", "main")
    claire.add_entry("tool", "Ajoutée pendant ce temps")

    loaded = claire._storage.last_load
    report = sync(claire)

    assert claire._storage.last_load is loaded
    # Nothing valid to keep in its place: the damaged file is left as it came, and skipped.
    assert path in {problem.path for problem in claire.problems}
    assert path in {refusal.path for refusal in report.refused}
    assert arriving not in {e.id for e in claire.entries(EntryFilter(include_deleted=True))}
    # The removal was refused: the comment stays.
    assert {c.id for c in claire.comments(entry.id)} == {removed.id, kept.id}
    assert [e.id for e in claire.search("lisible")] == [entry.id]
    same_as_a_fresh_load(claire)
    # Repaired and pushed again: the problem goes, the entry is there.
    git(alain.root, "pull", "-q", "--no-rebase", "origin", "main")
    repaired = {**json.loads(canonical_bytes(entry.to_doc())), "title": "Réparée"}
    (alain.root / path).write_bytes(canonical_bytes(repaired))
    # In Alain's name (the entry says he wrote it): the gate refuses an entry whose author
    # is not the committer.
    alain_identity = ("-c", "user.name=Alain Martin", "-c", "user.email=alain@example.org")
    git(alain.root, *alain_identity, "commit", "-qam", "repaired")
    git(alain.root, "push", "-q", "origin", "main")
    sync(claire)
    assert claire.problems == []
    assert claire.entry(arriving).title == "Réparée"
    same_as_a_fresh_load(claire)


def test_the_local_cache_is_right_on_the_next_open(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", BODY)
    sync(alain)
    sync(claire)
    claire.close()
    claire = Notebook(claire.root)
    loaded = claire._storage.last_load
    assert loaded.from_cache or loaded.cache_saved  # the cache holds the versions before
    alain.edit_entry(entry.id, title="Maison des familles de Lyon")
    alain.add_comment(entry.id, "Arrivé par la fusion")
    claire.edit_entry(entry.id, status="adopted")
    sync(alain)
    sync(claire)

    reopened = Notebook(claire.root)
    assert reopened._storage.last_load.from_cache
    merged = reopened.entry(entry.id)
    assert (merged.title, merged.status) == ("Maison des familles de Lyon", "adopted")
    assert [c.body for c in reopened.comments(entry.id)] == ["Arrivé par la fusion"]
    same_as_a_fresh_load(reopened)
    same_as_a_fresh_load(claire)
    # A full reload in the same process, after the partial one, finds the same.
    claire.reload()
    same_as_a_fresh_load(claire)
    reopened.close()
    claire.close()
