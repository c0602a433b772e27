"""The entry editor: write a new entry or change one; saving is one commit."""

from __future__ import annotations

from textual import events, on
from textual._tree_sitter import get_language
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from store import Entry, Notebook
from store.display import participant_name, participant_names
from store.errors import NotFoundError
from store.i18n import N_, _
from store.text import safe_line, safe_text
from tui.messages import ActionAsked, ActionDone, NotebookChanged, WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.entry_form import EntryForm, choices, form_label, kind_choices
from tui.screens.writing import WritingScreen
from tui.widgets.mention_area import MentionArea

# Where a letter typed in a list goes: the next field one writes in.
TYPED_ON_TO = {"kind": "title", "objectives": "tags"}
# Below this height the fields lose their borders so that the text keeps room to breathe.
COMPACT_HEIGHT = 32


def markdown_language() -> str | None:
    """``"markdown"`` when this Textual can highlight it (tree-sitter installed), else None."""
    try:
        return "markdown" if get_language("markdown") is not None else None
    except Exception:  # an optional nicety: any trouble loading a grammar means plain text
        return None


class EntryEditor(TranslatedKeys, WritingScreen, Screen[Entry | None]):
    """Write a new entry (``entry_id`` None) or edit one; dismiss with the saved entry or None.

    Raises (on construction):
        NotFoundError: ``entry_id`` names no entry.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="editor.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="editor.cancel"),
    ]
    DISCARD_QUESTION = N_("Discard the changes?")

    DEFAULT_CSS = """
    EntryEditor {
        layout: vertical;
    }
    EntryEditor #heading {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    EntryEditor #changed-meanwhile {
        display: none;
        height: auto;
        padding: 0 1;
        color: $text-warning;
        background: $warning-muted;
    }
    EntryEditor #changed-meanwhile.-shown {
        display: block;
    }
    EntryEditor #form {
        height: 1fr;
        padding: 0 1;
    }
    EntryEditor .row {
        height: auto;
    }
    EntryEditor .field-label {
        width: 12;
        height: 3;
        padding: 1 1 0 0;
        text-align: right;
        color: $text-muted;
    }
    EntryEditor #kind, EntryEditor #status {
        width: 1fr;
    }
    EntryEditor #status-label {
        width: 10;
    }
    EntryEditor #title, EntryEditor #tags {
        width: 1fr;
    }
    EntryEditor #objectives {
        width: 1fr;
        height: auto;
        max-height: 8;
    }
    EntryEditor #body-row {
        height: 1fr;
        min-height: 4;
    }
    EntryEditor #body {
        width: 1fr;
        height: 1fr;
    }
    EntryEditor #error {
        display: none;
        height: auto;
        padding: 0 1;
        color: $text-error;
        background: $error-muted;
    }
    EntryEditor #error.-shown {
        display: block;
    }
    EntryEditor.-compact .field-label {
        height: 1;
        padding: 0 1 0 0;
    }
    EntryEditor.-compact .row {
        margin-bottom: 1;
    }
    EntryEditor.-compact #body-row {
        margin-bottom: 0;
    }
    EntryEditor.-compact #objectives {
        max-height: 5;
    }
    """

    def __init__(self, notebook: Notebook, entry_id: str | None = None) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry: Entry | None = notebook.entry(entry_id) if entry_id is not None else None
        self._initial: EntryForm | None = None
        self._saving = False

    def compose(self) -> ComposeResult:
        entry = self.entry
        if entry is None:
            heading = Content(_("New entry"))
        else:
            heading = Content(_("Edit the entry: {title}").format(title=safe_text(entry.title)))
        yield Static(heading, id="heading")
        yield Static(id="changed-meanwhile")
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Static(form_label("kind"), classes="field-label")
                yield Select(
                    kind_choices(entry),
                    prompt=_("Choose a kind"),
                    value=entry.kind if entry is not None else Select.NULL,
                    id="kind",
                )
                if entry is not None:
                    yield Static(form_label("status"), classes="field-label", id="status-label")
                    yield Select(
                        choices("status"),
                        allow_blank=False,
                        value=entry.status,
                        id="status",
                    )
            with Horizontal(classes="row"):
                yield Static(form_label("title"), classes="field-label")
                yield Input(
                    safe_text(entry.title) if entry is not None else "",
                    placeholder=_("A short title that says what this is about"),
                    # Selected, the title would go at the next key typed after a tab.
                    select_on_focus=False,
                    id="title",
                )
            with Horizontal(classes="row"):
                yield Static(form_label("objectives"), classes="field-label")
                chosen = set(entry.objectives) if entry is not None else set()
                yield SelectionList[int](
                    *(
                        Selection(
                            Content(f"{objective.number}. {safe_text(objective.title)}"),
                            objective.number,
                            objective.number in chosen,
                        )
                        for objective in self.notebook.info.objectives
                    ),
                    id="objectives",
                )
            with Horizontal(classes="row"):
                yield Static(form_label("tags"), classes="field-label")
                yield Input(
                    safe_text(", ".join(entry.tags)) if entry is not None else "",
                    placeholder=_("Words separated by commas"),
                    select_on_focus=False,
                    id="tags",
                )
            with Horizontal(classes="row", id="body-row"):
                yield Static(form_label("body"), classes="field-label")
                yield MentionArea(
                    safe_text(entry.body) if entry is not None else "",
                    language=markdown_language(),
                    soft_wrap=True,
                    id="body",
                    participants=self.notebook.participants(),
                    entries=[
                        e for e in self.notebook.entries() if entry is None or e.id != entry.id
                    ],
                )
        yield Static(id="error")
        yield Footer()

    def on_mount(self) -> None:
        self._initial = self.form()
        # A new entry starts with its kind, the first field; a change, with its text.
        self.query_one("#kind" if self.entry is None else "#body").focus()

    def on_key(self, event: events.Key) -> None:
        """Text typed in a list is not lost: in the objectives a number ticks that objective;
        other letters go to the next field one writes in (the title after the kind, the tags
        after the objectives)."""
        character = event.character
        focused = self.focused
        if focused is None or focused.id not in TYPED_ON_TO or not event.is_printable:
            return
        if not character or character == " ":
            return  # the list's own key: open it, or tick the objective under the cursor
        if isinstance(focused, Select) and focused.expanded:
            return
        event.stop()
        event.prevent_default()
        if isinstance(focused, SelectionList) and character.isdigit():
            number = int(character)
            if any(objective.number == number for objective in self.notebook.info.objectives):
                focused.toggle(number)
            return
        field = self.query_one(f"#{TYPED_ON_TO[focused.id]}", Input)
        field.focus()
        field.insert_text_at_cursor(character)

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.height < COMPACT_HEIGHT
        self.set_class(compact, "-compact")
        for widget in self.query("Input, Select, SelectionList, TextArea"):
            widget.compact = compact  # type: ignore[attr-defined]

    # --- the form --------------------------------------------------------------------------

    def form(self) -> EntryForm:
        """What the fields hold now."""
        kind = self.query_one("#kind", Select).value
        status: str | None = None
        if self.entry is not None:
            status_value = self.query_one("#status", Select).value
            status = status_value if isinstance(status_value, str) else None
        return EntryForm(
            kind=kind if isinstance(kind, str) else None,
            title=self.query_one("#title", Input).value.strip(),
            objectives=tuple(sorted(self.query_one("#objectives", SelectionList).selected)),
            tags=EntryForm.split_tags(self.query_one("#tags", Input).value),
            status=status,
            body=self.query_one("#body", TextArea).text,
        )

    @property
    def changed(self) -> bool:
        """Whether the participant changed anything since the editor opened."""
        return self._initial is not None and self.form() != self._initial

    # --- changes from the others -----------------------------------------------------------

    @on(NotebookChanged)
    def _notebook_changed(self) -> None:
        self.check_changed_meanwhile()

    def check_changed_meanwhile(self) -> None:
        """Say in the editor if the entry changed since it opened (a sync brought a change).

        Nothing is reloaded under the writer's cursor: saving merges their changes onto the
        new version, so this only tells them what saving will do.
        """
        if self.entry is None:
            return
        try:
            current = self.notebook.entry(self.entry.id)
        except NotFoundError:
            return  # its file became unreadable: saving will say so
        if current == self.entry:
            return
        who = participant_name(participant_names(self.notebook.participants()), current.updated_by)
        notice = self.query_one("#changed-meanwhile", Static)
        notice.update(
            Content(
                _(
                    "{name} changed this entry while you were editing it. Saving keeps their "
                    "changes and adds yours; where you both changed the same lines, yours are "
                    "kept and theirs wait among the conflicts (x)."
                ).format(name=who)
            )
        )
        notice.add_class("-shown")

    # --- saving ------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the entry: one commit."""
        if self._saving:
            return
        form = self.form()
        if form.kind is None:
            self.show_error(_("Choose the kind of entry first."))
            self.query_one("#kind", Select).focus()
            return
        self._saving = True
        self.show_error("")
        if self.entry is None:
            notice = _("Entry saved: {title}").format(title=safe_line(form.title))
        else:
            notice = _("Changes saved")
        entry_id = self.entry.id if self.entry is not None else None
        self.post_message(ActionAsked(lambda: self._write(form), notice, entry_id, self))

    def _write(self, form: EntryForm) -> Entry:
        # Run by the app's action runner, in its thread: git and the file lock may take a
        # moment, and the screen stays responsive meanwhile.
        if self.entry is None:
            assert form.kind is not None
            return self.notebook.add_entry(
                form.kind, form.title, form.body, objectives=form.objectives, tags=form.tags
            )
        return self._save_changes(self.entry, form)

    def _save_changes(self, entry: Entry, form: EntryForm) -> Entry:
        # Only the fields the participant touched are sent, as changes to the version the
        # editor opened: the store merges them onto the current one (a sync may have
        # brought someone else's changes meanwhile), so nothing of theirs is written over.
        initial = self._initial or form
        return self.notebook.edit_entry(entry.id, base=entry, **form.changes(initial))

    @on(ActionDone)
    def _saved(self, message: ActionDone) -> None:
        self._saving = False
        saved: Entry = message.result
        if self.entry is not None and any(
            conflict not in self.entry.conflicts for conflict in saved.conflicts
        ):
            self.app.notify(
                _(
                    "Your changes met someone else's on the same lines: yours are kept, "
                    "the other version waits among the conflicts (x)."
                ),
                severity="warning",
                timeout=8,
                markup=False,
            )
        self.dismiss(saved)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._saving = False
        self.show_error(message.reason)
