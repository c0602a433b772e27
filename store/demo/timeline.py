"""The demo's clock: each action at the time the content gives it, its commit dated alike."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

_DATE_VARIABLES = ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")


@dataclass(frozen=True)
class Action:
    """One thing a participant did, at a given time."""

    at: datetime
    do: Callable[[], object]


def at_time(text: str) -> datetime:
    """A content time, written with its UTC offset (Paris during the mission, Québec after)."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(f"demo time {text} needs its UTC offset")
    return when


def stored(when: datetime) -> str:
    """A time as the store writes it (see ``store.model.now``)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@contextlib.contextmanager
def commit_date(when: datetime) -> Iterator[None]:
    """Date the commits made inside at ``when``, so that an entry's history agrees with it.

    git reads these variables from the environment that ``run_git`` passes on; they are put
    back as they were at once, and only the demo build (before any screen opens) sets them.
    """
    stamp = f"@{int(when.timestamp())} {when.strftime('%z')}"
    saved = {name: os.environ.get(name) for name in _DATE_VARIABLES}
    os.environ.update(dict.fromkeys(_DATE_VARIABLES, stamp))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
