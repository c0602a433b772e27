"""TUI text helpers: participant text as inert Rich ``Text``, and local times."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.i18n import current_language
from store.model import parse_time
from store.text import safe_text

DATE_FORMATS = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
TIME_FORMAT = "%H:%M"


def data(text: str, style: str = "") -> Text:
    """Participant text as a Rich ``Text``: shown literally, never parsed as markup."""
    return Text(safe_text(text), style=style)


def local_time(value: str | datetime | None, *, time_only: bool = False) -> str:
    """A stored UTC time shown in the local time zone, the way the current language writes it."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else parse_time(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    pattern = TIME_FORMAT if time_only else DATE_FORMATS.get(current_language(), "%Y-%m-%d %H:%M")
    return moment.strftime(pattern)
