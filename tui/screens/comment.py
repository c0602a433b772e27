"""Write a comment on an entry, or a reply to one of its comments; saving is one commit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static, TextArea

from store import Comment, Notebook
from store.display import local_time, participant_name, participant_names
from store.errors import NotFoundError
from store.i18n import N_, _
from store.text import safe_line, safe_text
from tui.messages import ActionAsked
from tui.screens.bindings import TranslatedKeys
from tui.screens.dialog import Dialog
from tui.screens.editor import markdown_language
from tui.screens.writing import ClosesWhenSaved
from tui.widgets.mention_area import MentionArea

# The comment replied to is shown for context; a very long one is cut rather than rendered whole.
QUOTE_LIMIT = 4000


def quote(body: str) -> str:
    """The first ``QUOTE_LIMIT`` characters of a comment, made safe to show."""
    text = safe_text(body)
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + " […]"


class CommentScreen(TranslatedKeys, ClosesWhenSaved, Dialog[Comment | None]):
    """Comment on ``entry_id`` (or reply to the comment ``reply_to``, or change the text of
    one's own comment ``editing``); dismiss with it or None.

    Raises (on construction):
        NotFoundError: no such entry, or no such comment on it.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Send"), id="comment.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="comment.cancel"),
    ]
    DISCARD_QUESTION = N_("Discard this comment?")

    DEFAULT_CSS = """
    CommentScreen > #dialog {
        width: 100%;
        max-width: 110;
        height: 100%;
        max-height: 36;
        margin: 1 2;
        padding: 0 1;
        border: round $primary;
        border-title-style: bold;
    }
    CommentScreen #entry-title {
        height: auto;
        max-height: 2;
        color: $text-muted;
        margin-bottom: 1;
    }
    CommentScreen #parent {
        height: auto;
        max-height: 40%;
        margin-bottom: 1;
        padding: 0 1;
        border-left: outer $secondary;
        background: $boost;
    }
    CommentScreen #parent-author {
        text-style: bold;
    }
    CommentScreen #body {
        height: 1fr;
        min-height: 3;
    }
    CommentScreen #error {
        display: none;
        height: auto;
        color: $text-error;
        background: $error-muted;
    }
    CommentScreen #error.-shown {
        display: block;
    }
    """

    def __init__(
        self,
        notebook: Notebook,
        entry_id: str,
        reply_to: str | None = None,
        *,
        editing: str | None = None,
    ) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry = notebook.entry(entry_id)
        self.editing: Comment | None = None
        if editing is not None:
            self.editing = notebook.comment(editing)
            if self.editing.entry != self.entry.id:
                raise NotFoundError(_("That comment is not on this entry."))
        self.replying_to: Comment | None = None
        if reply_to is not None:
            parent_id = notebook.resolve_comment_id(reply_to)
            self.replying_to = next(
                (c for c in notebook.comments(self.entry.id) if c.id == parent_id), None
            )
            if self.replying_to is None:
                raise NotFoundError(_("That comment is not on this entry."))
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = (
                _("Edit my comment")
                if self.editing is not None
                else _("Reply")
                if self.replying_to is not None
                else _("Comment")
            )
            yield Static(
                Content(_("On: {title}").format(title=safe_line(self.entry.title))),
                id="entry-title",
            )
            if self.replying_to is not None:
                with VerticalScroll(id="parent"):
                    yield Static(
                        Content(
                            _("{name} wrote on {date}:").format(
                                name=participant_name(
                                    participant_names(self.notebook.participants()),
                                    self.replying_to.author,
                                ),
                                date=local_time(self.replying_to.created),
                            )
                        ),
                        id="parent-author",
                    )
                    yield Static(Content(quote(self.replying_to.body)), id="parent-body")
            yield MentionArea(
                self.editing.body if self.editing is not None else "",
                language=markdown_language(), soft_wrap=True, id="body",
                participants=self.notebook.participants(), entries=self.notebook.entries(),
            )  # fmt: skip
            yield Static(id="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()

    @property
    def changed(self) -> bool:
        """Whether something was written that leaving would throw away."""
        text = self.query_one("#body", TextArea).text
        if self.editing is not None:
            return text != self.editing.body
        return bool(text.strip())

    # --- saving ------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Send the comment: one commit."""
        if self._saving:
            return
        self._saving = True
        self.show_error("")
        body = self.query_one("#body", TextArea).text
        parent = self.replying_to.id if self.replying_to is not None else None
        entry_id = self.entry.id
        if self.editing is not None:
            comment_id = self.editing.id
            self.post_message(
                ActionAsked(
                    lambda: self.notebook.edit_comment(comment_id, body),
                    _("Comment changed"),
                    entry_id,
                    self,
                )
            )
            return
        self.post_message(
            ActionAsked(
                lambda: self.notebook.add_comment(entry_id, body, parent=parent),
                _("Comment saved"),
                entry_id,
                self,
            )
        )
