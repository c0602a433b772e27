"""The word index answers exactly as scanning every text does, whatever changed before."""

from __future__ import annotations

import tracemalloc
from array import array
from dataclasses import dataclass
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from store import search_index
from store.search import EntryFilter, SearchIndex, select
from store.search_index import EntryWords, WordIndex

# Words with and without accents, in both cases, ligatures and punctuation, that share
# parts, so that a query piece lies inside several of them.
_WORDS = (
    "Développement",
    "développé,",
    "DEVELOPPER",
    "l'été",
    "L’ÉTÉ",
    "Été.",
    "œuvre",
    "OEUVRES",
    "Straße",
    "strasse",
    "co-construction",
    "«",
    "»",
    "à",
    "a",
    "de",
    "des",
    "Dé",
    "—",
)
_ALPHABET = "aeiouAEIOUéèÉÈàçÇœŒßdDsStTrRnN'’«»-—,.;:!? \n"
_texts = st.lists(st.sampled_from(_WORDS), max_size=3).map(" ".join)
_ids = st.sampled_from("ABCD")


@st.composite
def _pieces(draw: st.DrawFn) -> str:
    """One to three pieces of the words, as typed: any case, accents or not."""
    pieces = []
    for word in draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)):
        start = draw(st.integers(0, len(word)))
        piece = word[start : draw(st.integers(start, len(word)))]
        pieces.append(piece.upper() if draw(st.booleans()) else piece)
    return " ".join(pieces)


def _scanned(own: dict[str, str], comments: dict[str, list[str]]) -> SearchIndex:
    """The same texts in an index that never builds the word index: it scans them."""
    index = SearchIndex()
    for entry_id, text in own.items():
        index.set_entry(entry_id, text, "", ())
    for entry_id, bodies in comments.items():
        index.add_comments(entry_id, bodies)
    return SearchIndex.from_texts(*index.texts())


_edit = st.tuples(st.just("entry"), _ids, _texts)
_query = st.tuples(st.just("search"), _ids, _pieces())
# Edits and queries most often: an edit that drops a word, then a query for it.
_operation = st.one_of(
    _edit,
    _query,
    st.tuples(st.just("comment"), _ids, _texts),
    _edit,
    _query,
    st.tuples(st.just("remove"), _ids, st.just("")),
    # Short queries (one or two characters), which the word index may not answer.
    st.tuples(st.just("search"), _ids, st.text(st.sampled_from(_ALPHABET), max_size=2)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_operation, min_size=1, max_size=40),
    st.booleans(),
    st.sampled_from([1, 3, 32]),
    st.sampled_from([0, 1024]),
    st.sampled_from([4, 1 << 16]),
)
def test_the_word_index_answers_as_the_scan_does(
    operations: list[tuple[str, str, str]], among_some: bool, dense: int, budget: int, wide: int
) -> None:
    """Edits (which drop words), comments (before their entry too), removals (after which the
    read model builds the search again, as here), and queries of any length, among some
    entries or all: the answer is the scan's. Whether words keep arrays of entries or bit
    sets (every word an array at 1: none holds more than every entry), and whether a query
    word held by many words is tested on the entries' words instead (always, at 0), and
    whether the words' numbers take four bytes from the fifth word on."""
    with (
        mock.patch.object(search_index, "_DENSE", dense),
        mock.patch.object(search_index, "_LEAST_BUDGET", budget),
        mock.patch.object(search_index, "_TWO_BYTES", wide),
    ):
        _check(operations, among_some)


def _check(operations: list[tuple[str, str, str]], among_some: bool) -> None:
    own: dict[str, str] = {}
    comments: dict[str, list[str]] = {}
    index = SearchIndex()
    for kind, entry_id, text in operations:
        if kind == "entry":
            own[entry_id] = text
            index.set_entry(entry_id, text, "", ())
        elif kind == "comment":
            comments.setdefault(entry_id, []).append(text)
            index.add_comment(entry_id, text)
        elif kind == "remove":
            own.pop(entry_id, None)
            comments.pop(entry_id, None)
            index = SearchIndex()
            for kept_id, kept_text in own.items():
                index.set_entry(kept_id, kept_text, "", ())
            for kept_id, bodies in comments.items():
                index.add_comments(kept_id, bodies)
        else:
            among = list("ABCDZ"[: "ABCD".index(entry_id) + 1]) if among_some else None
            expected = _scanned(own, comments).search(text, among)
            # A kept result would answer without the word index (test_search.py tests them).
            index.forget_results()
            assert index.search(text, among) == expected, (text, among)


