"""Translations: English message ids in the code, gettext PO catalogs in ``store/locale``.

The catalogs are plain PO files, editable with any gettext tool (Poedit, msgmerge), one per
part of the program: ``store/locale/<language>/*.po`` together form a language's catalog. The
program reads them compiled into one Python module (``store.locale.catalogs``, written by
``python -m store.locale.compile`` and checked against them by the tests): nothing is parsed at
start-up, and no binary file is in the repository.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator, Mapping, Sequence

from store.locale.catalogs import CATALOGS

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_catalogs: dict[tuple[str, bool], POTranslations] = {}
_current: POTranslations
_current_language = "en"
# A block of code may write in another language than the screen's (the notebook's language for
# commit messages and reports) without touching what other threads show.
_thread = threading.local()


class POTranslations:
    """A language's catalog, as its PO files give it, plural forms included."""

    def __init__(
        self, messages: Mapping[str, str], plurals: Mapping[str, Sequence[str]], language: str
    ) -> None:
        self._messages = messages
        self._plurals = plurals
        self._language = language

    def _plural_index(self, n: int) -> int:
        # French treats 0 and 1 as singular; English only 1.
        return int(n > 1) if self._language == "fr" else int(n != 1)

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def knows(self, message: str) -> bool:
        """Whether the catalog translates ``message`` (as a singular or a plural message)."""
        return bool(self._messages.get(message)) or message in self._plurals

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        index = self._plural_index(n)
        if forms and index < len(forms) and forms[index]:
            return forms[index]
        return msgid1 if index == 0 else msgid2


def catalog(language: str, *, typeset: bool = False) -> POTranslations:
    """The catalog of ``language`` (English needs none: the message ids are English).

    ``typeset``: with French typography (see ``typeset_french``), for what is read on a screen
    or in a document; the command line's output, which scripts read, keeps plain spaces.
    """
    key = (language, typeset and language == "fr")
    if key not in _catalogs:
        if key[1]:
            plain = catalog(language)
            _catalogs[key] = POTranslations(
                {msgid: typeset_french(text) for msgid, text in plain._messages.items()},
                {msgid: [*map(typeset_french, forms)] for msgid, forms in plain._plurals.items()},
                language,
            )  # fmt: skip
            return _catalogs[key]
        messages, plurals = CATALOGS.get(language, ({}, {}))
        _catalogs[key] = POTranslations(messages, plurals, language)
    return _catalogs[key]


# French puts a space that does not break before : ; ? ! and inside « »: without it, a line may
# start with the sign, away from its word. A narrow one before ; ? ! (the usual practice).
_NARROW_BEFORE = re.compile(r" (?=[;?!])")
_WIDE = ((" :", "\u00a0:"), ("« ", "«\u00a0"), (" »", "\u00a0»"))


def typeset_french(text: str) -> str:
    """``"Statut : à discuter ?"`` with the spaces French typography asks for, that no line
    break separates from their sign."""
    for plain, fixed in _WIDE:
        text = text.replace(plain, fixed)
    return _NARROW_BEFORE.sub("\u202f", text)


def set_language(language: str, *, typeset: bool = False) -> None:
    """Make ``language`` (``fr`` or ``en``) the language of every message from now on;
    ``typeset``: with its typography (on a screen)."""
    global _current, _current_language
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _current = catalog(language, typeset=typeset)
    _current_language = language


def current_language() -> str:
    """The language messages are given in now, in this thread."""
    language: str | None = getattr(_thread, "language", None)
    return language or _current_language


@contextlib.contextmanager
def in_language(code: str, *, typeset: bool = False) -> Iterator[None]:
    """Give messages in ``code`` inside the block, in this thread only; ``typeset``: with its
    typography (a document)."""
    if code not in LANGUAGES:
        code = DEFAULT_LANGUAGE
    previous = getattr(_thread, "language", None), getattr(_thread, "catalog", None)
    _thread.language, _thread.catalog = code, catalog(code, typeset=typeset)
    try:
        yield
    finally:
        _thread.language, _thread.catalog = previous


def _active() -> POTranslations:
    active: POTranslations | None = getattr(_thread, "catalog", None)
    return active or _current


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count ``n``."""
    return _active().ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 — the gettext name for "translate later"
    """Mark ``message`` for translation where it is used, not where it is written.

    Key descriptions are written when a class is defined, and commit messages before the
    notebook's language is in force; both go through ``_()`` when they are used.
    """
    return message


set_language(DEFAULT_LANGUAGE)
