"""Deciding together, end to end: three participants, real clones and a real remote.

A decision runs from opening to closing with one participant offline until after its
deadline, a meeting from its agenda to its closing; every clone converges on the same recorded
result, and the export shows the group's sections, the decisions and the open disagreements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from synctools import shared_notebook, snapshot

from store import Notebook
from store.i18n import typeset_french
from store.report import render
from store.sync import sync


def _clock(days: int) -> Callable[[], str]:
    """The notebook's clock, ``days`` from now."""

    def clock() -> str:
        return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    return clock


def _tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).date().isoformat()


@pytest.fixture
def group(tmp_path: Path) -> Iterator[list[Notebook]]:
    clones = shared_notebook(tmp_path, 3)
    yield clones
    for clone in clones:
        clone.close()


def _sync_all(clones: list[Notebook]) -> None:
    for clone in (*clones, *clones):
        sync(clone)


def test_a_decision_closes_the_same_on_every_clone_with_one_participant_offline(
    group: list[Notebook],
) -> None:
    alain, claire, helene = group
    proposal = alain.add_entry("proposal", "Des stages croisés", status="discuss")
    alain.open_decision(proposal.id, _tomorrow(), question="Les proposer aux directions ?")
    alain.set_stance(proposal.id, "agree")
    _sync_all(group)

    claire.set_stance(proposal.id, "question")
    sync(claire)
    # Hélène answers offline, and stays offline past the deadline: her clone closes the
    # decision by itself, knowing only her own stance and Alain's.
    helene.set_stance(proposal.id, "disagree")
    with helene.acting_as(helene.me or "", clock=_clock(2)):
        helene.close_overdue_decisions()
    # Meanwhile Alain's clone, online, closes it too, knowing Claire's stance.
    with alain.acting_as(alain.me or "", clock=_clock(2)):
        sync(alain)
        decision = alain.entry(proposal.id).decision
        assert decision is not None and decision.is_closed

    with helene.acting_as(helene.me or "", clock=_clock(2)):
        _sync_all(group)

    decisions = [clone.entry(proposal.id).decision for clone in group]
    assert decisions[0] == decisions[1] == decisions[2]
    assert decisions[0] is not None and decisions[0].closed_by == ""
    # The two closings by the deadline are nobody's words: they merge without a conflict,
    # and every stance given before the deadline is in the result.
    assert dict(decisions[0].result) == {
        alain.me: "agree",
        claire.me: "question",
        helene.me: "disagree",
    }
    assert all(not clone.entry(proposal.id).conflicts for clone in group)
    assert snapshot(alain) == snapshot(claire) == snapshot(helene)


def test_a_meeting_from_its_agenda_to_its_closing_and_the_export(group: list[Notebook]) -> None:
    alain, claire, helene = group
    seminar = alain.add_entry("proposal", "Un séminaire de retour", status="discuss")
    twinning = claire.add_entry("contact", "Un jumelage avec Bordeaux", status="discuss")
    liaison = helene.add_entry("proposal", "Un agent de liaison", status="open")
    _sync_all(group)
    helene.open_decision(liaison.id, _tomorrow(), question="Créer le poste ?")
    claire.set_stance(twinning.id, "block")
    alain.set_stance(liaison.id, "agree")
    _sync_all(group)

    meeting = alain.new_meeting("2005-11-17", "Rencontre de suivi", place="INSPQ")
    meeting = alain.prepare_agenda(meeting.id)
    assert {item.entry for item in meeting.agenda} == {seminar.id, twinning.id, liaison.id}
    alain.set_agenda(meeting.id, [liaison.id, seminar.id, twinning.id])
    alain.set_attendees(meeting.id, [alain.me or "", claire.me or "", helene.me or ""])
    _sync_all(group)

    # Two people take minutes, on two clones, of two items.
    alain.note_minutes(meeting.id, seminar.id, "Retenu pour décembre, à l'INSPQ.")
    alain.agree(meeting.id, seminar.id, "adopted")
    claire.note_minutes(meeting.id, liaison.id, "Poste créé pour un an, à l'essai.")
    claire.agree(meeting.id, liaison.id, "adopted")
    _sync_all(group)
    helene.close_meeting(meeting.id)
    _sync_all(group)

    for clone in group:
        held = clone.meeting(meeting.id)
        assert [item.entry for item in held.agenda] == [liaison.id, seminar.id, twinning.id]
        minutes = {item.entry: item.minutes for item in held.agenda}
        assert "décembre" in minutes[seminar.id] and "un an" in minutes[liaison.id]
        assert clone.entry(seminar.id).status == "adopted"
        assert clone.entry(liaison.id).status == "adopted"
        closed = clone.entry(liaison.id).decision
        assert closed is not None and closed.is_closed
        assert dict(closed.result) == {alain.me: "agree"}
    assert snapshot(alain) == snapshot(claire) == snapshot(helene)

    claire.edit_section("introduction", "Ce que nous avons vu en France, et ce que nous en tirons.")
    helene.edit_section("conclusion", "Nous poursuivons ensemble : un séminaire, un poste.")
    _sync_all(group)
    report = render(alain, fmt="md")
    introduction = report.index("Ce que nous avons vu en France")
    decisions = report.index("## Décisions")
    disagreements = report.index("## Désaccords ouverts")
    conclusion = report.index("un séminaire, un poste.")
    assert introduction < report.index("Un séminaire de retour") < decisions
    assert decisions < disagreements < conclusion
    # The decision with its question and the outcome the meeting wrote.
    chapter = report[decisions:disagreements]
    assert typeset_french("Créer le poste ?") in chapter and "Poste créé pour un an" in chapter
    # Claire's block on the twinning is an open disagreement.
    assert "Un jumelage avec Bordeaux" in report[disagreements:conclusion]
    # No technical id in the running text.
    for technical in (liaison.id, liaison.id[-4:], meeting.id, alain.me, claire.me):
        assert technical not in report
