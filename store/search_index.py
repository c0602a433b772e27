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
from collections.abc import Iterable, Iterator
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

    def __init__(self, words: EntryWords, entries: Iterable[str]) -> None:
        """Index the words of each entry of ``words``; only the ids among ``entries`` are
        ever found (a text may come before its entry: comments merged first)."""
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []
        # Gathered as arrays, not lists: half the memory while building (18 MB at 30,000
        # entries, where the index then takes 3 MB), for a third more time.
        gathered: dict[int, array[int]] = {}
        for slot, (entry_id, numbers) in enumerate(words.items()):
            self._slot[entry_id] = slot
            self._ids.append(entry_id)
            for number in set(numbers):
                slots = gathered.get(number)
                if slots is None:
                    gathered[number] = array("I", (slot,))
                else:
                    slots.append(slot)
        threshold = len(self._ids) // _DENSE
        vocabulary = words.vocabulary
        self._postings: dict[str, Postings] = {
            vocabulary[number]: self._bits_of(slots) if len(slots) > threshold else slots
            for number, slots in gathered.items()
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


# Word numbers fit two bytes each until the vocabulary holds this many words.
_TWO_BYTES = 1 << 16


class _Numbers(dict[str, int]):
    """The number of each word, a new word numbered as it is first looked up (in C for the
    words already known, which are nearly all of them)."""

    def __init__(self, vocabulary: list[str]) -> None:
        super().__init__()
        self._vocabulary = vocabulary

    def __missing__(self, word: str) -> int:
        number = self[word] = len(self._vocabulary)
        self._vocabulary.append(word)
        return number


class EntryWords:
    """The distinct folded words of each entry's own text, then of its comments, held as
    numbers of one vocabulary of the notebook's distinct words.

    What a search needs of an entry's text is which words it holds (a query word matches
    inside one of them): two bytes a word (four past 65,536 distinct words), where the
    text itself took a byte a character and more (46 MB at 30,000 entries, 16 MB so).
    """

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self._numbers = _Numbers(self.vocabulary)
        self._held: dict[str, array[int]] = {}  # its own words' numbers, then its comments'
        self._own: dict[str, int] = {}  # how many of them are its own words
        self._typecode = "H"

    def __len__(self) -> int:
        """How many entries (given to ``set_own``) it holds."""
        return len(self._own)

    def entries(self) -> dict[str, int]:
        """The entries given to ``set_own`` (as keys)."""
        return self._own

    def items(self) -> Iterator[tuple[str, array[int]]]:
        """Each text's id (an entry's, or comments' before their entry) and word numbers."""
        return iter(self._held.items())

    def _packed(self, numbers: Iterable[int]) -> array[int]:
        numbers = list(numbers)  # its new words numbered first
        if self._typecode == "H" and len(self.vocabulary) > _TWO_BYTES:
            self._typecode = "I"  # a word numbered past two bytes: every text widened
            self._held = {key: array("I", held) for key, held in self._held.items()}
        return array(self._typecode, numbers)

    def _numbers_of(self, folded: str) -> map[int]:
        return map(self._numbers.__getitem__, dict.fromkeys(folded.split()))

    def set_own(self, entry_id: str, folded: str) -> tuple[array[int], array[int]]:
        """Hold ``folded`` as the entry's own text, its comments' words kept: the word
        numbers of its whole text before and after (``changed`` tells what changed)."""
        own = self._packed(self._numbers_of(folded))
        old = self._held.get(entry_id, array(self._typecode))
        new = self._held[entry_id] = own + old[self._own.get(entry_id, 0) :]
        self._own[entry_id] = len(own)
        return old, new

    def add_comments(self, entry_id: str, folded: str) -> tuple[array[int], array[int]]:
        """Hold the words of ``folded`` among the entry's comments': the word numbers of
        its whole text before and after."""
        added = list(self._numbers_of(folded))
        old = self._held.get(entry_id, array(self._typecode))
        own = self._own.get(entry_id, 0)
        comments = self._packed(dict.fromkeys([*old[own:], *added]))
        old = self._held.get(entry_id, array(self._typecode))  # widened, perhaps
        new = self._held[entry_id] = old[:own] + comments
        return old, new

    def changed(self, old: array[int], new: array[int]) -> tuple[set[str], set[str]]:
        """The words a text lost and gained from ``old`` to ``new`` (word numbers)."""
        before, after = set(old), set(new)
        vocabulary = self.vocabulary
        return {vocabulary[n] for n in before - after}, {vocabulary[n] for n in after - before}

    def text(self, entry_id: str) -> str:
        """The entry's text as ``store.search.distinct_words`` made it: its own words, then
        a line of its comments' (if it has any), a space between each word."""
        held, own = self._held.get(entry_id, ()), self._own.get(entry_id, 0)
        words = list(map(self.vocabulary.__getitem__, held))
        text = " ".join(words[:own])
        return f"{text}\n{' '.join(words[own:])}" if len(words) > own else text

    def texts(self) -> tuple[dict[str, str], dict[str, int]]:
        """Every text (``text``), and the length of its own part."""
        texts = {entry_id: self.text(entry_id) for entry_id in self._held}
        own_lengths = {}
        for entry_id in self._own:
            own_text = texts[entry_id]
            newline = own_text.find("\n")
            own_lengths[entry_id] = len(own_text) if newline < 0 else newline
        return texts, own_lengths

    def matching(self, word: str) -> frozenset[int]:
        """The numbers of the words holding ``word``."""
        numbers = self._numbers
        return frozenset(numbers[whole] for whole in self.vocabulary if word in whole)

    def holds_any(self, entry_id: str, numbers: frozenset[int]) -> bool:
        """Whether the entry's text holds one of the words numbered ``numbers``."""
        return not numbers.isdisjoint(self._held.get(entry_id, ()))
