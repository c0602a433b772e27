"""The read model: built on opening, it holds what the same actions built step by step; and
its one ``apply`` takes in each kind of change."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from store import Notebook
from store.index import EntryFilter, Index, Tables
from store.layout import TABLES
from store.model import Comment, Entry, Participant, Review


def _clock(*times: str) -> Callable[[], str]:
    ticks: Iterator[str] = iter(times)
    return lambda: next(ticks)


def _same_index(live: Notebook, reopened: Notebook) -> None:
    a, b = live._index, reopened._index
    assert a.entries == b.entries
    assert a.comments == b.comments
    assert a.comments_of == b.comments_of  # threads in the same order, not only the same set
    assert a.reviews_of == b.reviews_of
    assert a.activity == b.activity
    assert a.participants == b.participants
    for participant in a.participants:
        assert a.unread(participant) == b.unread(participant), participant


def test_opening_rebuilds_the_index_the_actions_built(notebook: Notebook) -> None:
    me = notebook.me
    assert me is not None
    other = notebook.add_participant("Paul Durand", "paul@example.org").id
    notebook.me = me
    first = notebook.add_entry("practice", "Maison des familles", "Accueil.", tags=["famille"])
    second = notebook.add_entry("research", "Évaluation", "Des projets.")
    quiet = notebook.add_entry("tool", "Sans commentaire", "")
    gone = notebook.add_entry("tool", "Effacée", "")
    notebook.delete_entry(gone.id)
    # Comments written in an order their times do not follow: a clone's clock ran late.
    with notebook.acting_as(other, _clock(*(f"2030-01-0{d}T00:00:00.000Z" for d in range(1, 10)))):
        late = notebook.add_comment(first.id, "Écrit en dernier")
        notebook.mark_read(second.id)
        notebook.set_stance(second.id, "question")
    with notebook.acting_as(other, _clock(*(f"2029-01-0{d}T00:00:00.000Z" for d in range(1, 10)))):
        early = notebook.add_comment(first.id, "Écrit plus tôt")
        notebook.add_comment(first.id, "Réponse", parent=early.id)
        notebook.add_comment(second.id, "Une question")
    notebook.mark_unread(quiet.id)

    reopened = Notebook(notebook.root)

    _same_index(notebook, reopened)
    assert [c.id for c in reopened._index.comments_of[first.id]][0] == early.id
    assert reopened._index.comments_of[first.id][-1].id == late.id
    assert reopened._index.activity[first.id] == late.created
    assert reopened._index.activity[quiet.id] == quiet.updated
    assert reopened.stances(second.id) == {other: "question"}
    assert reopened.is_unread(first.id) and reopened.is_unread(quiet.id)
    assert not reopened.is_unread(gone.id)
    assert reopened.search("reponse") == [first]


T0, T1, T2, T3 = (f"2030-01-0{d}T00:00:00.000Z" for d in range(1, 5))
E1, E2, E3 = (
    "01J00000000000000000000E01",
    "01J00000000000000000000E02",
    "01J00000000000000000000E03",
)
C1, C2 = "01J00000000000000000000C01", "01J00000000000000000000C02"


def _entry(entry_id: str, title: str, updated: str) -> Entry:
    return Entry(entry_id, "practice", title, "", (1,), (), "open", "paul", "paul", T0, updated)


def test_apply_takes_in_what_opening_an_action_and_a_merge_changed() -> None:
    """The one update of the read model, for each of its three callers' kinds of change."""
    tables: Tables = {name: {} for name in TABLES}
    tables["participants"]["paul"] = Participant("paul", "Paul", "paul@example.org").to_doc()
    tables["entries"][E1] = _entry(E1, "Maison des familles", T0).to_doc()
    tables["entries"][E2] = _entry(E2, "Évaluation", T0).to_doc()
    tables["comments"][C1] = Comment(C1, E1, None, "paul", "Première visite", T1).to_doc()
    read = Review("paul", E1, T1, "agree", T1)
    tables["reviews"][read.key] = read.to_doc()
    index = Index(lambda: tables)

    index.apply()  # opening: every document
    assert set(index.entries) == {E1, E2} and index.participants["paul"].name == "Paul"
    assert [c.id for c in index.comments_of[E1]] == [C1] and index.activity[E1] == T1
    assert index.unread("paul") == {E2}
    assert index.search.search("visite") == {E1}

    # An action: a comment on E2 and its author's review, the documents it wrote.
    tables["comments"][C2] = Comment(C2, E2, None, "paul", "Une question", T2).to_doc()
    seen = Review("paul", E2, T2, None, T2)
    tables["reviews"][seen.key] = seen.to_doc()
    index.apply({"comments": {C2}, "reviews": {seen.key}})
    assert index.activity[E2] == T2 and index.unread("paul") == set()
    assert index.search.search("question") == {E2}
    assert index.thread(E2)[0].comment.id == C2

    # A merge: E1 edited by a peer, E3 arrived, E2 became unreadable, C1 was withdrawn.
    tables["entries"][E1] = _entry(E1, "Maison des parents", T3).to_doc()
    tables["entries"][E3] = _entry(E3, "Outil", T3).to_doc()
    del tables["entries"][E2], tables["comments"][C1]
    index.apply({"entries": {E1, E2, E3}, "comments": {C1}})
    assert set(index.entries) == {E1, E3} and E2 not in index.activity
    assert index.entries[E1].title == "Maison des parents" and E1 not in index.comments_of
    assert index.unread("paul") == {E1, E3}  # E1 changed since Paul read it
    assert index.search.search("visite") == set() and index.search.search("parents") == {E1}
    assert index.select(EntryFilter(search="outil"), "paul") == [index.entries[E3]]

    fresh = Index(lambda: tables)
    fresh.apply()
    assert (fresh.entries, fresh.comments, fresh.comments_of) == (
        index.entries,
        index.comments,
        index.comments_of,
    )
    assert (fresh.reviews_of, fresh.activity) == (index.reviews_of, index.activity)
    assert fresh.unread("paul") == index.unread("paul")
