"""Ids: ULIDs, participant slugs and the short ids people type."""

from __future__ import annotations

import sys
import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from store.ids import SHORT_ID_MIN, is_slug, is_ulid, new_ulid, short_ids, slugify


def test_ulids_are_valid_unique_and_sorted_in_creation_order() -> None:
    ids = [new_ulid() for _ in range(2000)]
    assert all(is_ulid(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_slugs_are_safe_and_unique() -> None:
    assert slugify("Hélène Côté") == "helene-cote"
    assert slugify("Hélène Côté", taken=["helene-cote"]) == "helene-cote-2"
    assert slugify("../../etc") == "etc"
    assert slugify("!!!") == "participant"
    assert slugify("Lætitia Bœuf") == "laetitia-boeuf"  # letters with no accent to strip
    assert slugify("Søren Łukasz Straße") == "soren-lukasz-strasse"
    assert all(is_slug(slugify(name)) for name in ("Ève", "A" * 80, "x_y z", "---a---"))


@given(st.lists(st.text("0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=6, max_size=10),
                unique=True, max_size=60))  # fmt: skip
def test_short_ids_are_the_shortest_unique_suffixes(ids: list[str]) -> None:
    shorts = short_ids(ids)
    assert set(shorts) == set(ids)
    for full, short in shorts.items():
        assert full.endswith(short) and len(short) >= min(SHORT_ID_MIN, len(full))
        others = [i for i in ids if i != full]
        assert not any(o.endswith(short) for o in others) or short == full
        if len(short) > SHORT_ID_MIN:  # one character less would be ambiguous
            assert any(o.endswith(short[1:]) for o in others)


def test_short_ids_hold_no_string_of_their_own() -> None:
    ids = [new_ulid() for _ in range(5000)]
    tracemalloc.start()
    try:
        shorts = short_ids(ids)
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # One string a short id (53 bytes for four characters) would take more than the ids' dict.
    assert held < len(ids) * sys.getsizeof("ABCD")
    assert shorts[ids[0]] == shorts.get(ids[0]) and ids[0].endswith(shorts[ids[0]])
    assert shorts.get("not an id", "none") == "none" and "not an id" not in shorts
    assert len(shorts) == len(ids) and set(shorts) == set(ids)
