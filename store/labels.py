"""The words people see for kinds, statuses and stances, in the current language.

A field's name in words is in its table (``store.schema``), told by ``store.display``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from store.i18n import LANGUAGES, N_, _, catalog, current_language, ngettext

# Slug → message id; each is translated when asked for, in the language then in force. Only the
# one asked for is: a listing of a thousand entries asks a few thousand times.
KIND_LABELS = {
    "practice": N_("Observed practice"),
    "research": N_("Research / evaluation"),
    "tool": N_("Collaboration tool"),
    "contact": N_("Contact / network"),
    "reflection": N_("Reflection"),
    "proposal": N_("Avenue of collaboration"),
    "section": N_("Group synthesis"),
}
STATUS_LABELS = {
    "draft": N_("draft"),
    "open": N_("open"),
    "discuss": N_("to discuss"),
    "adopted": N_("adopted"),
    "archived": N_("archived"),
}
STANCE_LABELS = {
    "agree": N_("agree"),
    "question": N_("question"),
    "disagree": N_("disagree"),
    "abstain": N_("abstain"),
    "block": N_("block"),
}


def kind_label(kind: str) -> str:
    """``practice`` → "Pratique observée"."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def status_label(status: str) -> str:
    """``discuss`` → "à discuter"."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def stance_label(stance: str) -> str:
    """``agree`` → "d'accord"."""
    return _(STANCE_LABELS[stance]) if stance in STANCE_LABELS else stance


def code_named(word: str, labels: Mapping[str, str]) -> str | None:
    """The code that ``word`` names among ``labels`` (code → message id), or None.

    People type what they read: the code itself (``discuss``), or its words in any language
    Carnet speaks ("à discuter", "A discuter", "to discuss"), whatever the accents, the case and
    the apostrophe; or the unique beginning of those words ("pratique" for "Pratique
    observée").
    """
    typed = _folded(word)
    if not typed:
        return None
    names = {
        code: {_folded(code), *(_folded(catalog(lang).gettext(msgid)) for lang in LANGUAGES)}
        for code, msgid in labels.items()
    }
    for code, words in names.items():
        if typed in words:
            return code
    begun = [code for code, words in names.items() if any(w.startswith(typed) for w in words)]
    return begun[0] if len(begun) == 1 else None


def _folded(text: str) -> str:
    """How a typed word is compared: "À  discuter" → "a discuter", "d’accord" → "d'accord"."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def size_label(size: int) -> str:
    """``1_234_567`` → "1,2 Mo": a number of bytes as people say it, rounded, in their language.

    Units are decimal (1 MB = 1,000,000 bytes), as the document limit is.
    """
    if size >= 999_500:  # from there, in KB it would round to "1000 KB"
        number = f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".")
        text = _("{number} MB").format(number=number)
    elif size >= 1_000:
        text = _("{number} KB").format(number=round(size / 1_000))
    else:
        text = ngettext("{number} byte", "{number} bytes", size).format(number=size)
    # French writes a decimal comma.
    return text.replace(".", ",") if current_language() == "fr" else text
