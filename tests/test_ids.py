"""Ids: ULIDs, participant slugs and the short ids people type."""

from __future__ import annotations

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
