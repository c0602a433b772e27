"""Search folding: accents, case, ligatures and other scripts, with or without punctuation."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.search import SearchIndex, normalise, terms

_WORDS = re.compile(r"[^\W_]+")
_LETTERS = {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"}


def _reference(text: str) -> list[str]:
    """The words of ``text`` folded the slow, obvious way, one character at a time."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORDS.findall("".join(_LETTERS.get(c, c) for c in kept))


def _words(text: str) -> list[str]:
    return _WORDS.findall(normalise(text))


def test_every_character_folds_as_the_slow_way_does() -> None:
    """The fast paths (ASCII, French letters, punctuation left alone) change no word."""
    for code in range(0x10000):  # one at a time: in a longer text, another could hide a slip
        char = chr(code)
        assert _words(char) == _reference(char), hex(code)
    beyond = "".join(map(chr, range(0x10000, sys.maxunicode + 1)))
    for start in range(0, len(beyond), 4096):
        chunk = " ".join(beyond[start : start + 4096])
        assert _words(chunk) == _reference(chunk), hex(ord(beyond[start]))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.sampled_from(
            "aeiouyAEIOUYéèêëàâäùûüôöîïçÿÉÈÊÀÇÔÎŒœÆæßẞøØłđ'’«» -—_.,;:!?\u00a0\u202f"
            "\u0301\u0300\u0308\u0327αΑάΆσςΣмМйЙёЁ中文ﬁ①ℌİı\U0001d400\U0001f600"
        ),
        max_size=40,
    )
)
def test_mixed_text_folds_as_the_slow_way_does(text: str) -> None:
    assert _words(text) == _reference(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'Évaluation des projets", "l'evaluation des projets"),
        ("Développement SOCIAL", "developpement social"),
        ("« Cœur » et Œuvre", "« coeur » et oeuvre"),
        ("Ex æquo, Æsop", "ex aequo, aesop"),
        ("Straße, STRASSE", "strasse, strasse"),
        ("Αθήνα", "αθηνα"),
        ("Москва, ёлка, йогурт", "москва, елка, иогурт"),
        ("ℌilbert", "hilbert"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_query_words_are_split_on_punctuation_and_folded() -> None:
    assert terms("L’évaluation, des « projets »_2005") == [
        "l",
        "evaluation",
        "des",
        "projets",
        "2005",
    ]
    assert terms(" ,;— ") == []


def _index() -> SearchIndex:
    index = SearchIndex()
    index.set_entry(
        "A", "Le développement social local", "Sur l’évaluation des projets.", ["réseau"]
    )
    index.add_comment("A", "Utile pour un partenaire québécois.")
    index.set_entry("B", "Straße", "Αθήνα et Москва, cœur", [])
    index.set_entry("C", "Autre chose", "Rien à voir.", [])
    return index


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("developpement", {"A"}),
        ("DÉVELOPPEMENT", {"A"}),
        ("evaluation des projets", {"A"}),
        ("l'evaluation", {"A"}),
        ("l’évaluation", {"A"}),
        ("reseau quebecois", {"A"}),  # the second word is in a comment only
        ("dével dév", {"A"}),
        ("developpement inexistant", set()),
        ("strasse", {"B"}),
        ("STRAẞE", {"B"}),
        ("coeur", {"B"}),
        ("αθηνα", {"B"}),
        ("ΑΘΉΝΑ", {"B"}),
        ("москва", {"B"}),
        ("a", {"A", "B", "C"}),
        ("", {"A", "B", "C"}),
        ("— ; —", {"A", "B", "C"}),
    ],
)
def test_search(query: str, found: set[str]) -> None:
    assert _index().search(query) == found


def test_search_among_given_entries_only() -> None:
    assert _index().search("e", ["B", "C", "Z"]) == {"B", "C"}


def test_editing_an_entry_keeps_its_comments_and_forgets_its_old_text() -> None:
    index = _index()
    index.add_comments("A", ["Deuxième commentaire", "Troisième"])
    index.set_entry("A", "Titre neuf", "", [])
    assert index.search("developpement") == set()
    assert index.search("titre") == {"A"}
    assert index.search("quebecois deuxieme troisieme") == {"A"}
    index.set_entry("A", "Encore", "", [])
    assert index.search("titre") == set()
    assert index.search("encore quebecois") == {"A"}


def test_comments_of_an_unknown_entry_are_found_once_it_arrives() -> None:
    """A merge may bring a comment before its entry; only entries are results."""
    index = SearchIndex()
    index.add_comment("A", "Réponse")
    assert index.search("reponse") == set()
    index.set_entry("A", "Titre", "", [])
    assert index.search("reponse titre") == {"A"}


def test_a_kept_result_follows_every_change() -> None:
    """A query asked again after an edit or a comment answers for the entry as it is now."""
    index = _index()
    assert index.search("developpement social") == {"A"}
    assert index.search("chose") == {"C"}
    index.set_entry("C", "Développement", "social", [])
    index.set_entry("A", "Autre chose", "", [])
    assert index.search("developpement social") == {"C"}
    assert index.search("chose") == {"A"}
    index.add_comment("B", "Le développement social, enfin")
    assert index.search("developpement social") == {"B", "C"}
    index.set_entry("D", "Développement", "", ["social"])
    assert index.search("developpement social") == {"B", "C", "D"}
    assert index.search("social developpement", ["A", "B", "Z"]) == {"B"}


