"""This clone's own files under ``.git/carnet/``: its settings, its locks, its local state."""

from __future__ import annotations

import contextlib
import fcntl
import json
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from store.errors import BusyError
from store.i18n import _
from store.model import canonical_bytes
from store.storage import atomic_write

SETTINGS_FILE = "settings.json"
LOCK_FILE = "lock"
LOCK_TIMEOUT = 10.0


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT, busy: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so that one Carnet process writes at a time.

    Raises:
        BusyError: another process held it for longer than ``timeout`` seconds (``busy`` says
            what it is doing, if given).
    """
    path.parent.mkdir(parents=True, exist_ok=True)  # on a read-only disk: says so
    with open(path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BusyError(
                        busy
                        or _("another Carnet is writing to this notebook; try again in a moment")
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_settings(local_dir: Path, name: str = SETTINGS_FILE) -> dict[str, Any]:
    """This clone's own settings (participant, language...), never shared; or another of its
    local JSON files, ``name`` (the sync's state)."""
    try:
        value = json.loads((local_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def save_settings(local_dir: Path, name: str = SETTINGS_FILE, **values: Any) -> None:
    """Update this clone's settings (or its local JSON file ``name``) with ``values``."""
    settings = load_settings(local_dir, name)
    settings.update(values)
    atomic_write(local_dir / name, canonical_bytes(settings))


def signing_key(settings: Mapping[str, Any]) -> Path | None:
    """The SSH key this clone signs with (``signing_key``, an absolute path), or None."""
    key = settings.get("signing_key")
    return Path(key) if isinstance(key, str) and key else None


def key_setting(key: Path | None) -> dict[str, str]:
    """The setting that remembers the key this clone signs with (``save_settings(**…)``)."""
    return {} if key is None else {"signing_key": str(key)}
