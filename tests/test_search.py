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
