"""The columns of the list of entries: which fit a width, how wide each is, their headers."""

from __future__ import annotations

from dataclasses import dataclass

from store.i18n import N_, _
from store.labels import status_label
from tui.views import EntryRows, RowMeasures, StanceCounts

MIN_TITLE_WIDTH = 12
# The room a title is given before the columns that only add to it (stances, activity): a
# title of a line's length shows whole at 120 columns; a longer one only where a wider
# terminal leaves that room once every column is there.
TITLE_WIDTH = 50
# A kind in a word, for the list; the entry view says it in full.
SHORT_KIND_LABELS = {
    "practice": N_("Practice"),
    "research": N_("Research"),
    "tool": N_("Tool"),
    "contact": N_("Contact"),
    "reflection": N_("Reflection"),
    "proposal": N_("Avenue"),
    "section": N_("Synthesis"),  # a part of the group's synthesis
}
# One sign per stance, the list's count of each: "✓2 ?1".
STANCE_SIGNS = {"agree": "✓", "question": "?", "disagree": "✗", "abstain": "○", "block": "⊘"}


@dataclass(frozen=True)
class Column:
    """One column of the list: its name, width (0: takes the room left) and alignment."""

    name: str
    width: int
    justify: str = "left"


# Left to right; the title takes the room the others leave.
COLUMN_ORDER = (
    "marker", "title", "kind", "stances", "activity", "author", "objectives", "status", "comments",
)  # fmt: skip
# The columns beside the title that the width may leave out, the most telling first (at 80
# columns a long title keeps its room, and the stances and activity go): the kind while the
# title keeps MIN_TITLE_WIDTH...
ESSENTIAL_COLUMNS = ("kind",)
# ...these while it keeps TITLE_WIDTH...
TELLING_COLUMNS = ("stances", "activity")
# ...these only where every title still shows whole.
EXTRA_COLUMNS = ("author", "objectives")
# A cell wider than this is cut.
MAX_WIDTHS = {"author": 14, "objectives": 6, "stances": 12, "status": 12, "comments": 4}


def _used(columns: list[Column]) -> int:
    """The cells taken by ``columns`` but the title, each with the space after it."""
    return sum(column.width + 1 for column in columns if column.name != "title")


def stance_signs(stances: StanceCounts) -> str:
    """ "✓2 ?1": how many took each stance on the entry (``EntryRow.stances``)."""
    return " ".join(f"{STANCE_SIGNS[stance]}{count}" for stance, count in stances)


def short_kind_label(kind: str) -> str:
    """``practice`` → "Pratique"."""
    return _(SHORT_KIND_LABELS[kind]) if kind in SHORT_KIND_LABELS else kind


def column_labels() -> dict[str, str]:
    """Each column's header."""
    return {
        "marker": "",
        "title": _("Title"),
        "kind": _("Kind"),
        "activity": _("Activity"),
        "stances": _("Views"),
        "author": _("Author"),
        "objectives": _("Obj."),
        "status": _("Status"),
        "comments": _("Com."),
    }


def fitted_widths(measures: RowMeasures) -> dict[str, int]:
    """How wide each column needs to be for the rows ``measures`` tells of, up to its widest."""
    statuses = {status_label(status) for status in measures.statuses}
    if measures.conflicts:
        statuses.add("⚠ " + _("to resolve"))
    cells = {
        "marker": [2],
        "title": [measures.title],
        "kind": [len(short_kind_label(kind)) for kind in measures.kinds],
        "stances": [measures.stances],
        "activity": [10],
        "author": [len(author) for author in measures.authors],
        "objectives": [measures.objectives * 2 - 1],
        "status": [len(status) for status in statuses],
        "comments": [len(str(measures.comments))],
    }
    labels = column_labels()
    return {
        name: min(max([len(labels[name]), *cells[name]]), MAX_WIDTHS.get(name, 1000))
        for name in COLUMN_ORDER
    }


def row_measures(rows: EntryRows) -> RowMeasures:
    """What ``fitted_widths`` needs of ``rows``."""
    return rows.measures(lambda stances: len(stance_signs(stances)), MAX_WIDTHS["stances"])


def layout(width: int, fitted: dict[str, int]) -> list[Column]:
    """The columns that fit in ``width`` cells: the kind, then the title as long as it
    needs up to ``TITLE_WIDTH``, then the others in the order they help; the title takes
    what is left. Each column is only as wide as ``fitted`` says (see ``fitted_widths``)."""
    wanted = min(fitted["title"], TITLE_WIDTH)
    columns = [Column(name, fitted[name]) for name in ("marker", "title", "status")]
    columns.append(Column("comments", fitted["comments"], "right"))
    rooms = {name: MIN_TITLE_WIDTH for name in ESSENTIAL_COLUMNS}
    rooms.update({name: wanted for name in TELLING_COLUMNS})
    rooms.update({name: fitted["title"] for name in EXTRA_COLUMNS})
    for name, title_room in rooms.items():
        # The column with the space after it, and the title's own space.
        title_left = width - _used(columns) - (fitted[name] + 1) - 1
        if title_left >= max(title_room, MIN_TITLE_WIDTH):
            columns.append(Column(name, fitted[name]))
    columns.sort(key=lambda column: COLUMN_ORDER.index(column.name))
    title_width = max(width - _used(columns) - 1, 4)
    return [
        Column(c.name, title_width if c.name == "title" else c.width, c.justify) for c in columns
    ]
