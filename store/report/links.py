"""Links between entries in the report: ``[[Titre]]`` and ``[[#ABCD]]`` (``store/links.py``)
become links inside the document to the entry written out, or plain text when it is not.

HTML links to the entry's anchor (``#e-ID``). Markdown has no anchors of its own: it links to
the one viewers (GitHub, GitLab, pandoc) give the entry's heading, its title made a slug. A
link to an entry left out of the report is its title as text; to an unknown or deleted one,
what it said, then « entrée introuvable ». Nothing here lets a participant write a link: the
only address ever made is ``#`` and an anchor made of an id or a slug.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from store.i18n import _
from store.notebook import Notebook
from store.report.model import ReportLink
from store.report.safety import escape, md_text
from store.text import safe_line

_NOT_SLUG = re.compile(r"[^\w\- ]")


def report_links(
    notebook: Notebook, texts: Iterable[str], included: Collection[str]
) -> tuple[ReportLink, ...]:
    """The links of ``texts`` (an entry's body and comments), once each by what they say."""
    found: dict[str, ReportLink] = {}
    for text in texts:
        for link in notebook.links(text):
            if link.text in found:
                continue
            if link.target is None:
                found[link.text] = ReportLink(link.text, safe_line(link.text), None, False)
                continue
            entry = notebook.entry(link.target)
            shown = link.target if link.target in included else None
            found[link.text] = ReportLink(
                link.text, safe_line(entry.title), shown, not entry.deleted
            )
    return tuple(found.values())


def markdown_anchor(title: str) -> str:
    """The anchor Markdown viewers give a heading: its words in lower case, joined by ``-``."""
    return _NOT_SLUG.sub("", safe_line(title).strip().lower()).replace(" ", "-")


def md_linked_body(body: str, links: Iterable[ReportLink]) -> str:
    """An entry's Markdown body with its links made Markdown links to the entries' headings."""
    return _replace(body, links, lambda said: said, _md_link)


def md_linked_lines(lines: list[str], links: Iterable[ReportLink]) -> list[str]:
    """Comment lines already escaped (``md_paragraphs``) with their links made links."""
    chosen = tuple(links)
    return [_replace(line, chosen, _md_escaped, _md_link) for line in lines]


def html_linked_text(escaped: str, links: Iterable[ReportLink]) -> str:
    """Escaped HTML text (a comment) with its links made links to the entries' anchors."""
    return _replace(escaped, links, escape, _html_link)


def html_linked_body(body: str, links: Iterable[ReportLink]) -> str:
    """An entry's Markdown body with its links made Markdown links to the HTML anchors."""
    return _replace(body, links, lambda said: said, _md_link_to_html_anchor)


def _replace(
    text: str,
    links: Iterable[ReportLink],
    written: Callable[[str], str],
    link: Callable[[ReportLink], str],
) -> str:
    """``text`` with each ``[[said]]`` (as ``written`` writes it in ``text``) replaced."""
    if "[" not in text:  # escaped or not, a link holds one
        return text
    for item in links:
        text = text.replace(written("[[" + item.said + "]]"), link(item))
    return text


def _md_escaped(text: str) -> str:
    # As md_text escapes inside a line; its rule for the start of a line does not apply here.
    return md_text("x" + text)[1:]


def _md_link(link: ReportLink) -> str:
    if link.target is not None:
        return f"[{md_text(link.title)}](#{markdown_anchor(link.title)})"
    return _plain(link, md_text)


def _md_link_to_html_anchor(link: ReportLink) -> str:
    if link.target is not None:
        return f"[{md_text(link.title)}](#e-{link.target})"
    return _plain(link, md_text)


def _html_link(link: ReportLink) -> str:
    if link.target is not None:
        return f'<a href="#e-{escape(link.target)}">{escape(link.title)}</a>'
    return _plain(link, escape)


def _plain(link: ReportLink, written: Callable[[str], str]) -> str:
    if link.found:
        return written(link.title)
    return written(f"{link.said} ({_('entry not found')})")
