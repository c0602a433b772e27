"""Meetings: an agenda of entries, minutes, the statuses agreed, synced and merged like entries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from clitools import carnet
from hypothesis import given, settings
from hypothesis import strategies as st
from synctools import git, shared_notebook, snapshot
from test_ownership import edit_json, push_as_claire

from store import Notebook
from store.errors import InvalidInputError, NotFoundError
from store.gate import FORGED
from store.ids import new_ulid
from store.layout import document_path
from store.merge import merge_meeting
from store.model import AgendaItem, Document, Meeting, canonical_bytes, read_document
from store.sync import sync

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


def _meeting_files(notebook: Notebook) -> dict[str, bytes]:
    return {
        path.relative_to(notebook.root).as_posix(): path.read_bytes()
        for path in sorted((notebook.root / "meetings").rglob("*.json"))
    }


def _commits(notebook: Notebook) -> int:
    return int(git(notebook.root, "rev-list", "--count", "HEAD"))


# --- one notebook ------------------------------------------------------------------------------


def test_a_new_meeting_is_a_document_of_its_own(notebook: Notebook) -> None:
    meeting = notebook.new_meeting("2005-06-02", "  Réunion de mi-parcours ", "Montréal")
    path = notebook.root / document_path("meetings", meeting.id)
    assert path.parent.name == meeting.id[-1]
    doc = read_document("meetings", meeting.id, path.read_bytes())
    assert (doc["title"], doc["day"], doc["place"]) == ("Réunion de mi-parcours", "2005-06-02",
                                                        "Montréal")  # fmt: skip
    assert doc["author"] == doc["updated_by"] == notebook.me
    assert doc["closed"] is None and doc["agenda"] == [] and doc["conflicts"] == []
    reopened = Notebook(notebook.root)
    assert reopened.meeting(meeting.id[-4:]) == meeting
    assert git(notebook.root, "status", "--porcelain") == ""


def test_meetings_are_listed_newest_day_first(notebook: Notebook) -> None:
    early = notebook.new_meeting("2005-05-10", "Lancement")
    late = notebook.new_meeting("2005-06-20", "Bilan")
    middle = notebook.new_meeting("2005-06-01", "Mi-parcours")
    assert [m.id for m in notebook.meetings()] == [late.id, middle.id, early.id]


@pytest.mark.parametrize("day", ["2005-13-01", "demain", "2005-6-1", ""])
def test_an_invalid_day_is_refused_and_changes_nothing(notebook: Notebook, day: str) -> None:
    before = _commits(notebook)
    with pytest.raises(InvalidInputError) as refused:
        notebook.new_meeting(day, "Réunion")
    assert "\n" not in str(refused.value)
    assert _commits(notebook) == before and notebook.meetings() == []


def test_a_past_day_is_accepted_for_a_meeting_recorded_after_it(notebook: Notebook) -> None:
    assert notebook.new_meeting("1999-01-01", "Réunion de 1999").day == "1999-01-01"


def test_an_unknown_meeting_is_not_found(notebook: Notebook) -> None:
    with pytest.raises(NotFoundError):
        notebook.meeting("ZZZZ")


def test_prepare_agenda_takes_the_entries_to_discuss_and_the_open_decisions(
    notebook: Notebook,
) -> None:
    discuss = notebook.add_entry("proposal", "Jumelage", status="discuss")
    notebook.add_entry("practice", "Maison des familles")  # open, no decision: not on it
    decided = notebook.add_entry("proposal", "Fiche commune")
    notebook.open_decision(decided.id, TOMORROW, "Retenir la fiche ?")
    meeting = notebook.new_meeting("2005-06-02", "Réunion")
    prepared = notebook.prepare_agenda(meeting.id)
    assert [item.entry for item in prepared.agenda] == [discuss.id, decided.id]
    # Preparing again adds nothing twice, and keeps what was written.
    notebook.note_minutes(meeting.id, discuss.id, "On en parle.")
    again = notebook.prepare_agenda(meeting.id)
    assert again.agenda == (AgendaItem(discuss.id, "On en parle."), AgendaItem(decided.id))


def test_set_agenda_reorders_and_keeps_the_minutes_of_kept_items(notebook: Notebook) -> None:
    one, two, three = (notebook.add_entry("proposal", t) for t in ("Un", "Deux", "Trois"))
    meeting = notebook.new_meeting("2005-06-02", "Réunion")
    notebook.set_agenda(meeting.id, [one.id, two.id])
    notebook.note_minutes(meeting.id, two.id, "Noté.")
    changed = notebook.set_agenda(meeting.id, [three.id[-5:], two.id])
    assert changed.agenda == (AgendaItem(three.id), AgendaItem(two.id, "Noté."))


def test_bad_agenda_input_is_refused_and_changes_nothing(notebook: Notebook) -> None:
    entry = notebook.add_entry("proposal", "Jumelage")
    other = notebook.add_entry("proposal", "Hors sujet")
    meeting = notebook.new_meeting("2005-06-02", "Réunion")
    notebook.set_agenda(meeting.id, [entry.id])
    before = _commits(notebook)
    for refused in (
        lambda: notebook.set_agenda(meeting.id, ["ZZZZZZ"]),
        lambda: notebook.set_agenda(meeting.id, [entry.id, entry.id]),
        lambda: notebook.note_minutes(meeting.id, other.id, "Pas à l'ordre du jour"),
        lambda: notebook.note_minutes(meeting.id, "ZZZZZZ", "Inconnue"),
        lambda: notebook.agree(meeting.id, entry.id, "peut-être"),
        lambda: notebook.set_attendees(meeting.id, ["personne"]),
    ):
        with pytest.raises(InvalidInputError) as error:
            refused()
        assert "\n" not in str(error.value)
    assert _commits(notebook) == before
    assert notebook.meeting(meeting.id).agenda == (AgendaItem(entry.id),)


def test_closing_applies_the_statuses_agreed_and_closes_the_decisions(
    notebook: Notebook,
) -> None:
    adopted = notebook.add_entry("proposal", "Jumelage", status="discuss")
    notebook.open_decision(adopted.id, TOMORROW, "Retenir le jumelage ?")
    notebook.set_stance(adopted.id, "agree")
    untouched = notebook.add_entry("proposal", "Fiche", status="discuss")
    meeting = notebook.new_meeting("2005-06-02", "Réunion", "Québec")
    notebook.prepare_agenda(meeting.id)
    notebook.set_attendees(meeting.id, [notebook.me or ""])
    notebook.note_minutes(meeting.id, adopted.id, "Adopté à l'unanimité.")
    notebook.agree(meeting.id, adopted.id, "adopted")
    before = _commits(notebook)

    closed = notebook.close_meeting(meeting.id)

    assert _commits(notebook) == before + 1  # one action, one commit
    assert closed.is_closed and closed.closed_by == notebook.me
    entry = notebook.entry(adopted.id)
    assert entry.status == "adopted"
    assert entry.decision is not None and entry.decision.is_closed
    assert entry.decision.outcome == "Adopté à l'unanimité."
    assert entry.decision.status == "adopted"
    assert dict(entry.decision.result) == {notebook.me: "agree"}
    assert notebook.entry(untouched.id).status == "discuss"
    assert Notebook(notebook.root).meeting(meeting.id) == closed
    with pytest.raises(InvalidInputError):
        notebook.close_meeting(meeting.id)
    with pytest.raises(InvalidInputError):
        notebook.note_minutes(meeting.id, adopted.id, "Trop tard")
    assert _commits(notebook) == before + 1


# --- the merge ---------------------------------------------------------------------------------

ENTRY_A, ENTRY_B, ENTRY_C = (f"01J00000000000000000000{c}0A" for c in "ABC")
T0, T1, T2 = (f"2005-06-0{d}T10:00:00.000Z" for d in (1, 2, 3))


def _doc(agenda: list[Document], **more: object) -> Document:
    doc: Document = {
        "title": "Réunion", "day": "2005-06-02", "place": "", "attendees": [],
        "agenda": agenda, "closed": None, "closed_by": None, "author": "alain",
        "created": T0, "updated_by": "alain", "updated": T0, "deleted": False, "conflicts": [],
    }  # fmt: skip
    doc.update(more)
    return doc


def _item(entry: str, minutes: str = "", status: str | None = None) -> Document:
    return {"entry": entry, "minutes": minutes, "status": status}


def _both_ways(base: Document, ours: Document, theirs: Document) -> tuple[Document, list[Document]]:
    one, new = merge_meeting(base, ours, theirs)
    other, _new = merge_meeting(base, theirs, ours)
    assert canonical_bytes(one) == canonical_bytes(other), "every clone merges alike"
    read_document("meetings", ENTRY_A, canonical_bytes(one))
    return one, new


def test_minutes_of_the_same_item_line_merge_and_a_clash_is_kept() -> None:
    base = _doc([_item(ENTRY_A, "Ouverture.\n\nSuite.")])
    ours = _doc([_item(ENTRY_A, "Ouverture, par Alain.\n\nSuite.")], updated=T1)
    theirs = _doc([_item(ENTRY_A, "Ouverture.\n\nSuite, par Claire.")], updated=T2,
                  updated_by="claire")  # fmt: skip
    merged, new = _both_ways(base, ours, theirs)
    assert merged["agenda"] == [_item(ENTRY_A, "Ouverture, par Alain.\n\nSuite, par Claire.")]
    assert new == []

    clash = _doc([_item(ENTRY_A, "Claire a tout noté.")], updated=T2, updated_by="claire")
    mine = _doc([_item(ENTRY_A, "Alain a tout noté.")], updated=T1)
    merged, new = _both_ways(base, mine, clash)
    assert merged["agenda"] == [_item(ENTRY_A, "Claire a tout noté.")]  # the later one
    assert [(r["field"], r["value"], r["author"]) for r in merged["conflicts"]] == [
        (f"minutes/{ENTRY_A}", "Alain a tout noté.", "alain")
    ]
    assert len(new) == 1


def test_items_added_on_either_side_stay_and_one_order_wins() -> None:
    base = _doc([_item(ENTRY_A), _item(ENTRY_B)])
    ours = _doc([_item(ENTRY_B), _item(ENTRY_A)], updated=T1)  # reordered
    theirs = _doc([_item(ENTRY_A), _item(ENTRY_B), _item(ENTRY_C, "Ajouté")], updated=T2,
                  updated_by="claire")  # fmt: skip
    merged, _new = _both_ways(base, ours, theirs)
    # Only Alain reordered: his order, and Claire's added item after it.
    assert [i["entry"] for i in merged["agenda"]] == [ENTRY_B, ENTRY_A, ENTRY_C]

    both = _doc([_item(ENTRY_B), _item(ENTRY_C), _item(ENTRY_A)], updated=T2,
                updated_by="claire")  # fmt: skip
    also = _doc([_item(ENTRY_C), _item(ENTRY_A), _item(ENTRY_B)], updated=T1)
    merged, _new = _both_ways(_doc([_item(ENTRY_A), _item(ENTRY_B), _item(ENTRY_C)]), also, both)
    assert [i["entry"] for i in merged["agenda"]] == [ENTRY_B, ENTRY_C, ENTRY_A]  # the later


def test_an_item_removed_on_one_side_and_written_on_the_other_stays() -> None:
    base = _doc([_item(ENTRY_A), _item(ENTRY_B)])
    removed = _doc([_item(ENTRY_A)], updated=T2, updated_by="claire")
    written = _doc([_item(ENTRY_A), _item(ENTRY_B, "Des notes")], updated=T1)
    merged, _new = _both_ways(base, removed, written)
    assert merged["agenda"] == [_item(ENTRY_A), _item(ENTRY_B, "Des notes")]
    untouched = _doc([_item(ENTRY_A), _item(ENTRY_B)], title="Autre titre", updated=T1)
    merged, _new = _both_ways(base, removed, untouched)
    assert merged["agenda"] == [_item(ENTRY_A)]
    assert merged["title"] == "Autre titre"


def test_two_statuses_agreed_differently_keep_the_other_as_a_conflict() -> None:
    base = _doc([_item(ENTRY_A)])
    ours = _doc([_item(ENTRY_A, status="adopted")], updated=T1)
    theirs = _doc([_item(ENTRY_A, status="archived")], updated=T2, updated_by="claire")
    merged, _new = _both_ways(base, ours, theirs)
    assert merged["agenda"] == [_item(ENTRY_A, status="archived")]
    assert [(r["field"], r["value"]) for r in merged["conflicts"]] == [
        (f"status/{ENTRY_A}", "adopted")
    ]
    assert Meeting.from_doc(ENTRY_A, merged).conflicts[0].author == "alain"


_ENTRIES = [f"01J00000000000000000000{c}0A" for c in "ABCDE"]
_agendas = st.lists(
    st.tuples(
        st.sampled_from(_ENTRIES),
        st.sampled_from(["", "Noté.", "Accord.\n\nSuite.", "Reporté."]),
        st.sampled_from([None, "adopted", "archived"]),
    ),
    max_size=5,
    unique_by=lambda item: item[0],
).map(lambda items: [_item(*item) for item in items])


@settings(max_examples=200, deadline=None)
@given(base=_agendas, ours=_agendas, theirs=_agendas)
def test_any_two_agendas_merge_alike_on_every_clone_and_lose_no_minutes(
    base: list[Document], ours: list[Document], theirs: list[Document]
) -> None:
    merged, _new = _both_ways(
        _doc(base), _doc(ours, updated=T1), _doc(theirs, updated=T2, updated_by="claire")
    )
    kept = {item["entry"]: item for item in merged["agenda"]}
    kept_texts = {item["minutes"] for item in merged["agenda"]}
    kept_texts |= {r["value"] for r in merged["conflicts"] if r["field"].startswith("minutes/")}
    olds = {item["entry"]: item for item in base}
    for side in (ours, theirs):
        for item in side:
            old = olds.get(item["entry"], _item(item["entry"]))
            if item != old:  # this side wrote it
                assert item["entry"] in kept
            if item["minutes"] != old["minutes"]:
                assert any(item["minutes"] in text for text in kept_texts)


# --- several clones ----------------------------------------------------------------------------


def test_two_clones_taking_minutes_offline_lose_nothing(tmp_path: Path) -> None:
    """From the agenda to the closing, with a third participant who only syncs: all three
    clones end with the same meeting and the same entries."""
    alain, claire, helene = shared_notebook(tmp_path, 3)
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier", status="discuss")
    other = alain.add_entry("proposal", "Fiche commune", status="discuss")
    meeting = alain.new_meeting("2005-06-02", "Réunion de mi-parcours", "Montréal")
    alain.prepare_agenda(meeting.id)
    sync(alain)
    sync(claire)
    # Both take minutes offline, of the same item and of the other one.
    alain.note_minutes(meeting.id, entry.id, "Alain : accord de principe.\n")
    claire.note_minutes(meeting.id, entry.id, "Claire : demander le budget.\n")
    claire.note_minutes(meeting.id, other.id, "Reporté.")
    claire.agree(meeting.id, other.id, "archived")
    alain.set_attendees(meeting.id, [alain.me or "", claire.me or ""])
    for clone in (alain, claire, alain):
        assert sync(clone).refused == ()

    assert _meeting_files(alain) == _meeting_files(claire)
    merged = alain.meeting(meeting.id)
    assert set(merged.attendees) == {"alain-martin", "claire-dubois"}
    item = merged.item(entry.id)
    assert item is not None
    kept = {item.minutes, *(c.value for c in merged.conflicts)}
    assert kept == {"Alain : accord de principe.\n", "Claire : demander le budget.\n"}
    assert merged.item(other.id) == AgendaItem(other.id, "Reporté.", "archived")

    claire.close_meeting(meeting.id)
    for clone in (claire, alain, helene):
        assert sync(clone).refused == ()
    for clone in (alain, claire, helene):
        assert clone.meeting(meeting.id).is_closed
        assert clone.entry(other.id).status == "archived"
        assert _meeting_files(clone) == _meeting_files(alain)
        assert snapshot(clone) == snapshot(alain)


# --- the gate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forgery",
    [
        {"author": "claire-dubois"},
        {"created": "2001-01-01T00:00:00.000Z"},
        {"updated_by": "alain-martin", "title": "Réunion annulée"},
    ],
    ids=["author", "created", "updated_by"],
)
def test_a_meeting_forged_with_plain_git_is_refused(
    tmp_path: Path, forgery: dict[str, object]
) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    meeting = alain.new_meeting("2005-06-02", "Réunion de mi-parcours")
    for clone in (alain, claire, helene):
        sync(clone)
    path = document_path("meetings", meeting.id)
    edit_json(claire.root, path, **{"updated_by": "claire-dubois", **forgery})
    push_as_claire(claire)

    report = sync(helene)
    assert {(r.path, r.reason, r.email) for r in report.refused} == {
        (path, FORGED, "claire@example.org")
    }
    assert helene.meeting(meeting.id) == meeting
    assert sync(alain).refused == ()  # Hélène's repair is what he receives
    assert alain.meeting(meeting.id) == meeting


def test_a_new_meeting_in_someone_elses_name_is_refused(tmp_path: Path) -> None:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    path = document_path("meetings", new_ulid())
    edit_json(claire.root, path, **_doc([], author="alain-martin", updated_by="alain-martin"))
    push_as_claire(claire)

    report = sync(helene)
    assert {(r.path, r.reason) for r in report.refused} == {(path, FORGED)}
    assert helene.meetings() == []


def _meeting_claire_has(tmp_path: Path) -> tuple[Notebook, Notebook, Meeting, str]:
    """Alain's meeting, synced to Claire's clone, and the path of its file."""
    alain, claire = shared_notebook(tmp_path, 2)
    meeting = alain.new_meeting("2005-06-02", "Réunion")
    sync(alain)
    sync(claire)
    return alain, claire, meeting, document_path("meetings", meeting.id)


def test_a_meeting_edited_in_ones_own_name_is_accepted(tmp_path: Path) -> None:
    alain, claire, meeting, path = _meeting_claire_has(tmp_path)
    edit_json(claire.root, path, place="Québec", updated_by="claire-dubois",
               updated="2005-06-03T10:00:00.000Z")  # fmt: skip
    push_as_claire(claire)
    assert sync(alain).refused == ()
    assert alain.meeting(meeting.id).place == "Québec"


# --- the command line --------------------------------------------------------------------------


def _run(folder: Path, *args: str) -> str:
    done = carnet(*args, cwd=folder)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_meeting_from_the_command_line(notebook: Notebook) -> None:
    folder = notebook.root
    entry = _run(folder, "add", "--kind", "proposal", "--title", "Jumelage").strip()
    _run(folder, "edit", entry, "--status", "discuss")
    meeting = _run(folder, "meeting", "new", "--date", "2005-06-02", "--title", "Mi-parcours",
                   "--place", "Montréal").strip()  # fmt: skip
    assert "Jumelage" in _run(folder, "meeting", "agenda", meeting[-4:], "--prepare")
    _run(folder, "meeting", "note", meeting, "--entry", entry[-4:], "--text", "Accord.",
         "--status", "retenu")  # French words name the status, as for entries  # fmt: skip
    shown = json.loads(_run(folder, "meeting", "show", meeting, "--json"))
    assert shown["id"] == meeting
    full = Notebook(folder).resolve_id(entry)  # `carnet add` prints the short id
    assert shown["agenda"] == [{"entry": full, "minutes": "Accord.", "status": "adopted"}]
    assert "Accord." in _run(folder, "meeting", "show", meeting)
    _run(folder, "meeting", "close", meeting)
    assert json.loads(_run(folder, "show", entry, "--json"))["status"] == "adopted"
    listed = json.loads(_run(folder, "meetings", "--json"))
    assert [(m["id"], m["closed"] is not None) for m in listed] == [(meeting, True)]


def test_bad_input_on_the_command_line_is_one_line_and_changes_nothing(
    notebook: Notebook,
) -> None:
    folder = notebook.root
    entry = _run(folder, "add", "--kind", "proposal", "--title", "Jumelage").strip()
    other = _run(folder, "add", "--kind", "proposal", "--title", "Hors sujet").strip()
    meeting = _run(folder, "meeting", "new", "--date", "2005-06-02", "--title", "R").strip()
    _run(folder, "meeting", "agenda", meeting, "--entries", entry)
    before = _commits(notebook)
    for args in (
        ("meeting", "new", "--date", "2005-02-30", "--title", "Réunion"),
        ("meeting", "note", meeting, "--entry", other, "--text", "Pas à l'ordre du jour"),
        ("meeting", "note", meeting, "--entry", entry, "--status", "peut-être"),
        ("meeting", "agenda", meeting, "--entries", f"{entry},ZZZZZZ"),
        ("meeting", "show", "ZZZZZZ"),
    ):
        done = carnet(*args, cwd=folder)
        assert done.returncode == 1, args
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    _run(folder, "meeting", "close", meeting)
    done = carnet("meeting", "close", meeting, cwd=folder)
    assert done.returncode == 1 and "clôturée" in done.stderr
    assert _commits(notebook) == before + 1


def test_a_damaged_meeting_never_replaces_a_valid_one(tmp_path: Path) -> None:
    alain, claire, meeting, path = _meeting_claire_has(tmp_path)
    edit_json(claire.root, path, agenda="pas une liste", updated_by="claire-dubois")
    push_as_claire(claire)
    report = sync(alain)
    assert [r.path for r in report.refused] == [path]
    assert alain.meeting(meeting.id) == meeting
