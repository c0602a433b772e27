"""« Depuis ma dernière visite »: each person's digest across clones, and mentions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from clitools import carnet
from synctools import PEOPLE, shared_notebook

from store.digest import DigestItem
from store.errors import InvalidInputError
from store.mentions import completions, mentions
from store.model import Participant
from store.notebook import Notebook
from store.sync import join, sync


def _sync(*clones: Notebook) -> None:
    for clone in (*clones, *clones):  # twice round: everyone ends with everything
        sync(clone)


def _kinds(items: list[DigestItem]) -> list[tuple[str, str, str | None, str]]:
    return [(item.kind, item.entry, item.comment, item.author) for item in items]


@pytest.fixture
def clones(tmp_path: Path) -> list[Notebook]:
    """Alain, Claire and Hélène, who have all read the two entries already there."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    alain.add_entry("proposal", "Un centre de liaison")
    claire.add_entry("practice", "La maison des familles")
    _sync(alain, claire, helene)
    for clone in (alain, claire, helene):
        for entry in clone.entries():
            clone.mark_read(entry.id)
    _sync(alain, claire, helene)
    return [alain, claire, helene]


def test_each_digest_holds_exactly_what_its_reader_has_not_seen(clones: list[Notebook]) -> None:
    alain, claire, helene = clones
    assert [clone.digest() for clone in clones] == [[], [], []]
    liaison = next(e for e in alain.entries() if e.title == "Un centre de liaison")

    question = helene.add_comment(liaison.id, "Qui finance le poste ?")
    helene.set_stance(liaison.id, "question")
    _sync(helene, claire)
    answer = claire.add_comment(liaison.id, "Le CLSC, en partie.", parent=question.id)
    charter = claire.add_entry("tool", "Une charte", body="À relire, @Hélène ; merci.")
    _sync(claire, alain, helene)

    assert _kinds(alain.digest()) == [
        ("entry", charter.id, None, claire.me),
        ("comment", liaison.id, answer.id, claire.me),
        ("stance", liaison.id, None, helene.me),
        ("comment", liaison.id, question.id, helene.me),
    ]
    assert alain.digest()[1].text == "Le CLSC, en partie."
    assert alain.digest()[2].text == "question"
    # Claire answered on the entry: reading it, she saw the question before.
    assert claire.digest() == []
    assert _kinds(helene.digest()) == [
        ("mention", charter.id, None, claire.me),
        ("reply", liaison.id, answer.id, claire.me),
    ]
    assert helene.digest_count() == 2

    # Opening an item marks it read: the entry's read time covers all its items.
    helene.mark_read(charter.id)
    alain.mark_read(liaison.id)
    assert _kinds(helene.digest()) == [("reply", liaison.id, answer.id, claire.me)]
    assert _kinds(alain.digest()) == [("entry", charter.id, None, claire.me)]


def test_since_a_day_shows_what_happened_read_or_not(clones: list[Notebook]) -> None:
    alain, claire, _helene = clones
    today = datetime.now(UTC).date()
    everything = alain.digest(since=today.isoformat())
    assert {item.entry for item in everything} == {e.id for e in alain.entries()} - {
        e.id for e in alain.entries() if e.author == alain.me
    }
    assert all(not item.unread for item in everything)
    assert alain.digest(since=(today + timedelta(days=1)).isoformat()) == []
    with pytest.raises(InvalidInputError):
        alain.digest(since="hier")
    assert claire.digest(since="2000-01-01") != []


def test_decisions_closing_soon_or_closed_and_conflicts_on_my_text(
    clones: list[Notebook],
) -> None:
    alain, claire, helene = clones
    liaison = next(e for e in alain.entries() if e.title == "Un centre de liaison")
    soon = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    claire.open_decision(liaison.id, soon, "Le retenir ?")
    _sync(claire, alain, helene)
    assert [item.kind for item in alain.digest()] == ["closing"]
    assert [item.kind for item in claire.digest()] == []  # her own decision
    alain.set_stance(liaison.id, "agree")
    assert alain.digest() == []
    claire.close_decision(liaison.id, "Retenu")
    _sync(claire, alain)
    assert [(item.kind, item.text) for item in alain.digest()] == [("closed", "Retenu")]

    alain.mark_read(liaison.id)
    alain.edit_entry(liaison.id, title="Un centre de liaison (Alain)")
    claire.edit_entry(liaison.id, title="Un centre de liaison (Claire)")
    _sync(alain, claire)
    assert [(item.kind, item.text, item.author) for item in alain.digest()] == [
        ("conflict", "title", claire.me)
    ]


def test_a_mention_reaches_the_right_person_and_not_a_namesake(
    tmp_path: Path, clones: list[Notebook]
) -> None:
    alain, claire, helene = clones
    roy = join((tmp_path / "remote.git").as_uri(), tmp_path / "roy", name="Hélène Roy",
               email="roy@example.org")  # fmt: skip
    _sync(roy, alain, claire, helene)
    liaison = next(e for e in claire.entries() if e.title == "Un centre de liaison")
    for clone in (roy, helene):
        clone.mark_read(liaison.id)
    _sync(roy, helene, claire)
    said = claire.add_comment(liaison.id, "@HELENE-ROY, peux-tu relire ? Merci @helene.")
    _sync(claire, roy, helene)
    (told,) = [item for item in roy.digest() if item.entry == liaison.id]
    assert (told.kind, told.comment, told.author) == ("mention", said.id, claire.me)
    # The first name two people share names neither: Hélène Côté only sees a new comment.
    assert _kinds(helene.digest()) == [("comment", liaison.id, said.id, claire.me)]


def _people(*names: str) -> list[Participant]:
    return [Participant(f"p{n}", name, f"p{n}@example.org") for n, name in enumerate(names)]


def test_mentions_ignore_accents_and_case_and_emails() -> None:
    people = _people("Hélène Côté", "Alain Martin", "Jean-Pierre Roy")
    assert mentions("Merci @helene et @ALAIN.", people) == {"p0", "p1"}
    assert mentions("@jean-pierre, @Hélène-Côté !", people) == {"p2", "p0"}
    assert mentions("écrire à alain@example.org, ou @personne", people) == set()
    namesakes = _people("Hélène Côté", "Hélène Roy")
    assert mentions("@helene", namesakes) == set()
    assert mentions("@hélène-roy", namesakes) == {"p1"}


def test_completion_offers_participants_without_accents() -> None:
    people = _people("Hélène Côté", "Hélène Roy", "Alain Martin")
    assert completions("hel", people) == ["Hélène-Roy", "Hélène-Côté"]
    assert completions("AL", people) == ["Alain"]
    assert completions("z", people) == []


def test_carnet_digest_prints_items_and_json(clones: list[Notebook]) -> None:
    alain, claire, _helene = clones
    liaison = next(e for e in claire.entries() if e.title == "Un centre de liaison")
    said = claire.add_comment(liaison.id, "Un mot pour @alain")
    _sync(claire, alain)
    done = carnet("digest", "--json", cwd=alain.root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {
            "kind": "mention", "entry": liaison.id, "comment": said.id, "author": claire.me,
            "time": said.created, "text": "Un mot pour @alain", "unread": True,
        }
    ]  # fmt: skip
    shown = carnet("digest", cwd=alain.root)
    assert shown.returncode == 0, shown.stderr
    assert "Un centre de liaison" in shown.stdout
    # Who, then what, with the space French puts before a colon (a plain one: scripts read it).
    assert f"vous mentionne · {PEOPLE[1][0]} : Un mot pour @alain" in shown.stdout
    assert carnet("digest", "--since", "demain", cwd=alain.root).returncode == 1
