"""Document ids: ULIDs generated offline, participant slugs, and the short ids people type."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ULID_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
SHORT_ID_MIN = 4

_last_time_ms = 0
_last_random = 0


def new_ulid() -> str:
    """Return a new ULID: 48 bits of milliseconds then 80 random bits, in Crockford base 32.

    Within one millisecond the random part is incremented, so ids made by one process sort in
    the order they were made (entries listed "by creation" stay stable).
    """
    global _last_time_ms, _last_random
    now_ms = time.time_ns() // 1_000_000
    if now_ms <= _last_time_ms:
        now_ms = _last_time_ms
        _last_random = (_last_random + 1) % (1 << 80)
    else:
        _last_random = int.from_bytes(os.urandom(10), "big")
    _last_time_ms = now_ms
    value = (now_ms << 80) | _last_random
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def is_ulid(value: object) -> bool:
    """Tell whether ``value`` is a well-formed ULID (and so safe to use as a file name)."""
    return isinstance(value, str) and ULID_PATTERN.match(value) is not None


def is_slug(value: object) -> bool:
    """Tell whether ``value`` is a participant id: lower-case letters, digits and hyphens."""
    return isinstance(value, str) and SLUG_PATTERN.match(value) is not None


# Letters that Unicode does not decompose into a base letter and an accent: without this,
# "Lætitia Bœuf" would lose them and become "ltitia-buf".
_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d",
     "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


def slugify(text: str, taken: Iterable[str] = ()) -> str:
    """Make a participant id from a name, unique in ``taken``: "Hélène Côté" → "helene-cote",
    "Lætitia Bœuf" → "laetitia-boeuf"."""
    spelled = unicodedata.normalize("NFKD", text.translate(_SPELLED_OUT))
    ascii_text = spelled.encode("ascii", "ignore").decode()
    base = (
        re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:32].strip("-") or "participant"
    )
    taken_set = set(taken)
    slug, n = base, 2
    while slug in taken_set:
        slug, n = f"{base}-{n}", n + 1
    return slug


class ShortIds(Mapping[str, str]):
    """Each id's short id (``short_ids``), held as the length of its suffix: the suffix is cut
    from the id when asked for.

    At 30,000 entries the 180,000 entries and comments each held their short id as a string
    of its own (14 MB); here an id costs its place in one dict, its key the id already held
    and its value a small int, which Python shares.
    """

    __slots__ = ("_lengths",)

    def __init__(self, lengths: dict[str, int]) -> None:
        self._lengths = lengths

    def __getitem__(self, full_id: str) -> str:
        return full_id[-self._lengths[full_id] :]

    def __contains__(self, full_id: object) -> bool:
        return full_id in self._lengths

    def __iter__(self) -> Iterator[str]:
        return iter(self._lengths)

    def __len__(self) -> int:
        return len(self._lengths)


def short_ids(ids: Iterable[str]) -> ShortIds:
    """Map each id to its shortest unique suffix, at least ``SHORT_ID_MIN`` characters.

    Suffixes rather than prefixes: a ULID starts with its time, so entries written the same day
    share long prefixes but differ at once at the end. An id whose suffix of some length is
    unique keeps it; only the ids that still collide are looked at with one more character
    (if no other id ends like A, none ends like any longer ending of A either). Only ids with
    the same last character can share a suffix: they are counted a group at a time, so that
    the suffixes counted at once are those of one group, not of every id (20 MB at 30,000
    entries, left behind as scattered free memory the process kept).
    """
    lengths: dict[str, int] = {}
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(i[-1:], []).append(i)
    for pending in groups.values():
        length = SHORT_ID_MIN
        while pending:
            counts = Counter(i[-length:] for i in pending)
            colliding = []
            for i in pending:
                if counts[i[-length:]] == 1 or length >= len(i):
                    lengths[i] = length
                else:
                    colliding.append(i)
            pending, length = colliding, length + 1
    return ShortIds(lengths)
