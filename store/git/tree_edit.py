"""A git tree object's bytes, edited where its entries change, in git's own order.

A table's folder holds thousands of documents (4,700 comments in each of the 32 folders at
30,000 entries): a tree of 270 KB. Parsing it into entries and serialising them again cost an
action 20–40 ms of Python; here the changed entries' places are found by bisection among the
entries, which are in git's order, and the new tree is the old one's bytes with them spliced
in. A tree whose entries all have one mode and one name length (a table's folder:
``100644 <id>.json``) is read without a loop, its entries at multiples of their length;
any other one is split by a regular expression.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from operator import lt
from typing import overload

TREE_MODE = b"40000"

# One entry of a tree: its mode and binary object id.
Entry = tuple[bytes, bytes]

# One entry of a tree's bytes: its mode, a space, its name, a NUL, its binary id.
_TREE_ENTRY = re.compile(rb"([0-7]+) ([^\0]*)\0.{20}", re.DOTALL)
_WHOLE_TREE = re.compile(rb"(?:[0-7]+ [^\0]*\0.{20})*", re.DOTALL)
_MODE = re.compile(rb"[0-7]+")
_ID_SIZE = 20


def sort_key(name: bytes, mode: bytes) -> bytes:
    """What git orders a tree's entries by: the name, a folder's as if it ended with "/"."""
    return name + b"/" if mode == TREE_MODE else name


def record(name: bytes, entry: Entry) -> bytes:
    """One entry as a tree's bytes hold it."""
    return entry[0] + b" " + name + b"\0" + entry[1]


class Tree:
    """A tree's bytes, known to be entries in git's order, each name once.

    Where each entry starts and its sort key are found the first time they are needed.
    """

    __slots__ = ("data", "_keys", "_starts")

    def __init__(self, data: bytes, *, ordered: bool = False) -> None:
        """``data``, a tree's content as git stores it; ``ordered``: written here, so known
        to be in git's order already.

        Raises:
            ValueError: ``data`` is not a tree.
        """
        self.data = data
        self._keys: Sequence[bytes] | None = None
        self._starts: Sequence[int] = ()
        if not ordered:
            keys, _starts = self._entries()
            if not _increasing(keys):
                # Out of git's order, or a name twice (not written by git, but a peer may push
                # it): put in order, each name once (its last entry), before any splicing.
                self.data = _in_order(data, self._starts)
                self._keys = None

    def __len__(self) -> int:
        return len(self._entries()[0])

    def entry(self, name: bytes) -> Entry | None:
        """The mode and id of the entry named ``name``, whatever its kind; None: none."""
        keys, starts = self._entries()
        # A folder first: in a tree not written by git that has both, the folder comes last
        # in git's order, and a tree read into a mapping by name keeps the last.
        for key in (name + b"/", name):
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                begin, end = starts[i], starts[i + 1]
                return self.data[begin : self.data.index(b" ", begin)], self.data[
                    end - _ID_SIZE : end
                ]
        return None

    def edited(self, changes: Mapping[bytes, Entry | None]) -> Tree:
        """This tree with each name of ``changes`` set to its entry (None: removed), replacing
        whatever entry had that name (a file where a folder was, a folder where a file was)."""
        keys, starts = self._entries()
        # Each change as a span of this tree's entries replaced by new bytes, in git's order:
        # (first entry replaced, the entry after the last, its sort key, the bytes put there).
        spans: list[tuple[int, int, bytes, bytes]] = []
        for name, entry in changes.items():
            for key in (name, name + b"/"):
                i = bisect_left(keys, key)
                if i < len(keys) and keys[i] == key:
                    spans.append((i, i + 1, key, b""))
            if entry is not None:
                key = sort_key(name, entry[0])
                spans.append((bisect_left(keys, key), -1, key, record(name, entry)))
        spans.sort(key=lambda span: span[:1] + span[2:3])
        data, pieces, kept_to = self.data, [], 0
        for first, after, _key, replacement in spans:
            if first > kept_to:
                pieces.append(data[starts[kept_to] : starts[first]])
                kept_to = first
            pieces.append(replacement)
            kept_to = max(kept_to, after)
        pieces.append(data[starts[kept_to] :])
        return Tree(b"".join(pieces), ordered=True)

    def _entries(self) -> tuple[Sequence[bytes], Sequence[int]]:
        """Each entry's sort key, and where each starts (then where the last one ends)."""
        if self._keys is None:
            self._keys, self._starts = _uniform(self.data) or _split(self.data)
        return self._keys, self._starts


def _uniform(data: bytes) -> tuple[Sequence[bytes], Sequence[int]] | None:
    """The keys and starts of a tree whose entries all have the mode and name length of its
    first one, read column by column without a loop over them; None for any other tree."""
    nul = data.find(b"\0")
    space = data.find(b" ", 0, nul)
    if space < 1 or _MODE.fullmatch(data, 0, space) is None:
        return None
    size = nul + 1 + _ID_SIZE
    count, rest = divmod(len(data), size)
    if rest or data[nul::size] != bytes(count):
        return None
    # Every entry has the first one's mode and space, and no NUL in its name.
    if any(data[k::size] != data[k : k + 1] * count for k in range(space + 1)):
        return None
    if any(0 in data[k::size] for k in range(space + 1, nul)):
        return None
    return _Keys(data, size, space + 1, data[:space] == TREE_MODE), range(0, len(data) + 1, size)


class _Keys(Sequence[bytes]):
    """The sort keys of a tree whose entries all have one mode and one name length, read from
    its bytes when asked: bisecting asks for a dozen, and a list of them all would double the
    memory the tree takes."""

    def __init__(self, data: bytes, size: int, name_at: int, folders: bool) -> None:
        self._data, self._size, self._name_at = data, size, name_at
        self._width = size - name_at - 1 - _ID_SIZE
        self._slash = b"/" if folders else b""

    def __len__(self) -> int:
        return len(self._data) // self._size

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return list(self)[index]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        begin = index % len(self) * self._size + self._name_at
        return self._data[begin : begin + self._width] + self._slash

    def __iter__(self) -> Iterator[bytes]:
        entry = struct.Struct(f"{self._name_at}x{self._width}s{1 + _ID_SIZE}x")
        names = [name for (name,) in entry.iter_unpack(self._data)]
        return iter([name + self._slash for name in names] if self._slash else names)


def _split(data: bytes) -> tuple[list[bytes], list[int]]:
    if _WHOLE_TREE.fullmatch(data) is None:
        raise ValueError("not a git tree")
    keys, starts = [], []
    for found in _TREE_ENTRY.finditer(data):
        keys.append(sort_key(found[2], found[1]))
        starts.append(found.start())
    starts.append(len(data))
    return keys, starts


def _increasing(keys: Sequence[bytes]) -> bool:
    listed = list(keys)
    return all(map(lt, listed[:-1], listed[1:]))


def _in_order(data: bytes, starts: Sequence[int]) -> bytes:
    by_name: dict[bytes, bytes] = {}
    for begin, end in zip(starts[:-1], starts[1:], strict=True):
        entry = data[begin:end]
        name = entry[entry.index(b" ") + 1 : -_ID_SIZE - 1]
        by_name.pop(name, None)  # a name twice: its last entry, in its own place
        by_name[name] = entry
    ordered = sorted(by_name.items(), key=lambda item: sort_key(item[0], item[1].split(b" ")[0]))
    return b"".join(entry for _name, entry in ordered)
