"""The words people see for kinds, statuses and stances, in the current language."""

from __future__ import annotations

from store.i18n import _


def kind_label(kind: str) -> str:
    """``practice`` → "Pratique observée"."""
    labels = {
        "practice": _("Observed practice"),
        "research": _("Research / evaluation"),
        "tool": _("Collaboration tool"),
        "contact": _("Contact / network"),
        "reflection": _("Reflection"),
        "proposal": _("Avenue of collaboration"),
    }
    return labels.get(kind, kind)


def status_label(status: str) -> str:
    """``discuss`` → "à discuter"."""
    labels = {
        "draft": _("draft"),
        "open": _("open"),
        "discuss": _("to discuss"),
        "adopted": _("adopted"),
        "archived": _("archived"),
    }
    return labels.get(status, status)


def stance_label(stance: str) -> str:
    """``agree`` → "d'accord"."""
    labels = {
        "agree": _("agree"),
        "question": _("question"),
        "disagree": _("disagree"),
    }
    return labels.get(stance, stance)


def field_label(field: str) -> str:
    """``body`` → "texte": an entry's field named in words (merge conflicts speak of fields)."""
    labels = {
        "kind": _("kind"),
        "title": _("title"),
        "body": _("text"),
        "objectives": _("objectives"),
        "tags": _("tags"),
        "status": _("status"),
        "deleted": _("deletion"),
    }
    return labels.get(field, field)
