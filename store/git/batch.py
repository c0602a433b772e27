"""One ``git cat-file --batch`` kept running, for the trees an action's commit reads.

Starting git is most of what reading a few trees costs (a process of a large repository,
10–70 ms on a loaded machine, against a millisecond for the answer): a process that makes
one action after another (the review screen) asks the same process each time. It is kept for
one repository at a time, the last one asked about, and ended when another one is asked
about or when this process ends. git finds the objects written since it started (a commit,
a sync's fetch): an object it does not find in the packs it knows makes it look at the
repository's packs again.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from store.errors import GitError
from store.git.command import GIT
from store.git.program import QUIET_GIT_ENV
from store.i18n import _

# A question git does not answer within this long: the process is stuck, and is ended.
ANSWER_SECONDS = 60.0

# An object found: its id (hex), its type (b"tree", b"blob"...) and its content.
Found = tuple[str, bytes, bytes]


class _Reader:
    """A ``git cat-file --batch`` of one repository, and what it has sent not yet read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process = subprocess.Popen(
            [*GIT, "cat-file", "--batch"],
            cwd=root, env={**os.environ, **QUIET_GIT_ENV}, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        self.buffer = bytearray()

    def ask(self, names: Sequence[str]) -> list[Found | None]:
        """The id, type and content of each object ``names`` names, in order; None: missing."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write("".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape"))
        stdin.flush()
        found: list[Found | None] = []
        for _name in names:
            # Each answer: "<id> <type> <size>\n<content>\n", or "<name> missing\n".
            header = self._line().split()
            if len(header) != 3 or not header[2].isdigit():
                found.append(None)
                continue
            size = int(header[2])
            content = self._exactly(size + 1)
            found.append((header[0].decode("ascii"), header[1], content[:size]))
        return found

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\n")) < 0:
            self._more()
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        return line

    def _exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._more()
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def _more(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        ready, _w, _x = select.select([stdout], [], [], ANSWER_SECONDS)
        chunk = os.read(stdout.fileno(), 1 << 20) if ready else b""
        if not chunk:
            raise OSError("git cat-file stopped answering")
        self.buffer += chunk

    def close(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_LOCK = threading.Lock()
_READER: _Reader | None = None


def read_objects(root: Path, names: Sequence[str]) -> list[Found | None]:
    """The id, type and content of each object ``names`` names (``<commit>:<path>``...), in
    order, None for a name that names nothing; asked of the running ``git cat-file --batch``
    of ``root`` (started if there is none: a process that died is started again, once).

    Raises:
        GitError: git could not be started, or stopped answering.
    """
    global _READER
    with _LOCK:
        for attempt in (1, 2):
            if _READER is not None and (_READER.root != root or _READER.process.poll() is not None):
                _close()
            try:
                if _READER is None:
                    _READER = _Reader(root)
                return _READER.ask(names)
            except FileNotFoundError:
                raise GitError(_("git is not installed: install git, then try again")) from None
            except OSError as exc:  # a broken pipe, a process that stopped answering
                _close()
                if attempt == 2:
                    raise GitError(_("git failed: {detail}").format(detail="cat-file")) from exc
    raise AssertionError("the second attempt returns or raises")


def start_reader(root: Path) -> None:
    """Start the ``git cat-file --batch`` of ``root`` now if none is running, so that git has
    started by the time ``read_objects`` asks it: a command that makes one commit calls this
    before writing its files, and git's own start (about as long as the files' writing and
    syncing) happens meanwhile, on the other processor. A git that cannot start is told by
    ``read_objects``, which starts it again."""
    global _READER
    with _LOCK:
        if _READER is not None and (_READER.root != root or _READER.process.poll() is not None):
            _close()
        if _READER is None:
            with contextlib.suppress(OSError):
                _READER = _Reader(root)


def close_reader() -> None:
    """End the running ``git cat-file --batch``, if any (it is started again when needed)."""
    with _LOCK:
        _close()


def _close() -> None:
    global _READER
    reader, _READER = _READER, None
    if reader is not None:
        reader.close()


def _forget_in_child() -> None:
    """A forked child starts without the reader: its pipes are its parent's to use."""
    global _READER, _LOCK
    _READER, _LOCK = None, threading.Lock()


atexit.register(close_reader)
os.register_at_fork(after_in_child=_forget_in_child)
