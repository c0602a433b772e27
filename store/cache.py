"""A local cache of the loaded documents, so that opening a large notebook parses almost nothing.

What it stores: every document as loaded when HEAD was a given commit, the id of that commit,
and the paths that were not plain committed documents then (damaged files, files that differed
from that commit). Opening a notebook asks git which files differ from HEAD now (one ``git
status``, in a process of its own, while this one reads the cache) and, when HEAD moved, which
changed between the two commits; only those files, and the ones listed as uncertain, are read
and checked from disk. So the cache never serves stale data, whatever changed the files: a
pull, a hand edit of the same size, an action killed before its commit.

It lives under ``.git/carnet/`` (never tracked), is written atomically, and is ignored and
rebuilt when it is damaged, comes from another Python or another version of the store's code,
or fails its checksum. It is ``marshal`` data of plain dicts, tuples, lists and strings, each
table in the form the storage gives (``save``'s ``pack``: a reading or a comment as the tuple
of its fields, the table in parts of a few thousand records) and takes back (``load``'s
``unpack``, a part at a time): it holds no code and ``marshal`` builds no arbitrary objects.
Like everything under ``.git/``, it is trusted not to be forged on purpose: the checksum
guards against accidents, not against an attacker who can already write to this clone.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

if TYPE_CHECKING:  # the command line's listing reads the fingerprint without the model
    from store.model import Document

CACHE_FILE = "documents.cache"
LISTING_FILE = "listing.index"  # store.listing's, kept with the cache and gone with it
CACHE_FORMAT = 5  # 5: each table in parts
MAGIC = b"CARNET-DOCUMENT-CACHE\n"
# Modules whose code decides what a valid document is: when they change, so may the answer.
CODE_MODULES = (
    "store.model",
    "store.schema",
    "store.validate",
    "store.codec",
    "store.ids",
    "store.layout",
    "store.storage.documents",
    "store.storage.loader",
    "store.storage.files",
    "store.storage.records",
    "store.cache",
)

# Fields whose values repeat across thousands of documents: participants, kinds, entry ids.
_SHARED_FIELDS = frozenset(
    ("kind", "status", "author", "updated_by", "participant", "stance", "entry", "parent")
)


class Snapshot(NamedTuple):
    """The documents as they were when HEAD was ``head``, except at the ``unsure`` paths.

    An unsure path (a damaged file, a file that differed from ``head``) is read again at
    every load, whatever git says of it.
    """

    head: str
    tables: dict[str, Any]  # the storage's tables, by name
    unsure: list[str]


_fingerprint: str | None = None


def code_fingerprint() -> str:
    """A digest of the Python version and of the code that parses and validates documents."""
    global _fingerprint
    if _fingerprint is None:
        # Imported here: carnet list, answered from its listing, never asks (OpenSSL's load).
        import hashlib

        digest = hashlib.sha256(f"{sys.version}|marshal {marshal.version}".encode())
        top = Path(__file__).resolve().parent.parent
        for name in CODE_MODULES:
            for source in module_sources(top, name):
                try:
                    digest.update(source.read_bytes())
                except OSError:
                    digest.update(name.encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def module_sources(top: Path, name: str) -> list[Path]:
    """The source files of the module ``name`` under ``top``: its file, or every file of its
    package (a module split into a package keeps deciding through all of them)."""
    path = top.joinpath(*name.split("."))
    if path.is_dir():
        return sorted(path.rglob("*.py"))
    return [path.with_suffix(".py")]


def cache_path(root: Path) -> Path | None:
    """Where the cache of the notebook at ``root`` lives, or None if it has no ``.git`` folder."""
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return None
    return git_dir / "carnet" / CACHE_FILE


# What the storage makes of a part of a table as the cache held it (the table's name, that
# dict, and what the parts before it made, None for the first), and a table's parts back.
Unpack = Callable[[str, dict[str, Any], Any], Any]
Pack = Callable[[Any], Iterable[dict[str, Any]]]


def _as_held(_name: str, part: dict[str, Any], before: dict[str, Any] | None) -> Any:
    if before is None:
        return part
    count = len(before)
    before.update(part)
    if len(before) != count + len(part):  # a key of two parts, which plain dicts cannot join
        raise TypeError("a record held by two parts")
    return before


def load(path: Path, tables: tuple[str, ...], unpack: Unpack = _as_held) -> Snapshot | None:
    """Read a cache; None when it is missing, damaged, or written by other code.

    The trailer says what precedes it: each table's parts, in the order of ``tables``;
    every part must match its length and checksum, and have the expected shape, before
    anything in it is used. The parts are read one at a time, and each is ``unpack``ed
    before the next is read, so that at most one part's bytes are in memory beside the
    loaded documents. ``unpack`` raising ``TypeError`` or ``ValueError`` says the part is
    not what it should be: the cache is ignored.
    """
    try:
        with open(path, "rb") as handle:
            return _read_parts(handle, tables, unpack)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _read_parts(handle: BinaryIO, tables: tuple[str, ...], unpack: Unpack) -> Snapshot | None:
    size = os.fstat(handle.fileno()).st_size
    if handle.read(len(MAGIC)) != MAGIC or size < len(MAGIC) + 8:
        return None
    handle.seek(size - 8)
    trailer_length = int.from_bytes(handle.read(8), "big")
    trailer_start = size - 8 - trailer_length
    if trailer_start < len(MAGIC):
        return None
    handle.seek(trailer_start)
    trailer = json.loads(handle.read(trailer_length))
    if not isinstance(trailer, dict) or trailer.get("format") != CACHE_FORMAT:
        return None
    if trailer.get("code") != code_fingerprint() or trailer.get("tables") != list(tables):
        return None
    head, unsure, parts = trailer.get("head"), trailer.get("unsure"), trailer.get("parts")
    if not isinstance(head, str) or not isinstance(unsure, list):
        return None
    if not all(isinstance(path, str) for path in unsure):
        return None
    if not isinstance(parts, list) or list(dict.fromkeys(n for n, *_ in parts)) != list(tables):
        return None  # each table's parts, the tables in order
    if sum(length for _name, length, _crc in parts) != trailer_start - len(MAGIC):
        return None
    handle.seek(len(MAGIC))
    documents: dict[str, Any] = {}
    for name, length, crc in parts:
        data = handle.read(length)
        if len(data) != length or zlib.crc32(data) != crc:
            return None
        part = marshal.loads(data)
        del data
        if not isinstance(part, dict):
            return None
        documents[name] = unpack(name, part, documents.get(name))
        del part
    return Snapshot(head, documents, unsure)


def _as_given(table: Any) -> Iterator[dict[str, Any]]:
    yield table  # plain documents: marshalled as they are, in one part


def save(path: Path, snapshot: Snapshot, pack: Pack = _as_given) -> bool:
    """Write the cache atomically (a temp file renamed over it); tell whether it was written.

    Each table is ``pack``ed into parts (plain dicts, tuples and strings), each part
    serialised and written on its own, so that at most one part's bytes are in memory at a
    time. A failure (a full disk, a read-only folder) is not an error: the notebook works
    without its cache.
    """
    names = list(snapshot.tables)
    parts: list[tuple[str, int, int]] = []
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(MAGIC)
            for name in names:
                for part in pack(snapshot.tables[name]):
                    payload = marshal.dumps(part)
                    del part
                    handle.write(payload)
                    parts.append((name, len(payload), zlib.crc32(payload)))
                    del payload
            trailer = {
                "format": CACHE_FORMAT,
                "code": code_fingerprint(),
                "tables": names,
                "head": snapshot.head,
                "unsure": sorted(snapshot.unsure),
                "parts": parts,
            }
            encoded = json.dumps(trailer, sort_keys=True).encode()
            handle.write(encoded + len(encoded).to_bytes(8, "big"))
        # No fsync: after a power cut a torn cache fails its checksum and is rebuilt.
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    return True


def shared(document: Document) -> Document:
    """A copy of the document with its keys interned, and its values shared as
    ``share_values`` shares them."""
    intern = sys.intern
    result: Document = {intern(key): value for key, value in document.items()}
    share_values(result)
    return result


def share_values(document: Document) -> None:
    """Intern the document's values that repeat across documents, and make its equal strings
    one object (a reading's ``read`` and ``updated`` times are the same for most readings,
    an entry's ``created`` and ``updated`` for most entries), in place.

    ``marshal`` keeps an object referred to twice as one, so the cache keeps that too.
    """
    intern = sys.intern
    own: dict[str, str] = {}
    for key, value in document.items():
        if type(value) is str:
            document[key] = intern(value) if key in _SHARED_FIELDS else own.setdefault(value, value)


def remove(path: Path) -> None:
    """Forget the cache (the next open reads every file), and the listing made beside it."""
    for stale in (path, path.with_name(LISTING_FILE)):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
