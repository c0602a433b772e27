"""Days as the report writes them, in its language: "27 novembre 2026", "1er mai 2026"."""

from __future__ import annotations

from datetime import date

from store.i18n import _, current_language
from store.model import parse_time

_months: dict[str, tuple[str, ...]] = {}


def _month_names() -> tuple[str, ...]:
    language = current_language()
    if language not in _months:
        _months[language] = _translated_months()
    return _months[language]


def _translated_months() -> tuple[str, ...]:
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
        _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip


def local_date(value: str) -> date:
    """The day, in the local time zone, of a stored UTC time."""
    return parse_time(value).astimezone().date()


def format_date(day: date) -> str:
    """A day written out for the current language: "27 novembre 2026", "1er mai 2026"."""
    month = _month_names()[day.month - 1]
    # French writes the first day of a month as an ordinal; English day-month-year does not.
    number = "1er" if day.day == 1 and current_language() == "fr" else str(day.day)
    return f"{number} {month} {day.year}"
