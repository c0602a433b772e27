"""The links of an entry and to it, as the entry view shows them: where each leads, or that
its entry is not there (« entrée introuvable »)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from store.i18n import _
from store.notebook import Notebook
from store.text import safe_line


@dataclass(frozen=True)
class LinkLine:
    """An entry linked to, or from: its title and short id, or that it is not there."""

    said: str  # what the link says between its brackets (for a link found in a text)
    target: str | None  # the entry's id; None when no entry has that title or id
    title: str
    short_id: str
    found: bool  # False for an unknown or deleted entry: « entrée introuvable »


@dataclass(frozen=True)
class LinkDetails:
    """The entry's links (in its body and comments) and its backlinks (« cité par »)."""

    links: tuple[LinkLine, ...]
    cited_by: tuple[LinkLine, ...]

    @property
    def followed(self) -> tuple[LinkLine, ...]:
        """The lines that lead somewhere, links first, once each."""
        seen: set[str] = set()
        lines = []
        for line in (*self.links, *self.cited_by):
            if line.found and line.target is not None and line.target not in seen:
                seen.add(line.target)
                lines.append(line)
        return tuple(lines)


def link_details(notebook: Notebook, entry_id: str) -> LinkDetails:
    """What the entry view shows of the links of ``entry_id`` and to it."""
    entry = notebook.entry(entry_id)
    texts = [entry.body, *(c.body for c in notebook.comments(entry.id) if not c.deleted)]
    links: list[LinkLine] = []
    for text in texts:
        for link in notebook.links(text):
            if link.target == entry.id:
                continue
            line = _link_line(notebook, link.text, link.target)
            if all((line.target, line.said) != (known.target, known.said) for known in links):
                links.append(line)
    cited_by = tuple(_link_line(notebook, "", other) for other in notebook.cited_by(entry.id))
    return LinkDetails(tuple(links), cited_by)


def _link_line(notebook: Notebook, said: str, target: str | None) -> LinkLine:
    if target is None:
        return LinkLine(said, None, said, "", found=False)
    entry = notebook.entry(target)
    return LinkLine(said, target, entry.title, notebook.short_id(target), not entry.deleted)


def link_text(line: LinkLine) -> Text:
    """One link: where it leads (underlined), or that its entry is not there."""
    text = Text("→ ")
    if line.found:
        text.append(safe_line(line.title), style="underline")
        text.append(f" · #{line.short_id}", style="dim")
    else:
        text.append(safe_line(f"[[{line.said}]]" if line.said else line.title), style="dim")
        text.append(" — " + _("entry not found"), style="dim italic")
    return text
