"""A local cache of the loaded documents, so that opening a large notebook parses almost nothing.

What it stores: every document that loaded cleanly, beside the signature of its file (inode,
size, modification and change times, as git's own index does). Opening a notebook lists the
folders and compares each file's signature with the cached one: a document is taken from the
cache only when its file is provably untouched; anything else (new, changed, damaged, not yet
known) is read and checked from disk again. So the cache can never serve stale data, whatever
changed the files: a pull, a hand edit of the same size, an interrupted action.

Why file signatures and not only the git tree: the documents are read from the work tree, which
may differ from HEAD's tree (a hand edit, an action killed before its commit, a merge in
progress). Checking the work tree against a tree id would cost the same stat of every file,
through a git process; comparing signatures directly needs no git at all.

The cache lives under ``.git/carnet/`` (never tracked), is written atomically, and is ignored
and rebuilt when it is damaged, comes from another Python or another version of the store's
code, or fails its checksum. It is ``marshal`` data of plain dicts, lists and strings: it holds
no code and ``marshal`` builds no arbitrary objects. Like everything under ``.git/``, it is
trusted not to be forged on purpose: the checksum guards against accidents, not against an
attacker who can already write to this clone.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import marshal
import os
import stat
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from store.model import Document

CACHE_FILE = "documents.cache"
CACHE_FORMAT = 2
MAGIC = b"CARNET-DOCUMENT-CACHE\n"
# A file changed less than this long before the folder was listed could be changed again
# within the same timestamp tick without its signature changing (git calls such entries
# "racily clean"); it is not trusted from the cache and is read again next time. Two
# seconds covers file systems with coarse timestamps (FAT, some network mounts).
RACY_NANOSECONDS = 2_000_000_000
# Modules whose code decides what a valid document is: when they change, so may the answer.
_CODE_MODULES = ("store.model", "store.ids", "store.storage", "store.cache")

# Fields whose values repeat across thousands of documents: participants, kinds, entry ids.
_SHARED_FIELDS = frozenset(
    ("kind", "status", "author", "updated_by", "participant", "stance", "entry", "parent")
)

Signature = tuple[int, int, int, int]


def signature(info: os.stat_result) -> Signature:
    """What identifies one state of a file: inode, size, modification and change times."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def is_racy(info: os.stat_result, listed_ns: int) -> bool:
    """Whether a file changed too close to ``listed_ns`` for its signature to be trusted."""
    return max(info.st_mtime_ns, info.st_ctime_ns) > listed_ns - RACY_NANOSECONDS


def is_regular(info: os.stat_result) -> bool:
    """Whether ``info`` describes a plain file (not a link, folder or device)."""
    return stat.S_ISREG(info.st_mode)


@dataclass
class Snapshot:
    """Documents that loaded cleanly, and the signatures of the files they came from.

    A document without a signature (``signatures`` lacks its id) is always read again:
    that is how racy files, and files this process wrote itself, stay out of the cache.
    """

    tables: dict[str, dict[str, Document]] = field(default_factory=dict)
    signatures: dict[str, dict[str, Signature]] = field(default_factory=dict)


_fingerprint: str | None = None


def code_fingerprint() -> str:
    """A digest of the Python version and of the code that parses and validates documents."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(f"{sys.version}|marshal {marshal.version}".encode())
        for name in _CODE_MODULES:
            spec = importlib.util.find_spec(name)
            source = spec.origin if spec is not None else None
            try:
                digest.update(Path(source).read_bytes() if source else name.encode())
            except OSError:
                digest.update(name.encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def cache_path(root: Path) -> Path | None:
    """Where the cache of the notebook at ``root`` lives, or None if it has no ``.git`` folder."""
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return None
    return git_dir / "carnet" / CACHE_FILE


def load(path: Path, tables: tuple[str, ...]) -> Snapshot | None:
    """Read a cache; None when it is missing, damaged, or written by other code.

    The trailer says what precedes it; every part must match its length and checksum, and
    have the expected shape, before anything in it is used. The parts are read one at a
    time, so that at most one table's bytes are in memory beside the loaded documents.
    """
    try:
        with open(path, "rb") as handle:
            return _read_parts(handle, tables)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _read_parts(handle: BinaryIO, tables: tuple[str, ...]) -> Snapshot | None:
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
    parts = trailer.get("parts")
    if not isinstance(parts, list) or len(parts) != 2 * len(tables):
        return None
    if sum(length for length, _crc in parts) != trailer_start - len(MAGIC):
        return None
    handle.seek(len(MAGIC))
    loaded = []
    for length, crc in parts:
        part = handle.read(length)
        if len(part) != length or zlib.crc32(part) != crc:
            return None
        loaded.append(marshal.loads(part))
        del part
    return _checked(dict(zip(tables, loaded[0::2], strict=True)),
                    dict(zip(tables, loaded[1::2], strict=True)))  # fmt: skip


def _checked(documents: dict[str, Any], signatures: dict[str, Any]) -> Snapshot | None:
    """The snapshot of these parts if they have the shape ``save`` gives them, else None."""
    for name, table in documents.items():
        if not isinstance(table, dict) or not isinstance(signatures[name], dict):
            return None
        # Every signed document must be there: the loader takes one when it takes the other.
        if not signatures[name].keys() <= table.keys():
            return None
    return Snapshot(documents, signatures)


def share(snapshot: Snapshot) -> None:
    """Intern, in place, the ids, keys and repeated values of every document of ``snapshot``.

    ``marshal`` writes an interned string once and refers to it after, and interns it again
    when loading: the cache is smaller, loads faster, and the documents share their keys (a
    third less memory at 10,000 entries). Done on the loaded documents themselves, one table
    at a time, so that the process that writes the cache profits too, without a second copy.
    """
    intern = sys.intern
    for name, documents in snapshot.tables.items():
        snapshot.tables[name] = {intern(i): _shared(d) for i, d in documents.items()}
        del documents
        signatures = snapshot.signatures.get(name, {})
        snapshot.signatures[name] = {intern(i): s for i, s in signatures.items()}


def save(path: Path, snapshot: Snapshot) -> bool:
    """Write the cache atomically (a temp file renamed over it); tell whether it was written.

    Only documents with a signature are kept: the others would never be served anyway. Each
    table is serialised and written on its own, so that at most one table's bytes are in
    memory at a time. A failure (a full disk, a read-only folder) is not an error: the
    notebook works without its cache.
    """
    names = list(snapshot.tables)
    parts: list[tuple[int, int]] = []
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temp, "wb") as handle:
            handle.write(MAGIC)
            for name in names:
                documents, signatures = snapshot.tables[name], snapshot.signatures[name]
                if len(signatures) != len(documents):
                    documents = {doc_id: documents[doc_id] for doc_id in signatures}
                for part in (documents, signatures):
                    payload = marshal.dumps(part)
                    handle.write(payload)
                    parts.append((len(payload), zlib.crc32(payload)))
                    del payload
            trailer = {
                "format": CACHE_FORMAT,
                "code": code_fingerprint(),
                "tables": names,
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


def _shared(document: Document) -> Document:
    """The document with its keys, and values that repeat across documents, interned."""
    intern = sys.intern
    return {
        intern(key): intern(value) if key in _SHARED_FIELDS and type(value) is str else value
        for key, value in document.items()
    }


def remove(path: Path) -> None:
    """Forget the cache (the next open reads every file)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
