"""How stored values are shown to people: names, dates, fields and their values.

Pure functions, in the current language and made safe to show; no screen library here, so that
every way of showing the notebook (the TUI, the command line, the export) can share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from store.i18n import _, current_language
from store.model import Objective, Participant, parse_time
from store.schema import CONTESTED_FIELDS, ENTRY, Schema, Shown
from store.text import safe_line, safe_text

__all__ = [
    "CONTESTED_FIELD_LABELS",
    "field_label",
    "field_value",
    "local_day",
    "local_time",
    "objective_titles",
    "participant_name",
    "participant_names",
]

# The entry fields a merge can find in conflict, by their label's message id: what people may
# type to name one ("texte" for the body).
CONTESTED_FIELD_LABELS = {
    name: rule.label for name in CONTESTED_FIELDS if (rule := ENTRY.field(name))
}

DATE_FORMATS = {"fr": "%d/%m/%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
DAY_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}
TIME_FORMAT = "%H:%M"


def participant_names(participants: Iterable[Participant]) -> dict[str, str]:
    """Participant id → name: the table that ``participant_name`` reads."""
    return {participant.id: participant.name for participant in participants}


def participant_name(names: Mapping[str, str], participant_id: str) -> str:
    """The name people know a participant by, on one line; the id when the record is unknown
    (a peer's record that has not arrived yet)."""
    return safe_line(names.get(participant_id, participant_id))


def local_time(value: str | datetime | None, *, time_only: bool = False) -> str:
    """A stored UTC time shown in the local time zone, the way the current language writes it."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else parse_time(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    pattern = TIME_FORMAT if time_only else DATE_FORMATS.get(current_language(), "%Y-%m-%d %H:%M")
    return moment.strftime(pattern)


def local_day(day: str) -> str:
    """A calendar day (``YYYY-MM-DD``: a decision's closing day, a meeting's) the way the
    current language writes it, as ``local_time`` writes a time; as given if it is no day."""
    try:
        moment = datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return safe_line(day)
    return moment.strftime(DAY_FORMATS.get(current_language(), "%Y-%m-%d"))


def objective_titles(objectives: Iterable[Objective]) -> dict[int, str]:
    """Objective number → title: the table that ``field_value`` reads."""
    return {objective.number: objective.title for objective in objectives}


def field_label(field: str, schema: Schema = ENTRY) -> str:
    """``body`` → "texte": a field of ``schema`` named in words (merge conflicts speak of
    fields); a field the table does not know, by its name."""
    rule = schema.field(field)
    return _(rule.label) if rule is not None else field


def field_value(field: str, value: Any, objectives: Mapping[int, str]) -> str:
    """An entry's field value in words, safe to show, as its table says it is shown: choices
    (kinds, statuses) by their label, objectives by number and title (``objectives``, from
    ``objective_titles``)."""
    rule = ENTRY.field(field)
    shown = rule.shown if rule is not None else Shown.TEXT
    if rule is not None and shown is Shown.CHOICE and isinstance(value, str):
        return rule.choice_label(value)
    if shown is Shown.DELETION and isinstance(value, bool):
        return _("the entry is deleted") if value else _("the entry is kept")
    if shown is Shown.NUMBERS and isinstance(value, list | tuple):
        lines = []
        for number in value:
            title = objectives.get(number, "") if isinstance(number, int) else ""
            lines.append(safe_line(f"{number}. {title}".rstrip()))
        return "\n".join(lines) or _("(none)")
    if shown is Shown.WORDS and isinstance(value, list | tuple):
        return safe_line(", ".join(str(tag) for tag in value)) or _("(none)")
    if isinstance(value, str):
        return safe_text(value) or _("(empty)")
    # A value of an unexpected type from a peer: shown as it is, never dropped.
    return safe_text(repr(value))
