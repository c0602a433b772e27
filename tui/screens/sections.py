"""The group's synthesis: its sections listed, each one's text shown, and written in a dialog."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from store import Entry, Notebook
from store.display import participant_name, participant_names
from store.i18n import N_, _
from store.sections import section_title
from store.text import safe_line, safe_text
from tui.messages import ActionAsked
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog
from tui.screens.editor import markdown_language
from tui.screens.failures import ReportsFailures
from tui.screens.writing import ClosesWhenSaved


def dialog_box(screen: str, width: int, height: int) -> str:
    """The style of a screen's box: the whole terminal, up to ``width`` by ``height``."""
    return f"""
    {screen} > #dialog {{
        width: 100%; max-width: {width}; height: 100%; max-height: {height};
        margin: 1 2; padding: 0 1; border: round $primary; border-title-style: bold;
    }}
    """


class SectionsScreen(TranslatedKeys, ReportsFailures, Dialog[None]):
    """« La synthèse du groupe »: the introduction, each objective's "what we take away" and
    the conclusion, in the report's order; ``e`` writes the one under the cursor."""

    BINDINGS = [
        Binding("e,enter", "edit", N_("Write"), id="sections.edit"),
        Binding("escape,q", "close", N_("Close"), id="sections.close"),
    ]

    DEFAULT_CSS = (
        dialog_box("SectionsScreen", 130, 40)
        + """
    SectionsScreen #names {
        width: 42;
        height: 1fr;
    }
    SectionsScreen #reading {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }
    SectionsScreen #about {
        color: $text-muted;
        margin-bottom: 1;
    }
    """
    )

    def __init__(self, notebook: Notebook) -> None:
        super().__init__()
        self.notebook = notebook
        self.names = notebook.section_names()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("The group's synthesis")
            with Horizontal():
                yield OptionList(*self._options(), id="names")
                with VerticalScroll(id="reading"):
                    yield Static(id="about")
                    yield Static(id="text")
        yield Footer()

    def on_mount(self) -> None:
        names = self.query_one("#names", OptionList)
        names.highlighted = 0
        names.focus()
        self._show(self.names[0])

    def _options(self) -> list[Option]:
        options = []
        for name in self.names:
            section = self.notebook.section(name)
            title = safe_line(section.title) if section is not None else section_title(name)
            if section is None:
                title += " — " + _("not written yet")
            elif section.conflicts:
                title += " — " + _("to resolve")
            options.append(Option(Content(title), id=name))
        return options

    @property
    def current(self) -> str:
        """The name of the section under the cursor."""
        highlighted = self.query_one("#names", OptionList).highlighted
        return self.names[highlighted or 0]

    @on(OptionList.OptionHighlighted, "#names")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show(event.option.id)

    @on(OptionList.OptionSelected, "#names")
    def _selected(self) -> None:
        self.action_edit()

    def _show(self, name: str) -> None:
        section = self.notebook.section(name)
        about = self.query_one("#about", Static)
        text = self.query_one("#text", Static)
        if section is None:
            about.update(Content(_("Nobody has written this section yet: e to write it.")))
            text.update("")
            return
        names = participant_names(self.notebook.participants())
        about.update(
            Content(_("changed by {name}").format(name=participant_name(names, section.updated_by)))
        )
        text.update(Content(safe_text(section.body)))

    def action_edit(self) -> None:
        """Write the section under the cursor."""
        name = self.current

        def written(entry: Entry | None) -> None:
            if entry is not None:
                self.refresh_sections()

        self.app.push_screen(SectionEditor(self.notebook, name), written)

    def refresh_sections(self) -> None:
        """Show the sections as they are now (after a save or a sync)."""
        names = self.query_one("#names", OptionList)
        highlighted = names.highlighted
        names.clear_options()
        names.add_options(self._options())
        names.highlighted = highlighted
        self._show(self.current)

    def action_close(self) -> None:
        self.dismiss(None)


class SectionEditor(TranslatedKeys, ClosesWhenSaved, Dialog[Entry | None]):
    """Write one section's text; saving merges it like an entry's edit: one commit."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="section.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="section.cancel"),
    ]
    DISCARD_QUESTION = N_("Discard the changes to this section?")

    DEFAULT_CSS = (
        dialog_box("SectionEditor", 110, 36)
        + """
    SectionEditor #body {
        height: 1fr;
        min-height: 3;
    }
    SectionEditor #error {
        display: none;
        height: auto;
        color: $text-error;
        background: $error-muted;
    }
    SectionEditor #error.-shown {
        display: block;
    }
    """
    )

    def __init__(self, notebook: Notebook, name: str) -> None:
        super().__init__()
        self.notebook = notebook
        self.section_name = name
        # The version this edit starts from: saving merges onto what others saved meanwhile.
        self.base = notebook.section(name)
        self.start = self.base.body if self.base is not None else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            section = self.base
            title = safe_line(section.title) if section else section_title(self.section_name)
            dialog.border_title = title
            yield TextArea(self.start, language=markdown_language(), soft_wrap=True, id="body")
            yield Static(id="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()

    @property
    def changed(self) -> bool:
        """Whether the text differs from the one the edit started from."""
        return self.query_one("#body", TextArea).text != self.start

    def action_save(self) -> None:
        """Save the section's text: one commit."""
        if self._saving:
            return
        self._saving = True
        self.show_error("")
        body = self.query_one("#body", TextArea).text
        name, base = self.section_name, self.base
        self.post_message(
            ActionAsked(
                lambda: self.notebook.edit_section(name, body, base=base),
                _("Section saved"),
                base.id if base is not None else None,
                self,
            )
        )
