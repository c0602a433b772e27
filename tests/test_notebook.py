"""The Notebook facade: entries, comments, reviews, ids, search and validation."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from store import EntryFilter, Notebook
from store.errors import (
    AmbiguousIdError,
    InvalidInputError,
    NotANotebookError,
    NotFoundError,
    ReadOnlyError,
)
from store.layout import document_path
from store.model import MAX_DOCUMENT_BYTES


def _commits(root: Path) -> int:
    out = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return int(out)


def test_create_makes_a_repository_with_its_first_commit(notebook: Notebook) -> None:
    assert (notebook.root / "carnet.json").is_file()
    assert _commits(notebook.root) == 1
    assert notebook.me == "helene-cote"
    assert [o.number for o in notebook.info.objectives] == [1, 2, 3, 4]
    assert notebook.me_participant is not None
    assert notebook.me_participant.organisation == "INSPQ"


def test_create_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("à moi")
    with pytest.raises(InvalidInputError, match="pas vide"):
        Notebook.create(tmp_path / "x", title="T", name="A", email="a@b.c")
    assert (tmp_path / "x" / "notes.txt").read_text() == "à moi"


def test_opening_a_folder_that_is_no_notebook_says_so(tmp_path: Path) -> None:
    with pytest.raises(NotANotebookError, match="carnet init"):
        Notebook(tmp_path)


def test_entries_comments_and_replies(notebook: Notebook) -> None:
    entry = notebook.add_entry(
        "practice", "Les maisons des familles", "Un **lieu** d'accueil.",
        objectives=[1, 3], tags=["parentalité", "accueil", "accueil "],
    )  # fmt: skip
    comment = notebook.add_comment(entry.id, "Très inspirant.")
    reply = notebook.add_comment(entry.id, "D'accord !", parent=notebook.short_id(comment.id))
    second = notebook.add_comment(entry.id, "Autre point.")

    assert entry.tags == ("accueil", "parentalité")
    assert [(i.comment.id, i.depth) for i in notebook.thread(entry.id)] == [
        (comment.id, 0), (reply.id, 1), (second.id, 0),
    ]  # fmt: skip
    assert notebook.comment_count(entry.id) == 3
    assert reply.parent == comment.id


def test_a_reply_must_belong_to_the_same_entry(notebook: Notebook) -> None:
    first = notebook.add_entry("practice", "Un", "")
    second = notebook.add_entry("practice", "Deux", "")
    comment = notebook.add_comment(first.id, "Sur le premier")
    with pytest.raises(InvalidInputError):
        notebook.add_comment(second.id, "Réponse égarée", parent=comment.id)


def test_unread_stance_and_readers(notebook: Notebook, tmp_path: Path) -> None:
    entry = notebook.add_entry("research", "Évaluation", "")
    assert not notebook.is_unread(entry.id)  # the author has read what they wrote

    other = Notebook(notebook.root)
    other.add_participant("Marc Gagnon", "marc@example.org", "CLSC")
    assert other.is_unread(entry.id)
    other.mark_read(entry.id)
    other.set_stance(entry.id, "question")
    assert not other.is_unread(entry.id)

    notebook.refresh()
    assert notebook.stances(entry.id) == {"marc-gagnon": "question"}
    assert notebook.readers(entry.id) == ["helene-cote", "marc-gagnon"]

    notebook.add_comment(entry.id, "Nouveau commentaire")
    other.refresh()
    assert other.is_unread(entry.id)  # something happened since Marc read it
    other.mark_unread(entry.id)
    assert other.unread_count() == 1
    other.set_stance(entry.id, None)
    assert other.stances(entry.id) == {}


def test_short_ids_are_unique_suffixes(notebook: Notebook) -> None:
    entries = [notebook.add_entry("tool", f"Outil {n}", "") for n in range(30)]
    shorts = {notebook.short_id(e.id) for e in entries}
    assert len(shorts) == 30
    assert all(len(s) >= 4 and any(e.id.endswith(s) for e in entries) for s in shorts)
    for entry in entries:
        assert notebook.resolve_id(notebook.short_id(entry.id).lower()) == entry.id


def test_unknown_short_and_ambiguous_ids(notebook: Notebook) -> None:
    entry = notebook.add_entry("tool", "Outil", "")
    with pytest.raises(NotFoundError, match="au moins 4"):
        notebook.entry("AB")
    with pytest.raises(NotFoundError):
        notebook.entry("ZZZZZZ")
    twin = "01ARZ3NDEKTSV4RRFFQ69G" + entry.id[-4:]
    notebook._index.entries[twin] = entry  # two ids sharing their last characters
    with pytest.raises(AmbiguousIdError, match="plusieurs"):
        notebook.entry(entry.id[-4:])


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("developpement", True),
        ("DÉVELOPPEMENT", True),
        ("evaluation des projets", True),
        ("l'evaluation", True),
        ("reseau quebecois", True),  # the second word only appears in a comment
        ("developpement inexistant", False),
        ("dével", True),
    ],
)
def test_search_ignores_accents_case_and_punctuation(
    notebook: Notebook, query: str, found: bool
) -> None:
    entry = notebook.add_entry(
        "research",
        "Le développement social local",
        "Sur l'évaluation des projets.",
        tags=["réseau"],
    )
    notebook.add_comment(entry.id, "Utile pour un partenaire québécois.")
    notebook.add_entry("tool", "Autre chose", "Rien à voir.")
    assert [e.id for e in notebook.search(query)] == ([entry.id] if found else [])


def test_filters_combine(notebook: Notebook) -> None:
    a = notebook.add_entry("practice", "A", "", objectives=[1], tags=["x"], status="discuss")
    b = notebook.add_entry("practice", "B", "", objectives=[2], tags=["x"])
    c = notebook.add_entry("tool", "C", "", objectives=[1])
    notebook.delete_entry(c.id)

    def ids(**criteria: object) -> list[str]:
        return [e.id for e in notebook.entries(EntryFilter(**criteria))]  # type: ignore[arg-type]

    assert ids(kind="practice") == [a.id, b.id]
    assert ids(kind="practice", objective=1) == [a.id]
    assert ids(tag="x", status="discuss") == [a.id]
    assert ids(objective=1) == [a.id]
    assert ids(objective=1, include_deleted=True) == [a.id, c.id]
    with pytest.raises(InvalidInputError):
        ids(kind="poem")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda nb: nb.add_entry("poem", "T"), "type inconnu"),
        (lambda nb: nb.add_entry("practice", "  "), "titre est vide"),
        (lambda nb: nb.add_entry("practice", "T", status="done"), "statut inconnu"),
        (lambda nb: nb.add_entry("practice", "T", objectives=[7]), "objectif inconnu 7"),
        (lambda nb: nb.add_entry("practice", "T", "x" * (MAX_DOCUMENT_BYTES + 1)), "1 Mo"),
        (lambda nb: nb.add_entry("practice", "T" * 301), "trop long"),
    ],
)
def test_invalid_input_is_refused_and_writes_nothing(
    notebook: Notebook, call: object, message: str
) -> None:
    before = _commits(notebook.root)
    with pytest.raises(InvalidInputError, match=message):
        call(notebook)  # type: ignore[operator]
    assert _commits(notebook.root) == before
    assert not (notebook.root / "entries").exists()


def test_edit_changes_only_given_fields_and_delete_is_a_tombstone(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Corps", objectives=[1], tags=["a"])
    edited = notebook.edit_entry(entry.id, status="adopted", tags=["b"])
    assert (edited.title, edited.body, edited.status, edited.tags) == (
        "Titre", "Corps", "adopted", ("b",)
    )  # fmt: skip
    assert edited.updated >= entry.updated
    before = _commits(notebook.root)
    assert notebook.edit_entry(entry.id, status="adopted") == edited  # nothing to change
    assert _commits(notebook.root) == before
    notebook.delete_entry(entry.id)
    assert (notebook.root / document_path("entries", entry.id)).exists()
    assert notebook.entries() == []
    assert [h.message for h in notebook.history(entry.id)][0].startswith("Suppression")


def test_a_notebook_from_a_newer_carnet_opens_read_only(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "")
    meta_path = notebook.root / "carnet.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["format"] = 99
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    before = meta_path.read_bytes()

    reopened = Notebook(notebook.root)
    assert reopened.read_only
    assert reopened.entry(entry.id).title == "Titre"
    with pytest.raises(ReadOnlyError, match="lecture seule"):
        reopened.mark_read(entry.id)
    assert meta_path.read_bytes() == before


def test_another_process_commit_is_seen_before_the_next_action(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "")
    other = Notebook(notebook.root)
    other.edit_entry(entry.id, title="Titre changé ailleurs")
    notebook.add_comment(entry.id, "Je réagis")
    assert notebook.entry(entry.id).title == "Titre changé ailleurs"
    notebook.edit_entry(entry.id, status="discuss")
    assert Notebook(notebook.root).entry(entry.id).title == "Titre changé ailleurs"


def test_a_stranger_cannot_write(notebook: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    (notebook.repo.local_dir / "settings.json").unlink()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    stranger = Notebook(notebook.root)
    assert stranger.me is None
    entry_count = len(stranger.entries())
    with pytest.raises(Exception, match="qui vous êtes"):
        stranger.add_entry("practice", "Intrus", "")
    assert len(Notebook(notebook.root).entries()) == entry_count


def test_commit_messages_are_in_the_notebooks_language(notebook: Notebook) -> None:
    """The history is shared: it reads in the notebook's language whatever each screen shows."""
    from store.i18n import set_language

    set_language("en")
    entry = notebook.add_entry("practice", "Titre", "")
    assert notebook.history(entry.id)[0].message == "Nouvelle entrée : Titre"


def test_a_block_in_another_language_leaves_other_threads_alone() -> None:
    import threading

    from store.i18n import _, in_language

    seen: list[str] = []
    inside, done = threading.Event(), threading.Event()

    def other_thread() -> None:
        inside.wait()
        seen.append(_("draft"))
        done.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with in_language("en"):
        inside.set()
        done.wait()
        assert _("draft") == "draft"
    worker.join()
    assert seen == ["brouillon"]