def test_a_query_that_extends_a_kept_one_is_still_exact() -> None:
    index = _index()
    index.set_entry("D", "Développer", "", [])
    assert index.search("dev") == {"A", "D"}
    assert index.search("develop") == {"A", "D"}
    assert index.search("developpe") == {"A", "D"}
    assert index.search("developpem") == {"A"}
    assert index.search("velo") == {"A", "D"}  # inside a kept word: its entries, no scan
    assert index.search("developpement loc") == {"A"}
    assert index.search("developpement local") == {"A"}
    assert index.search("developpement locale") == set()
    fresh = _index()
    fresh.set_entry("D", "Développer", "", [])
    assert fresh.search("developpem") == {"A"}
    assert fresh.search("developpe") == {"A", "D"}  # not only those of the longer word


# French-ish text: accents, capitals, apostrophes and punctuation, words that share parts.
_FRENCH_WORDS = (
    "Développement",
    "développer",
    "social",
    "SOCIALE",
    "l'évaluation",
    "L’Évaluation",
    "des",
    "projets",
    "co-construction",
    "Québécoises",
    "parentalité",
    "cœur",
    "outils",
    "concrets",
    "de",
    "concertation",
    "à",
    "Straße",
    "«",
    "»,",
    "—",
    "n°2005",
)
_texts = st.lists(st.sampled_from(_FRENCH_WORDS), max_size=8).map(" ".join)
_ids = st.sampled_from("ABCDE")


@st.composite
def _queries(draw: st.DrawFn, words: list[str]) -> str:
    """Pieces of ``words`` (whole or not), in any case, with or without their accents."""
    parts = []
    for word in draw(st.lists(st.sampled_from(words), min_size=1, max_size=3)):
        start = draw(st.integers(0, len(word)))
        end = draw(st.integers(start, len(word)))
        piece = word[start:end]
        if draw(st.booleans()):
            piece = normalise(piece)
        parts.append(piece.upper() if draw(st.booleans()) else piece)
    return " ".join(parts)


@st.composite
def _operations(draw: st.DrawFn) -> list[tuple]:  # type: ignore[type-arg]
    """Edits, comments and queries; a few queries only, asked again and again, as people do."""
    # Queries made of the same few words, so that one often lies inside another, as while
    # typing: that is when a kept result may answer another query.
    words = draw(st.lists(st.sampled_from(_FRENCH_WORDS), min_size=1, max_size=3))
    pool = draw(st.lists(_queries(words), min_size=1, max_size=3))
    typed = pool[0]
    pool += [typed[:end] for end in draw(st.lists(st.integers(1, len(typed) + 1), max_size=3))]
    among = st.none() | st.lists(st.sampled_from("ABCDEZ"))
    operation = st.one_of(
        st.tuples(st.just("entry"), _ids, _texts, _texts, st.lists(_texts, max_size=2)),
        st.tuples(st.just("comment"), _ids, _texts),
        st.tuples(st.just("search"), st.sampled_from(pool), among),
        st.tuples(st.just("search"), st.sampled_from(pool), st.none()),
    )
    entries = st.tuples(st.just("entry"), _ids, _texts, _texts, st.lists(_texts, max_size=2))
    return draw(st.lists(entries, min_size=2, max_size=5)) + draw(
        st.lists(operation, min_size=5, max_size=30)
    )


def _slow_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold()
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(_LETTERS.get(c, c) for c in kept)


@settings(max_examples=200, deadline=None)
@given(_operations())
def test_search_finds_what_the_plain_definition_finds(operations: list[tuple]) -> None:  # type: ignore[type-arg]
    """Whatever came before (edits, comments, earlier queries), the answer is the definition:
    an entry is found when each query word lies inside one folded word of its text, its tags
    or one of its comments."""
    index = SearchIndex()
    own: dict[str, str] = {}
    comments: dict[str, list[str]] = {}
    for operation in operations:
        if operation[0] == "entry":
            _, entry_id, title, body, tags = operation
            index.set_entry(entry_id, title, body, tags)
            own[entry_id] = " ".join((title, body, *tags))
        elif operation[0] == "comment":
            _, entry_id, body = operation
            index.add_comment(entry_id, body)
            comments.setdefault(entry_id, []).append(body)
        else:
            _, query, among = operation
            words = _WORDS.findall(_slow_fold(query))
            candidates = set(own if among is None else among)
            expected = {
                entry_id
                for entry_id in candidates
                if entry_id in own
                and all(
                    any(
                        word in found
                        for text in (own[entry_id], *comments.get(entry_id, ()))
                        for found in _WORDS.findall(_slow_fold(text))
                    )
                    for word in words
                )
            }
            if not words:
                expected = candidates
            assert index.search(query, among) == expected, query


def test_forgetting_the_kept_results_changes_no_answer() -> None:
    index = SearchIndex()
    index.set_entry("a", "Développement social", "local", ())
    index.set_entry("b", "Évaluation", "des projets", ())
    assert index.search("develop") == {"a"}
    index.forget_results()
    index.set_entry("b", "Évaluation", "développement des projets", ())
    assert index.search("develop") == {"a", "b"}
