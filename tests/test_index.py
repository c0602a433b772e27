"""The index built when a notebook opens holds what the same actions built step by step."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from store import Notebook


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
