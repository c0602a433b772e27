"""The versions a sync parses once, for the gate and the merge: the same merge as parsing each
time, and nothing a merge does changes them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_merge import BASE_BODY, by, entry

from store.errors import InvalidDocumentError
from store.layout import document_path
from store.merge import Documents, merge_file
from store.model import Document, canonical_bytes, read_document
from store.schema import STATUSES

ENTRY_ID = "01H0000000000000000000000A"
PATH = document_path("entries", ENTRY_ID)
LINES = BASE_BODY.split("\n")
TAGS = ("famille", "quartier", "école", "parentalité")


@st.composite
def edits(draw: st.DrawFn, who: str, day: str) -> Document:
    """A version of the entry as one participant left it: some fields changed, or none."""
    changes: dict[str, object] = {}
    if draw(st.booleans()):
        changes["title"] = draw(st.sampled_from(("Maison des familles", "Maison", "Café")))
    if draw(st.booleans()):
        changes["status"] = draw(st.sampled_from(STATUSES))
    if draw(st.booleans()):
        changes["tags"] = sorted(draw(st.sets(st.sampled_from(TAGS))))
    if draw(st.booleans()):
        lines = list(LINES)
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] = draw(st.sampled_from(("", "Ligne revue.", lines[at] + " (revu)")))
        changes["body"] = "\n".join(lines)
    if draw(st.booleans()):
        changes["deleted"] = True
    return by(who, day, **changes)


@settings(max_examples=150, deadline=None)
@given(ours=edits("alain", "1"), theirs=edits("claire", "2"), added=st.booleans())
def test_parsing_once_merges_as_parsing_each_time(
    ours: Document, theirs: Document, added: bool
) -> None:
    sides = [None if added else canonical_bytes(entry()), canonical_bytes(ours)]
    sides.append(canonical_bytes(theirs))
    base, mine, other = sides
    documents = Documents()
    for data in sides:  # as the gate reads them first
        if data is not None:
            documents.read(PATH, data)
    shared = merge_file(PATH, base, mine, other, documents)
    assert shared == merge_file(PATH, base, mine, other)
    assert shared == merge_file(PATH, base, mine, other, documents)  # the cache is as it was
    for data in sides:
        if data is not None:
            assert documents.read(PATH, data) == read_document("entries", ENTRY_ID, data)


def test_a_damaged_version_is_refused_each_time_it_is_read() -> None:
    documents = Documents()
    for _time in range(2):
        with pytest.raises(InvalidDocumentError):
            documents.read(PATH, b'{"title": ')
