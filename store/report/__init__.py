"""The synthesis report (``carnet export``): one document model, rendered as Markdown or HTML.

``content`` gathers what the report holds into the plain objects of ``model``; ``markdown``
and ``html`` write them out (the page's skeleton and style are the files in ``templates/``);
``safety`` is the one place where participant text is escaped and links are checked.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from store.errors import InvalidInputError, NotFoundError, disk_error
from store.i18n import _, in_language, typeset_french
from store.notebook import EntryFilter, Notebook
from store.report.content import build_report, copy_name
from store.report.html import render_html
from store.report.markdown import render_markdown
from store.report.model import Report

WRITERS: dict[str, Callable[[Report], str]] = {"md": render_markdown, "html": render_html}
FORMATS = tuple(WRITERS)


def render(
    notebook: Notebook,
    *,
    fmt: str = "md",
    criteria: EntryFilter | None = None,
    since: str | None = None,
    include_all: bool = False,
    attachments_to: Path | None = None,
) -> str:
    """The synthesis report of a notebook, in the notebook's language.

    Args:
        notebook: the notebook to report on.
        fmt: ``md`` (Markdown) or ``html`` (one self-contained page, printable).
        criteria: which entries to include, as for ``carnet list``.
        since: an ISO date ``YYYY-MM-DD``: only entries created or updated on or after it
            (in the local time zone).
        include_all: include archived and deleted entries too.
        attachments_to: a folder beside the report: the attachments of its entries are
            copied there, and the report links to the copies.

    Returns:
        The report text. The same notebook gives the same bytes.

    Raises:
        InvalidInputError: an unknown format or a malformed date.
    """
    if fmt not in FORMATS:
        raise InvalidInputError(
            _("unknown format “{value}”: choose one of {choices}").format(
                value=fmt, choices=", ".join(FORMATS)
            )
        )
    since_date = _parse_since(since)
    # The report speaks the notebook's language, whatever the screen's, in this thread only.
    language = notebook.info.language
    with in_language(language):
        report = build_report(
            notebook, criteria=criteria, since=since_date, include_all=include_all,
            attachments_folder=attachments_to.name if attachments_to is not None else None,
        )  # fmt: skip
        text = WRITERS[fmt](report)
    if attachments_to is not None:
        _copy_attachments(notebook, [e.id for e in report.entries()], attachments_to)
    return typeset_document(text) if language == "fr" else text


# A page's style sheet is code, not prose: ``a :hover`` or ``red !important`` stop working
# with a non-breaking space before the sign.
_STYLE = re.compile(r"(<style\b.*?</style>)", re.DOTALL | re.IGNORECASE)


def typeset_document(text: str) -> str:
    """A document in French with its typography throughout, in the participants' text too (no
    « , : or ? starts a line of the printed page, away from its word), its style sheet left as
    it is."""
    # split() with one group: the style sheets at the odd places.
    parts = _STYLE.split(text)
    return "".join(part if at % 2 else typeset_french(part) for at, part in enumerate(parts))


def _copy_attachments(notebook: Notebook, entry_ids: list[str], folder: Path) -> None:
    """Copy the attachments of the report's entries into ``folder``, as the report names them
    (one that has not arrived by sync yet is left out)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(exc, folder) from exc
    for entry_id in entry_ids:
        for attachment in notebook.attachments(entry_id):
            target = folder / copy_name(attachment)
            if not target.exists():
                with contextlib.suppress(NotFoundError):
                    notebook.save_attachment(entry_id, attachment.sha256, target)


def _parse_since(since: str | None) -> date | None:
    if since is None or not since.strip():
        return None
    try:
        return date.fromisoformat(since.strip())
    except ValueError:
        raise InvalidInputError(
            _("“{value}” is not a date: write it as YYYY-MM-DD, for example 2026-11-27").format(
                value=since
            )
        ) from None


__all__ = ["FORMATS", "Report", "build_report", "render", "render_html", "render_markdown"]
