"""The 3-way merge of documents, as pure functions: fields, sets, text, conflicts, tombstones."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from store.layout import document_of
from store.merge import merge_entry, merge_file, merge_text
from store.model import Document, canonical_bytes, validate_entry

BASE_BODY = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.\n"


def entry(**changes: Any) -> Document:
    doc: Document = {
        "kind": "practice",
        "title": "Maison des familles",
        "body": BASE_BODY,
        "objectives": [1],
        "tags": ["parentalité"],
        "status": "open",
        "author": "helene-cote",
        "updated_by": "helene-cote",
        "created": "2005-05-10T08:00:00.000Z",
        "updated": "2005-05-10T08:00:00.000Z",
        "deleted": False,
        "conflicts": [],
    }
    doc.update(changes)
    return validate_entry(doc)


def by(participant: str, time: str, **changes: Any) -> Document:
    return entry(updated_by=participant, updated=f"2005-05-1{time}T09:00:00.000Z", **changes)


def both_ways(base: Document | None, ours: Document, theirs: Document) -> Document:
    """Merge in both directions: the result must not depend on which clone merges."""
    merged, _new = merge_entry(base, ours, theirs)
    swapped, _new = merge_entry(base, theirs, ours)
    assert canonical_bytes(merged) == canonical_bytes(swapped)
    validate_entry(merged)
    return merged


def test_different_fields_are_both_kept() -> None:
    base = entry()
    ours = by("alain", "1", title="Maison des familles de Villeurbanne")
    theirs = by("claire", "2", status="discuss")
    merged = both_ways(base, ours, theirs)
    assert merged["title"] == "Maison des familles de Villeurbanne"
    assert merged["status"] == "discuss"
    assert merged["conflicts"] == []
    assert (merged["updated"], merged["updated_by"]) == (theirs["updated"], "claire")


def test_same_field_later_edit_wins_and_the_other_is_recorded() -> None:
    base = entry()
    ours = by("alain", "2", title="Titre d'Alain")
    theirs = by("claire", "1", title="Titre de Claire")
    merged = both_ways(base, ours, theirs)
    assert merged["title"] == "Titre d'Alain"
    assert merged["conflicts"] == [
        {
            "field": "title",
            "value": "Titre de Claire",
            "author": "claire",
            "updated": theirs["updated"],
            "base": "Maison des familles",
            # Who wrote the value kept: the entry's "changed by" moves on with the next edit.
            "kept_by": "alain",
            "kept": ours["updated"],
        }
    ]


def test_same_time_greater_participant_id_wins() -> None:
    merged = both_ways(
        entry(), by("alain", "1", status="draft"), by("claire", "1", status="adopted")
    )
    assert merged["status"] == "adopted"
    assert merged["conflicts"][0]["value"] == "draft"


def test_same_change_on_both_sides_is_no_conflict() -> None:
    merged = both_ways(
        entry(), by("alain", "1", status="adopted"), by("claire", "2", status="adopted")
    )
    assert merged["status"] == "adopted"
    assert merged["conflicts"] == []


def test_body_edits_in_different_paragraphs_are_both_kept() -> None:
    ours = by("alain", "1", body=BASE_BODY.replace("Premier", "Tout premier"))
    theirs = by("claire", "2", body=BASE_BODY.replace("Troisième", "Ultime"))
    merged = both_ways(entry(), ours, theirs)
    assert merged["body"] == (
        "Tout premier paragraphe.\n\nDeuxième paragraphe.\n\nUltime paragraphe.\n"
    )
    assert merged["conflicts"] == []


def test_body_clash_keeps_both_texts_and_never_markers() -> None:
    ours = by("alain", "1", body=BASE_BODY.replace("Deuxième", "Second (Alain)"))
    theirs = by(
        "claire",
        "2",
        body=BASE_BODY.replace("Deuxième", "Second (Claire)").replace("Premier", "Un"),
    )
    merged = both_ways(entry(), ours, theirs)
    assert "Second (Claire)" in merged["body"] and "Un paragraphe" in merged["body"]
    (conflict,) = merged["conflicts"]
    assert conflict["field"] == "body" and conflict["author"] == "alain"
    # The losing side's text carries its own clashing lines and the change that did not clash.
    assert conflict["value"] == BASE_BODY.replace("Deuxième", "Second (Alain)").replace(
        "Premier", "Un"
    )
    assert "<<<<<<<" not in merged["body"] + conflict["value"]


def test_tags_added_on_both_sides_are_united_and_a_removal_holds() -> None:
    base = entry(tags=["a", "b"])
    ours = by("alain", "1", tags=["a", "b", "c"])
    theirs = by("claire", "2", tags=["a", "d"])  # removed b, added d
    merged = both_ways(base, ours, theirs)
    assert merged["tags"] == ["a", "c", "d"]


def test_objectives_merge_as_a_set() -> None:
    merged = both_ways(
        entry(), by("alain", "1", objectives=[1, 3]), by("claire", "2", objectives=[2])
    )
    assert merged["objectives"] == [2, 3]


def test_edit_beats_delete_and_the_deletion_waits_in_the_conflicts() -> None:
    ours = by("alain", "2", deleted=True)
    theirs = by("claire", "1", title="Corrigé")
    merged = both_ways(entry(), ours, theirs)
    assert merged["deleted"] is False
    assert merged["title"] == "Corrigé"
    assert [c["field"] for c in merged["conflicts"]] == ["deleted"]
    assert merged["conflicts"][0]["author"] == "alain"


def test_delete_against_no_edit_deletes() -> None:
    merged = both_ways(entry(), by("alain", "1", deleted=True), by("claire", "2", tags=["x"]))
    # Tags are an edit too.
    assert merged["deleted"] is False
    merged = both_ways(entry(), by("alain", "1", deleted=True), entry())
    assert merged["deleted"] is True


def test_add_add_merges_against_an_empty_entry() -> None:
    ours = by("alain", "1", title="A", body="texte A", tags=["x"])
    theirs = by("claire", "2", title="B", body="texte B", tags=["y"])
    merged = both_ways(None, ours, theirs)
    assert merged["title"] == "B" and merged["body"] == "texte B"
    assert merged["tags"] == ["x", "y"]
    assert {c["field"] for c in merged["conflicts"]} == {"title", "body"}
    assert all(c["base"] in ("", None) for c in merged["conflicts"])


def test_a_conflict_resolved_on_one_side_stays_resolved() -> None:
    record = {"field": "title", "value": "X", "author": "alain",
              "updated": "2005-05-10T09:00:00.000Z", "base": "Maison des familles"}  # fmt: skip
    base = entry(conflicts=[record])
    ours = by("alain", "1", conflicts=[])  # resolved: kept the current value
    theirs = by("claire", "2", status="adopted", conflicts=[record])
    merged = both_ways(base, ours, theirs)
    assert merged["conflicts"] == []
    assert merged["status"] == "adopted"


def test_merge_file_keeps_the_valid_side_over_a_damaged_one() -> None:
    """A damaged copy beat a valid edit: merge_file kept the damaged side "byte for byte"."""
    path = "entries/A/01H0000000000000000000000A.json"
    base = canonical_bytes(entry())
    ours = canonical_bytes(by("alain", "1", title="Nouveau"))
    damaged = b'{"kind": "practice", "title": '
    for result in (merge_file(path, base, ours, damaged), merge_file(path, base, damaged, ours)):
        assert result.data == ours
        assert result.problem
    both = merge_file(path, base, damaged, damaged + b" ")
    assert both.data == damaged and both.problem


def test_merge_file_modify_beats_delete() -> None:
    path = "comments/A/01H0000000000000000000000A.json"
    assert merge_file(path, b"old", None, b"new").data == b"new"
    assert merge_file(path, b"old", b"new", None).data == b"new"


def test_merge_file_entries_writes_canonical_json() -> None:
    path = "entries/A/01H0000000000000000000000A.json"
    base = canonical_bytes(entry())
    result = merge_file(
        path,
        base,
        canonical_bytes(by("a", "1", title="T1")),
        canonical_bytes(by("b", "2", title="T2")),
    )
    assert result.conflicts == 1
    assert json.loads(result.data)["title"] == "T2"
    assert result.data == canonical_bytes(json.loads(result.data))


def test_review_later_update_wins() -> None:
    path = "reviews/alain/A/01H0000000000000000000000A.json"
    older = {"participant": "alain", "entry": "01H0000000000000000000000A", "read": None,
             "stance": "agree", "updated": "2005-05-10T09:00:00.000Z"}  # fmt: skip
    newer = {**older, "stance": "question", "updated": "2005-05-11T09:00:00.000Z"}
    for ours, theirs in ((older, newer), (newer, older)):
        result = merge_file(path, None, canonical_bytes(ours), canonical_bytes(theirs))
        assert json.loads(result.data)["stance"] == "question"


def test_unknown_files_are_line_merged() -> None:
    result = merge_file("README.md", b"a\nb\nc\n", b"A\nb\nc\n", b"a\nb\nC\n")
    assert result.data == b"A\nb\nC\n"


def test_document_of_checks_ids() -> None:
    assert document_of("entries/A/01H0000000000000000000000A.json") == (
        "entries", "01H0000000000000000000000A")  # fmt: skip
    assert document_of("reviews/alain/A/01H0000000000000000000000A.json") == (
        "reviews", "alain/01H0000000000000000000000A")  # fmt: skip
    assert document_of("participants/alain.json") == ("participants", "alain")
    assert document_of("carnet.json") == ("meta", "")
    assert document_of("entries/../x.json") is None
    assert document_of("entries/notanid.json") is None


lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "\n", "é\n", "d"]), max_size=8)


@settings(max_examples=300, deadline=None)
@given(lines, lines, lines)
def test_merge_text_is_symmetric_and_respects_one_sided_changes(
    base: list[str], ours: list[str], theirs: list[str]
) -> None:
    b, o, t = "".join(base), "".join(ours), "".join(theirs)
    merged = merge_text(b, o, t)
    swapped = merge_text(b, t, o)
    assert (merged.ours, merged.theirs) == (swapped.theirs, swapped.ours)
    assert merge_text(b, b, t).ours == t
    assert merge_text(b, o, b).ours == o
    assert merge_text(b, o, o).ours == o
    if not merged.clean:
        # A clash needs both sides to have changed the text, differently.
        assert b != o and b != t and o != t


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Un.\n", "Deux.\n", "Trois.\n", "Quatre.\n"]), min_size=6, max_size=6
    ),
    st.integers(0, 2),
    st.integers(3, 5),
)
def test_edits_of_separated_lines_both_apply(base: list[str], first: int, second: int) -> None:
    """Two people change lines at least one unchanged line apart: both changes are kept."""
    if second - first < 2:
        second = first + 2
    ours, theirs = list(base), list(base)
    ours[first] = "Alain.\n"
    theirs[second] = "Claire.\n"
    merged = merge_text("".join(base), "".join(ours), "".join(theirs))
    expected = list(base)
    expected[first], expected[second] = "Alain.\n", "Claire.\n"
    assert merged.clean
    assert merged.ours == "".join(expected)


def test_a_merge_that_would_outgrow_the_limit_keeps_one_whole_side() -> None:
    """Two long texts clashing made a merged file over 1 MB, which no reader accepts."""
    path = "entries/A/01H0000000000000000000000A.json"
    base = canonical_bytes(entry(body="début\n"))
    ours = canonical_bytes(by("alain", "1", body="a" * 600_000))
    theirs = canonical_bytes(by("claire", "2", body="b" * 600_000))
    for result in (merge_file(path, base, ours, theirs), merge_file(path, base, theirs, ours)):
        assert result.data == max(ours, theirs)
        assert result.problem
