"""What a participant does from the review screen: read, mark, take a stance, write, resolve.

Each change is asked of the app's one action runner (``ActionAsked``); the screen draws the
entry again when the runner says it is saved (``ActionDone``) and tells a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work

from store.display import local_time, participant_name, participant_names
from store.i18n import _
from store.labels import stance_label, status_label
from store.model import STATUSES, Comment, Entry
from store.notebook import EntryFilter, Notebook, ThreadItem
from store.text import safe_line
from tui.messages import ActionAsked, ActionDone, WorkFailed
from tui.mixins import ScreenMixin
from tui.screens.attachments import AttachmentsScreen
from tui.screens.choice import ChoiceScreen
from tui.screens.comment import CommentScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.conflicts import ConflictsScreen
from tui.screens.decision_dialogs import CloseDecisionScreen, OpenDecisionScreen
from tui.screens.decisions import decisions_screen
from tui.screens.editor import EntryEditor
from tui.screens.export import ExportScreen
from tui.screens.history import HistoryScreen
from tui.widgets.entry_links import LinkDetails, link_details, link_text
from tui.widgets.entry_view import EntryView


class ParticipantActions(ScreenMixin):
    """Mixin for the review screen: its ``action_*`` for everything a participant changes."""

    notebook: Notebook
    criteria: EntryFilter

    @property
    def current_id(self) -> str | None:
        raise NotImplementedError

    def entry_changed(self, entry_id: str | None) -> None:
        raise NotImplementedError

    def reload_entries(self, *, select: str | None = None) -> None:
        raise NotImplementedError

    def go_to(self, entry_id: str) -> None:
        raise NotImplementedError

    def follow(self, entry_id: str) -> None:
        raise NotImplementedError

    # --- the runner's answers --------------------------------------------------------------

    def _act(self, run: Callable[[], Any], entry_id: str, notice: str) -> None:
        self.post_message(ActionAsked(run, notice, entry_id, requester=self))

    def on_action_done(self, done: ActionDone) -> None:
        self.entry_changed(done.asked.entry_id)

    def on_work_failed(self, failed: WorkFailed) -> None:
        self.notify(failed.reason, title=_("Not saved"), severity="error", markup=False)

    # --- reading ---------------------------------------------------------------------------

    def action_open(self) -> None:
        """Read the entry: it is marked read (the text beside the list shows it in full)."""
        entry_id = self.current_id
        if entry_id is None:
            return
        if self.notebook.is_unread(entry_id):
            title = safe_line(self.notebook.entry(entry_id).title)
            notice = _("Marked as read: {title}").format(title=title)
            self._act(lambda: self.notebook.mark_read(entry_id), entry_id, notice)

    def action_toggle_unread(self) -> None:
        """Mark the entry unread, or read."""
        entry_id = self.current_id
        if entry_id is None:
            return
        if self.notebook.is_unread(entry_id):
            self._act(lambda: self.notebook.mark_read(entry_id), entry_id, _("Marked as read"))
        else:
            self._act(lambda: self.notebook.mark_unread(entry_id), entry_id, _("Marked as unread"))

    def action_stance(self, stance: str) -> None:
        """Say you agree, have a question or disagree; the same key again withdraws it."""
        entry_id = self.current_id
        if entry_id is None:
            return
        review = self.notebook.review(entry_id)
        chosen: str | None = stance or None
        if review is not None and review.stance == chosen:
            chosen = None
        if chosen is None:
            notice = _("Stance withdrawn")
        else:
            notice = _("Your stance: {stance}").format(stance=stance_label(chosen))
        self._act(lambda: self.notebook.set_stance(entry_id, chosen), entry_id, notice)

    def action_change_status(self) -> None:
        """Choose the entry's status (open, to discuss, adopted...)."""
        entry_id = self.current_id
        if entry_id is None:
            return
        entry = self.notebook.entry(entry_id)

        def chosen(status: str | None) -> None:
            if status is None or status == entry.status:
                return
            notice = _("Status: {status}").format(status=status_label(status))
            # The entry as the dialog showed it is the base: a change that arrives meanwhile
            # is merged with this one, not written over.
            self._act(
                lambda: self.notebook.edit_entry(entry_id, base=entry, status=status),
                entry_id,
                notice,
            )

        choices = [(status, Text(status_label(status))) for status in STATUSES]
        self.app.push_screen(ChoiceScreen(_("Status of this entry"), choices, entry.status), chosen)

    # --- deciding --------------------------------------------------------------------------

    def action_open_decision(self) -> None:
        """Put the entry to the group's decision: a question, until a closing day."""
        entry_id = self.current_id
        if entry_id is None:
            return
        entry = self.notebook.entry(entry_id)
        if entry.decision is not None and not entry.decision.is_closed:
            self.notify(_("a decision is already open on this entry"), markup=False)
            return

        def written(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            question, closes = values
            notice = _("Put to a decision until {day}").format(day=closes)
            self._act(
                lambda: self.notebook.open_decision(entry_id, closes, question), entry_id, notice
            )

        self.app.push_screen(OpenDecisionScreen(entry), written)

    def action_close_decision(self) -> None:
        """Close the entry's decision with what the group decided: adopted or archived."""
        entry_id = self.current_id
        if entry_id is None:
            return
        entry = self.notebook.entry(entry_id)
        if entry.decision is None or entry.decision.is_closed:
            reason = (
                _("this entry is not put to a decision")
                if entry.decision is None
                else _("this decision is already closed")
            )
            self.notify(reason, severity="warning", markup=False)
            return

        def written(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            outcome, status = values
            notice = _("Decision closed: {status}").format(status=status_label(status))
            self._act(
                lambda: self.notebook.close_decision(entry_id, outcome, status), entry_id, notice
            )

        self.app.push_screen(CloseDecisionScreen(entry), written)

    def action_decisions(self) -> None:
        """List the open and closed decisions; choose one to read its entry."""
        screen = decisions_screen(self.notebook)
        if screen is None:
            self.notify(_("No decision yet: press d to put an entry to one"), timeout=4)
            return

        def chosen(entry_id: str | None) -> None:
            if entry_id is not None:
                self.go_to(entry_id)

        self.app.push_screen(screen, chosen)

    # --- writing ---------------------------------------------------------------------------

    def action_new_entry(self) -> None:
        """Write a new entry."""
        self.app.push_screen(EntryEditor(self.notebook), self._entry_saved)

    def action_edit(self) -> None:
        """Change the entry's title, text, kind, objectives or tags."""
        entry_id = self.current_id
        if entry_id is not None:
            self.app.push_screen(EntryEditor(self.notebook, entry_id), self._entry_saved)

    def _entry_saved(self, entry: Entry | None) -> None:
        if entry is not None:
            self.reload_entries(select=entry.id)

    def action_comment(self) -> None:
        """Comment on the entry."""
        entry_id = self.current_id
        if entry_id is not None:
            self.app.push_screen(CommentScreen(self.notebook, entry_id), self._commented)

    def action_reply(self) -> None:
        """Reply to one of the entry's comments, chosen from a list."""
        entry_id = self.current_id
        if entry_id is None:
            return
        thread = self.notebook.thread(entry_id)
        if not thread:
            self.notify(_("No comment to reply to yet: press c to comment"), timeout=4)
            return

        def chosen(comment_id: str | None) -> None:
            if comment_id is not None:
                self.app.push_screen(
                    CommentScreen(self.notebook, entry_id, reply_to=comment_id), self._commented
                )

        self._choose_comment(_("Reply to which comment?"), thread, chosen, always_ask=True)

    def _choose_comment(
        self,
        question: str,
        items: list[ThreadItem],
        chosen: Callable[[str | None], None],
        *,
        always_ask: bool = False,
    ) -> None:
        """Ask which of ``items`` (a thread, or part of it); one alone is chosen at once
        unless ``always_ask``."""
        if len(items) == 1 and not always_ask:
            chosen(items[0].comment.id)
            return
        names = participant_names(self.notebook.participants())
        choices = []
        for item in items:
            comment = item.comment
            label = Text("  " * item.depth)
            label.append(participant_name(names, comment.author), style="bold")
            label.append(f" · {local_time(comment.created)}\n", style="dim")
            body = _("comment withdrawn") if comment.deleted else safe_line(comment.body)
            label.append("  " * item.depth + body[:70])
            choices.append((comment.id, label))
        self.app.push_screen(ChoiceScreen(question, choices, items[-1].comment.id), chosen)

    def _my_comments(self, entry_id: str) -> list[ThreadItem]:
        mine = [
            item
            for item in self.notebook.thread(entry_id)
            if item.comment.author == self.notebook.me and not item.comment.deleted
        ]
        if not mine:
            self.notify(_("You have no comment on this entry to change"), timeout=4)
        return mine

    def action_edit_comment(self) -> None:
        """Change the text of one of your comments on the entry."""
        entry_id = self.current_id
        mine = self._my_comments(entry_id) if entry_id is not None else []
        if entry_id is None or not mine:
            return

        def chosen(comment_id: str | None) -> None:
            if comment_id is not None:
                self.app.push_screen(
                    CommentScreen(self.notebook, entry_id, editing=comment_id), self._commented
                )

        self._choose_comment(_("Edit which of your comments?"), mine, chosen)

    def action_withdraw_comment(self) -> None:
        """Withdraw one of your comments: its text goes, its replies stay."""
        entry_id = self.current_id
        mine = self._my_comments(entry_id) if entry_id is not None else []
        if entry_id is None or not mine:
            return

        def confirmed(comment_id: str, answer: bool | None) -> None:
            if answer:
                self._act(
                    lambda: self.notebook.withdraw_comment(comment_id),
                    entry_id,
                    _("Comment withdrawn"),
                )

        def chosen(comment_id: str | None) -> None:
            if comment_id is not None:
                self.app.push_screen(
                    ConfirmScreen(_("Withdraw this comment? Its replies stay.")),
                    lambda answer: confirmed(comment_id, answer),
                )

        self._choose_comment(_("Withdraw which of your comments?"), mine, chosen)

    def action_delete_entry(self) -> None:
        """Delete the entry (after a confirmation); carnet undelete brings it back."""
        entry_id = self.current_id
        if entry_id is None:
            return
        title = safe_line(self.notebook.entry(entry_id).title)

        def answered(answer: bool | None) -> None:
            if answer:
                self._act(
                    lambda: self.notebook.delete_entry(entry_id),
                    entry_id,
                    _("Deleted: {title}").format(title=title),
                )

        question = _("Delete “{title}”? It can be brought back.").format(title=title)
        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="links", exit_on_error=False)
    def find_links(self, entry_id: str) -> None:
        """Add its links and backlinks to the entry shown, once found: the first time, every
        text of the notebook is read (a second at 10,000 entries), keys answered meanwhile."""
        links = link_details(self.notebook, entry_id)
        self.app.call_from_thread(self._links_found, entry_id, links)

    def _links_found(self, entry_id: str, links: LinkDetails) -> None:
        view = self.query_one(EntryView)
        if view.details is not None and view.entry_id == entry_id and view.links != links:
            view.show(view.details, decision=view.decision, links=links)

    def action_follow_link(self) -> None:
        """Go to an entry the text links to, or one citing it: chosen from a list."""
        entry_id = self.current_id
        if entry_id is None:
            return
        followed = link_details(self.notebook, entry_id).followed
        if not followed:
            self.notify(_("No link to follow from this entry"), timeout=4)
            return
        if len(followed) == 1 and followed[0].target is not None:
            self.follow(followed[0].target)
            return

        def chosen(target: str | None) -> None:
            if target is not None:
                self.follow(target)

        choices = [
            (line.target or "", link_text(line)) for line in followed if line.target is not None
        ]
        self.app.push_screen(ChoiceScreen(_("Follow which link?"), choices), chosen)

    def _commented(self, comment: Comment | None) -> None:
        if comment is not None:
            self.entry_changed(comment.entry)

    def action_conflicts(self) -> None:
        """Choose between the versions of entries that met during a sync."""

        def closed(_result: None) -> None:
            self.reload_entries()

        self.app.push_screen(ConflictsScreen(self.notebook), closed)

    def action_history(self) -> None:
        """Show who changed the entry, and when."""
        entry_id = self.current_id
        if entry_id is not None:
            self.app.push_screen(HistoryScreen(self.notebook, entry_id), self._history_closed)

    def _history_closed(self, restored: str | None) -> None:
        if restored is not None:  # undeleted, it may come back in the list: list them again
            self.reload_entries(select=restored)

    def action_attachments(self) -> None:
        """List the entry's attached files: attach one, open one, save a copy."""
        entry_id = self.current_id
        if entry_id is not None:
            self.app.push_screen(AttachmentsScreen(self.notebook, entry_id))

    def action_export(self) -> None:
        """Write the notebook as a commented synthesis (HTML or Markdown) to a file."""
        self.app.push_screen(ExportScreen(self.notebook, self.criteria))
