"""Decisions: the stances abstain and block, a decision opened and closed on an entry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from clitools import carnet
from synctools import shared_notebook, snapshot

from store.errors import InvalidInputError
from store.notebook import Notebook
from store.sync import sync


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    done = carnet("init", "carnet", "--title", "Mission 2005", "--org", "INSPQ", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "carnet"


def _add(folder: Path, title: str = "Un centre de liaison") -> str:
    added = carnet("add", "--kind", "proposal", "--title", title, cwd=folder)
    assert added.returncode == 0, added.stderr
    return added.stdout.strip()


def _head(folder: Path) -> bytes:
    return (folder / ".git" / "HEAD").read_bytes() + (folder / ".git" / "index").read_bytes()


def test_abstain_and_block_are_stances(folder: Path) -> None:
    entry = _add(folder)
    assert carnet("endorse", entry, "--stance", "abstain", cwd=folder).returncode == 0
    with Notebook(folder) as notebook:
        assert list(notebook.stances(notebook.resolve_id(entry)).values()) == ["abstain"]
    assert carnet("endorse", entry, "--stance", "block", cwd=folder).returncode == 0
    with Notebook(folder) as notebook:
        assert list(notebook.stances(notebook.resolve_id(entry)).values()) == ["block"]


def test_an_unknown_stance_is_one_line_and_changes_nothing(folder: Path) -> None:
    entry = _add(folder)
    before = _head(folder)
    done = carnet("endorse", entry, "--stance", "peut-être", cwd=folder)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "peut-être" in done.stderr
    assert _head(folder) == before


def _later(days: int = 7) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def test_a_decision_is_opened_answered_and_closed(notebook: Notebook) -> None:
    entry = notebook.add_entry("proposal", "Un centre de liaison")
    notebook.open_decision(entry.id, _later(), question="Le retenir ?")
    notebook.set_stance(entry.id, "block")
    (state,) = notebook.decisions(open_only=True)
    assert (state.entry.id, state.decision.question, state.closed) == (
        entry.id,
        "Le retenir ?",
        False,
    )
    assert dict(state.counts)["block"] == 1
    assert state.answered == (notebook.me,)

    closed = notebook.close_decision(entry.id, "Retenu malgré une réserve", "adopted")
    assert closed.status == "adopted"
    assert closed.decision is not None
    assert (closed.decision.outcome, closed.decision.closed_by) == (
        "Retenu malgré une réserve", notebook.me,
    )  # fmt: skip
    assert closed.decision.result == ((notebook.me, "block"),)
    notebook.set_stance(entry.id, "agree")  # after closing: the result stays
    (state,) = notebook.decisions()
    assert state.closed and dict(state.counts)["block"] == 1 and dict(state.counts)["agree"] == 0
    assert notebook.decisions(open_only=True) == []
    notebook.reload()
    assert notebook.entry(entry.id).decision == notebook.decisions()[0].decision


def test_bad_decisions_are_refused_and_change_nothing(notebook: Notebook) -> None:
    entry = notebook.add_entry("proposal", "Un centre de liaison")
    head = notebook.repo.head()
    with pytest.raises(InvalidInputError, match="passé"):
        notebook.open_decision(entry.id, (date.today() - timedelta(days=1)).isoformat())
    with pytest.raises(InvalidInputError):
        notebook.open_decision(entry.id, "bientôt")
    with pytest.raises(InvalidInputError):
        notebook.close_decision(entry.id, "Non")
    assert notebook.repo.head() == head
    notebook.open_decision(entry.id, _later())
    with pytest.raises(InvalidInputError):
        notebook.close_decision(entry.id, "Non", "maybe")
    notebook.close_decision(entry.id, "Non", "archived")
    head = notebook.repo.head()
    with pytest.raises(InvalidInputError, match="déjà"):
        notebook.close_decision(entry.id, "Encore")
    assert notebook.repo.head() == head


def test_a_stance_after_closing_does_not_change_the_result_after_sync(tmp_path: Path) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("proposal", "Un centre de liaison")
    alain.open_decision(entry.id, _later(), question="Le retenir ?")
    for clone in (alain, claire, helene):
        sync(clone)
    claire.set_stance(entry.id, "agree")
    sync(claire)
    sync(alain)
    alain.close_decision(entry.id, "Retenu", "adopted")
    helene.set_stance(entry.id, "block")  # offline: she has not seen the closing
    for clone in (alain, helene, claire, alain, helene):
        sync(clone)
    expected = (("claire-dubois", "agree"),)
    for clone in (alain, claire, helene):
        decision = clone.entry(entry.id).decision
        assert decision is not None and decision.result == expected
        assert clone.stances(entry.id)["helene-cote"] == "block"
        assert clone.entry(entry.id).status == "adopted"
    assert snapshot(alain) == snapshot(claire) == snapshot(helene)


def test_two_closings_offline_with_different_outcomes_are_a_conflict(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("proposal", "Un centre de liaison")
    alain.open_decision(entry.id, _later())
    sync(alain)
    sync(claire)
    alain.close_decision(entry.id, "Retenu", "adopted")
    claire.close_decision(entry.id, "Écarté", "archived")
    for clone in (alain, claire, alain):
        sync(clone)
    merged = alain.entry(entry.id)
    assert "decision" in {c.field for c in merged.conflicts}
    assert merged == claire.entry(entry.id)
    assert snapshot(alain) == snapshot(claire)


def test_the_command_line_opens_lists_and_closes_a_decision(folder: Path) -> None:
    entry = _add(folder)
    day = _later()
    opened = carnet("decision", "open", entry, "--closes", day, "--question", "Le retenir ?",
                    cwd=folder)  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert "Décision ouverte" in opened.stdout
    assert carnet("endorse", entry, "--stance", "abstain", cwd=folder).returncode == 0
    listed = carnet("decisions", "--open", cwd=folder)
    assert "Le retenir ?" in listed.stdout and "1 abstention" in listed.stdout
    (shown,) = json.loads(carnet("decisions", "--json", cwd=folder).stdout)
    assert (shown["question"], shown["closes"], shown["closed"]) == ("Le retenir ?", day, False)
    assert shown["stances"]["abstain"] == 1 and shown["missing"] == []

    closed = carnet("decision", "close", entry, "--outcome", "Écarté", "--status", "archived",
                    cwd=folder)  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    before = _head(folder)
    again = carnet("decision", "close", entry, "--outcome", "Encore", cwd=folder)
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "déjà close" in again.stderr
    assert _head(folder) == before
    assert carnet("decisions", "--open", "--json", cwd=folder).stdout.strip() == "[]"
    (shown,) = json.loads(carnet("decisions", "--json", cwd=folder).stdout)
    assert (shown["closed"], shown["outcome"], shown["status"]) == (True, "Écarté", "archived")


def _two_days_later() -> str:
    """The time two days from now, as the notebook's clock gives it."""
    return (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_a_decision_past_its_day_closes_on_opening(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = notebook.add_entry("proposal", "Un centre de liaison", status="discuss")
    notebook.open_decision(entry.id, _later(1))
    notebook.set_stance(entry.id, "question")
    notebook.close()
    with Notebook(notebook.root) as again:
        assert again.decisions(open_only=True) != []
    monkeypatch.setattr("store.reads.now", _two_days_later)
    with Notebook(notebook.root) as again:
        (state,) = again.decisions()
        assert state.closed and state.decision.outcome == "" and state.decision.status is None
        assert state.decision.closed_by == ""  # the deadline closed it, in nobody's name
        assert state.decision.result == ((again.me, "question"),)
        assert again.entry(entry.id).status == "discuss"


def test_a_participant_offline_past_the_deadline_converges(tmp_path: Path) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("proposal", "Un centre de liaison")
    alain.open_decision(entry.id, _later(1), question="Le retenir ?")
    for clone in (alain, claire, helene):
        sync(clone)
    claire.set_stance(entry.id, "agree")
    sync(claire)
    with alain.acting_as(alain.me, clock=_two_days_later):
        sync(alain)  # receives the stance, then closes the decision past its day
    helene.set_stance(entry.id, "disagree")  # offline until after the deadline
    for clone in (alain, helene, claire, alain, helene):
        sync(clone)
    for clone in (alain, claire, helene):
        decision = clone.entry(entry.id).decision
        assert decision is not None and decision.result == (("claire-dubois", "agree"),)
        assert not clone.entry(entry.id).conflicts
    assert snapshot(alain) == snapshot(claire) == snapshot(helene)
