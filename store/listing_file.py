"""The listing's file (``store.listing``): its parts, each checked by its length and CRC-32.

The file is the magic, then the length and CRC-32 of each part (8 bytes each), then the parts
in their order. A reader reads only the parts it needs (the TUI's first frame skips the rows
and the search texts, most of the file) and trusts none whose checksum or length is wrong.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from store import cache

MAGIC = b"CARNET-LISTING\n"
FORMAT = 2
# The code that decides what the listing holds: the load cache's, and the listing's own.
_CODE_MODULES = (
    *cache.CODE_MODULES,
    "store.listing",
    "store.listing_file",
    "store.search",
    "store.index",
    "store.reads",
)


def code_fingerprint() -> str:
    """The Python and the code that made the listing: the size and time of each source file.

    Not a digest of the sources, as the load cache's: reading and hashing them would cost the
    command line more than reading the listing itself. A source replaced by an install or an
    edit changes its time.
    """
    top = Path(__file__).resolve().parent.parent
    marks = [sys.version, str(marshal.version), str(FORMAT)]
    for name in _CODE_MODULES:
        for source in cache.module_sources(top, name):
            try:
                status = os.stat(source)
                marks.append(f"{source.name}:{status.st_size}:{status.st_mtime_ns}")
            except OSError:
                marks.append(name)
    return "|".join(marks)


# The parts of the file, in its order: what every reader needs (the head, the settings, the
# unread entries...), the TUI's first frame, the command line's rows, the search texts.
META, FRAME, ROWS, TEXTS = range(4)
# After the magic: the length and CRC-32 of each part, 8 bytes each.
_HEADER = len(MAGIC) + 4 * 16


def read_parts(path: Path, wanted: Iterable[int]) -> dict[int, bytes] | None:
    """The ``wanted`` parts of the listing file, each checked against its CRC-32; None if the
    file is missing, not of this format, damaged or not the length its header says."""
    wanted = set(wanted)
    parts: dict[int, bytes] = {}
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEADER)
            if len(head) != _HEADER or not head.startswith(MAGIC):
                return None
            numbers = [
                int.from_bytes(head[i : i + 8], "big") for i in range(len(MAGIC), _HEADER, 8)
            ]
            lengths, crcs = numbers[0::2], numbers[1::2]
            if os.fstat(handle.fileno()).st_size != _HEADER + sum(lengths):
                return None
            for part, length in enumerate(lengths):
                if part in wanted:
                    parts[part] = handle.read(length)
                else:
                    handle.seek(length, os.SEEK_CUR)
    except OSError:
        return None
    for part, data in parts.items():
        if len(data) != lengths[part] or zlib.crc32(data) != crcs[part]:
            return None
    return parts


def file_bytes(parts: Sequence[bytes]) -> bytes:
    """The file holding ``parts``, in their order: its header, then the parts."""
    header = MAGIC + b"".join(
        number.to_bytes(8, "big") for part in parts for number in (len(part), zlib.crc32(part))
    )
    return header + b"".join(parts)