def test_a_word_held_by_too_many_words_is_tested_on_the_texts() -> None:
    """Gathering the entries of every word holding "e" would cost more than testing the
    texts the other query word found: the answer is the same."""
    index = SearchIndex()
    for number in range(40):
        index.set_entry(f"E{number}", f"mot{number}e autre{number}e", "", ())
    index.set_entry("X", "développement", "", ())
    index.set_entry("Y", "développé", "", ())
    assert index.search("e developpe") == {"X", "Y"}
    assert index.search("e") == {f"E{number}" for number in range(40)} | {"X", "Y"}
    index.set_entry("Y", "autre chose", "", ())
    index.forget_results()
    assert index.search("developpe e") == {"X"}


def test_the_index_holds_the_words_of_each_entry_not_its_text() -> None:
    """Two hundred entries of the same fifty long words: each holds fifty numbers of two
    bytes, not a text of 750 characters (150 KB in all, the words' numbers 20 KB)."""
    words = " ".join(f"developpement{number:02}" for number in range(50))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = SearchIndex()
        for number in range(200):
            index.set_entry(f"E{number}", words, "", ())
        index.add_comments("E0", ["un commentaire"])
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 80_000, held
    assert index.search("developpement07 commentaire") == {"E0"}
    texts, own_lengths = index.texts()
    assert texts["E0"] == f"{words}\nun commentaire"
    assert own_lengths["E0"] == len(words)


def test_a_common_word_becomes_a_bit_set_and_stays_exact() -> None:
    words = WordIndex(EntryWords(), ())
    for number in range(100):
        words.add_entry(f"E{number}")
        words.add(f"E{number}", ["commun", f"rare{number}"])
    words.remove("E7", ["commun"])
    assert isinstance(words._postings["commun"], int)
    assert isinstance(words._postings["rare3"], array)
    common = words.holding("commun")
    assert common is not None
    assert words.found(common) == {f"E{number}" for number in range(100)} - {"E7"}
    rare = words.holding("rare1")  # rare1, rare10 to rare19
    assert rare is not None
    assert words.found(rare) == {"E1", *(f"E{number}" for number in range(10, 20))}
    assert words.holding("absent") == 0


@dataclass(frozen=True)
class _Row:
    id: str
    created: str
    kind: str = "note"
    status: str = "open"
    objectives: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    deleted: bool = False
    conflicts: bool = False


def test_found_entries_come_by_time_then_id_as_the_entries_change() -> None:
    index = SearchIndex()
    rows = [
        _Row("c", "2005-01-02"),
        _Row("b", "2005-01-01"),
        _Row("a", "2005-01-02"),
        _Row("d", "2005-01-01", deleted=True),
    ]
    for row in rows:
        index.set_entry(row.id, "mot", "", ())
    criteria = EntryFilter(search="mot")
    assert [r.id for r in select(rows, criteria, set, lambda: index)] == ["b", "a", "c"]
    rows[1] = _Row("b", "2005-01-03")
    assert [r.id for r in select(rows, criteria, set, lambda: index)] == ["a", "c", "b"]
    listed = select(rows, EntryFilter(include_deleted=True), set, lambda: index)
    assert [r.id for r in listed] == ["d", "a", "c", "b"]


def test_an_edit_forgets_the_words_it_dropped_common_or_rare() -> None:
    index = SearchIndex()
    for number in range(64):
        index.set_entry(f"E{number}", "commun", f"rare{number}", ())
    assert index.search("commun rare7") == {"E7"}  # builds the word index
    index.set_entry("E7", "autre", "", ())
    index.set_entry("E8", "commun", "", ())
    index.forget_results()
    assert index.search("commun") == {f"E{number}" for number in range(64)} - {"E7"}
    assert index.search("rare7") == set()
    assert index.search("rare8") == set()
    assert index.search("autre") == {"E7"}
