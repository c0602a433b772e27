"""Search as you type, and the filters: kind, objective, status, tag, unread, to resolve, open
decisions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select

from store.i18n import _
from store.labels import kind_label, status_label
from store.model import KINDS, STATUSES
from store.notebook import EntryFilter, Notebook
from store.text import safe_line

# Typing waits this long for the next key before the list is filtered again.
SEARCH_DEBOUNCE = 0.15


class FilterBar(Vertical):
    """The search field and the filter choices; says what to show with ``FilterBar.Changed``."""

    @dataclass
    class Changed(Message):
        """The participant changed what to show."""

        filter_bar: FilterBar
        criteria: EntryFilter
        open_decisions: bool = False  # only the entries put to a decision still open

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    def __init__(
        self,
        notebook: Notebook,
        criteria: EntryFilter | None = None,
        *,
        open_decisions: bool = False,
        id: str | None = None,  # noqa: A002 — Textual's own parameter name
    ) -> None:
        super().__init__(id=id)
        self.notebook = notebook
        self.criteria = criteria or EntryFilter()
        # The store's filter knows nothing of decisions: the review screen sorts them out.
        self.open_decisions = open_decisions
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        c = self.criteria
        yield Input(
            value=c.search,
            placeholder=_("Search titles, texts and comments (accents do not matter)…"),
            compact=True,
            id="filter-search",
        )
        with Horizontal(id="filter-choices"):
            yield Select(
                [(kind_label(kind), kind) for kind in KINDS],
                prompt=_("Kind"),
                value=c.kind or Select.NULL,
                compact=True,
                id="filter-kind",
            )
            yield Select(
                [
                    (Text(f"{o.number}. {safe_line(o.title)}"), o.number)
                    for o in self.notebook.info.objectives
                ],
                prompt=_("Objective"),
                value=c.objective if c.objective is not None else Select.NULL,
                compact=True,
                id="filter-objective",
            )
            yield Select(
                [(status_label(status), status) for status in STATUSES],
                prompt=_("Status"),
                value=c.status or Select.NULL,
                compact=True,
                id="filter-status",
            )
            tags = self._tags()
            yield Select(
                [(Text("#" + safe_line(tag)), tag) for tag in tags],
                prompt=_("Tag"),
                value=c.tag if c.tag in tags else Select.NULL,
                compact=True,
                id="filter-tag",
            )
            yield Checkbox(_("Unread"), c.unread, compact=True, id="filter-unread")
            yield Checkbox(_("To resolve"), c.conflicts, compact=True, id="filter-conflicts")
            # The mark the list puts on them: a short label leaves the choices their room.
            yield Checkbox(_("⚖ open"), self.open_decisions, compact=True, id="filter-decisions")

    def _tags(self) -> list[str]:
        tags: set[str] = set()
        for entry in self.notebook.entries():
            tags.update(entry.tags)
        return sorted(tags, key=str.casefold)

    # --- handlers --------------------------------------------------------------------------

    @on(Input.Changed, "#filter-search")
    def _search_typed(self, event: Input.Changed) -> None:
        event.stop()
        self.criteria = self.criteria._replace(search=event.value)
        # Wait for a pause in typing: filtering 10,000 entries at each key is wasted work.
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self._announce)

    @on(Input.Submitted, "#filter-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._announce()
        # To the results: the arrows move in them, where the next field would take them.
        self.screen.focus_next("EntryList")

    @on(Select.Changed)
    def _choice_made(self, event: Select.Changed) -> None:
        event.stop()
        value: Any = None if event.value is Select.NULL else event.value
        field = {
            "filter-kind": "kind",
            "filter-objective": "objective",
            "filter-status": "status",
            "filter-tag": "tag",
        }[event.select.id or ""]
        self.criteria = self.criteria._replace(**{field: value})
        self._announce()

    @on(Checkbox.Changed)
    def _box_ticked(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "filter-unread":
            self.criteria = self.criteria._replace(unread=event.value)
        elif event.checkbox.id == "filter-decisions":
            self.open_decisions = event.value
        else:
            self.criteria = self.criteria._replace(conflicts=event.value)
        self._announce()

    def _announce(self) -> None:
        self._debounce = None
        self.post_message(self.Changed(self, self.criteria, self.open_decisions))

    # --- public ----------------------------------------------------------------------------

    # At once, not through Widget.focus(), which waits behind the keys already typed: « /outil »
    # typed in one go sent « outil » to the list, and its « u » marked an entry unread.
    def focus_search(self) -> None:
        """Put the cursor in the search field."""
        self.screen.set_focus(self.query_one("#filter-search", Input))

    def focus_choices(self) -> None:
        """Put the focus on the first filter choice."""
        self.screen.set_focus(self.query_one("#filter-kind", Select))

    def clear(self) -> None:
        """Show everything again (one ``Changed`` message, not one per field)."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#filter-search", Input).value = ""
            for select in self.query(Select):
                select.clear()
            for box in self.query(Checkbox):
                box.value = False
        self.criteria = EntryFilter()
        self.open_decisions = False
        self._announce()


def describe_filter(
    criteria: EntryFilter, notebook: Notebook, *, open_decisions: bool = False
) -> str:
    """The filter in force, in words, for the status bar ("" when everything is shown)."""
    parts: list[str] = []
    if criteria.search.strip():
        parts.append(_("“{text}”").format(text=safe_line(criteria.search.strip())))
    if criteria.kind:
        parts.append(kind_label(criteria.kind))
    if criteria.objective is not None:
        parts.append(_("objective {number}").format(number=criteria.objective))
    if criteria.status:
        parts.append(status_label(criteria.status))
    if criteria.tag:
        parts.append("#" + safe_line(criteria.tag))
    if criteria.unread:
        parts.append(_("unread"))
    if criteria.conflicts:
        parts.append(_("to resolve"))
    if open_decisions:
        parts.append(_("open decisions"))
    if not parts:
        return ""
    return _("filter: {filters} (escape clears)").format(filters=", ".join(parts))


def is_filtering(criteria: EntryFilter, *, open_decisions: bool = False) -> bool:
    """Whether ``criteria`` (or keeping only the open decisions) hides any entry."""
    return open_decisions or (
        criteria != EntryFilter()
        and criteria._replace(search=criteria.search.strip()) != EntryFilter()
    )
