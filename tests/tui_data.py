"""Notebooks for the TUI tests: entries written by other participants at fixed times."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from conftest import TEST_EMAIL, TEST_NAME

from store import Entry, Notebook
from store.git.program import Identity, run_git
from store.layout import document_path
from store.model import KINDS, canonical_bytes


def clock(start_minute: int = 0) -> Iterator[str]:
    """Times one minute apart, from 2026-03-02 09:00 UTC."""
    minute = start_minute
    while True:
        yield f"2026-03-02T{9 + minute // 60:02d}:{minute % 60:02d}:00.000Z"
        minute += 1


def review_notebook(root: Path) -> Notebook:
    """A notebook where Anne and Paul wrote four entries that the test participant has not read."""
    nb = Notebook.create(
        root, title="Mission 2005", name=TEST_NAME, email=TEST_EMAIL, organisation="INSPQ"
    )
    me = nb.me
    times = clock()
    anne = nb.add_participant("Anne Martin", "anne@example.org", "CLSC")
    paul = nb.add_participant("Paul Roy", "paul@example.org", "Ville")
    nb.me = me
    with nb.acting_as(anne.id, lambda: next(times)):
        first = nb.add_entry(
            "practice",
            "Développement social local à Lyon",
            "# Lyon\n\nLe **développement** social passe par les *maisons de quartier*.",
            objectives=[1, 3],
            tags=["parentalité"],
        )
        nb.add_entry(
            "research", "Évaluation des projets", "Une grille d'évaluation.", objectives=[2]
        )
    with nb.acting_as(paul.id, lambda: next(times)):
        nb.add_entry("tool", "Outil de suivi partagé", "Un tableau commun.", objectives=[3])
        nb.add_entry("contact", "Réseau des CAF", "Contacts à Paris.", objectives=[4], tags=["caf"])
        nb.add_comment(first.id, "Très utile pour nous.")
    with nb.acting_as(me or "", lambda: next(times)):
        nb.add_entry("reflection", "Mes notes du jour", "Déjà lu par moi.", objectives=[1])
    return nb


def large_notebook(root: Path, count: int) -> Notebook:
    """A notebook of ``count`` entries by Anne, written straight to disk and committed once."""
    nb = Notebook.create(root, title="Grand carnet", name=TEST_NAME, email=TEST_EMAIL)
    me = nb.me
    anne = nb.add_participant("Anne Martin", "anne@example.org")
    nb.close()
    times = clock()
    for number in range(count):
        at = next(times) if number < 600 else "2026-03-02T20:00:00.000Z"
        entry = Entry(
            id=f"01J{number:023d}", kind=KINDS[number % len(KINDS)],
            title=f"Entrée numéro {number} sur le développement", body="Texte " * 40,
            objectives=(1 + number % 4,), tags=(), status="open", author=anne.id,
            updated_by=anne.id, created=at, updated=at,
        )  # fmt: skip
        path = root / document_path("entries", entry.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(canonical_bytes(entry.to_doc()))
    run_git(root, "add", "entries")
    run_git(root, "commit", "-q", "-m", "Entrées", identity=Identity(TEST_NAME, TEST_EMAIL))
    return Notebook(root, participant=me)
