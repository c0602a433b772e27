"""Which entries hold each folded word: what lets a query skip most of the notebook's text.

The search (``store.search``) matches a query word as a substring of a folded word of an
entry's text. The notebook's distinct words are few beside its text (a few hundred to a few
hundred thousand, against 150 distinct words in every one of 30,000 entries), so a query
word is looked for among them, once each, and the entries of every word holding it are
gathered: a query costs the vocabulary, not the text.

An entry is a slot, a bit position. A word found in many entries keeps them as an integer
used as a bit set (one bit per slot: OR and AND run in C over a few kilobytes); a rare word
as an array of slots (four bytes each), which a bit set would make cost a bit per entry of
the notebook. So the index takes at most about four bytes per distinct word of each entry.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Mapping
from itertools import chain, compress, repeat

# A word held by more than one entry in this many has a bit set: there it is smaller than
# the array of four-byte slots.
_DENSE = 32
# Gathering the entries of the words that hold a query word costs at most this many slots,
# or one per entry if more: past that, testing every text costs less.
_LEAST_BUDGET = 1024
# The binary digits of a bit set (lowest slot first) as bytes 0 and 1, and back.
_FLAGS = bytes.maketrans(b"01", b"\x00\x01")
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")

Postings = int | array  # type: ignore[type-arg]


class WordIndex:
    """The entries of each distinct word (split at spaces) of the texts it was given.

    It answers for a query word with the entries one of whose words holds it (``holding``),
    exactly what a substring test of their texts would answer; the caller keeps it current
    with ``add`` and ``remove`` as texts change.
    """

    def __init__(self, texts: Mapping[str, str], entries: Iterable[str]) -> None:
        """Index ``texts`` (folded, by id); only the ids among ``entries`` are ever found
        (a text may come before its entry: comments merged first)."""
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []
        # Gathered as arrays, not lists: half the memory while building (18 MB at 30,000
        # entries, where the index then takes 3 MB), for a third more time.
        gathered: dict[str, array[int]] = {}
        for slot, (entry_id, text) in enumerate(texts.items()):
            self._slot[entry_id] = slot
            self._ids.append(entry_id)
            for word in set(text.split()):
                slots = gathered.get(word)
                if slots is None:
                    gathered[word] = array("I", (slot,))
                else:
                    slots.append(slot)
        threshold = len(self._ids) // _DENSE
        self._postings: dict[str, Postings] = {
            word: self._bits_of(slots) if len(slots) > threshold else slots
            for word, slots in gathered.items()
        }
        self._entries = self._bits_of(self._slot[i] for i in entries if i in self._slot)
        self._vocabulary: str | None = None  # every word, one a line: built when asked

    def __len__(self) -> int:
        return len(self._ids)

    def _bits_of(self, slots: Iterable[int]) -> int:
        """The bit set of ``slots``, built in C: a byte per slot, read as binary digits."""
        flags = bytearray(len(self._ids))
        deque(map(flags.__setitem__, slots, repeat(1)), maxlen=0)
        flags.reverse()
        return int(flags.translate(_DIGITS) or b"0", 2)

    def _slot_of(self, entry_id: str) -> int:
        slot = self._slot.get(entry_id)
        if slot is None:
            slot = self._slot[entry_id] = len(self._ids)
            self._ids.append(entry_id)
        return slot

    def add_entry(self, entry_id: str) -> None:
        """Let ``entry_id`` be found (its own text arrived)."""
        self._entries |= 1 << self._slot_of(entry_id)

    def add(self, entry_id: str, words: Iterable[str]) -> None:
        """The text of ``entry_id`` now holds ``words`` too (none of which it held)."""
        slot = self._slot_of(entry_id)
        bit = 1 << slot
        threshold = len(self._ids) // _DENSE
        postings = self._postings
        for word in words:
            held = postings.get(word)
            if held is None:
                postings[word] = array("I", (slot,))
                self._vocabulary = None
            elif isinstance(held, int):
                postings[word] = held | bit
            else:
                held.append(slot)
                if len(held) > threshold:
                    postings[word] = self._bits_of(held)

    def remove(self, entry_id: str, words: Iterable[str]) -> None:
        """The text of ``entry_id`` no longer holds ``words`` (each of which it held)."""
        slot = self._slot[entry_id]
        postings = self._postings
        for word in words:
            held = postings[word]
            if isinstance(held, int):
                postings[word] = held & ~(1 << slot)
            else:
                held.remove(slot)

    def holding(self, word: str) -> int | None:
        """The bit set of the slots whose text holds ``word`` (a substring of one of its
        words), or None if gathering them would cost more than testing every text."""
        if self._vocabulary is None:
            self._vocabulary = "\n".join(self._postings)
        vocabulary, postings = self._vocabulary, self._postings
        budget = max(len(self._ids), _LEAST_BUDGET)  # a slot costs less than a text tested
        bits = 0
        rare: list[array] = []  # type: ignore[type-arg]
        at = vocabulary.find(word)
        while at >= 0:
            end = vocabulary.find("\n", at)
            if end < 0:
                end = len(vocabulary)
            held = postings[vocabulary[vocabulary.rfind("\n", 0, at) + 1 : end]]
            if isinstance(held, int):
                bits |= held
                budget -= 1
            else:
                rare.append(held)
                budget -= len(held)
            if budget < 0:
                return None
            at = vocabulary.find(word, end)
        return bits | self._bits_of(chain.from_iterable(rare)) if rare else bits

    def found(self, bits: int) -> set[str]:
        """The entries among the slots of ``bits``."""
        flags = bin(bits & self._entries)[:1:-1].encode().translate(_FLAGS)
        return set(compress(self._ids, flags))
