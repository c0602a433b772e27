"""A participant's own words: comments written, edited and withdrawn, entries deleted and
restored; and the links between entries (``store/links.py``) read on the notebook."""

from __future__ import annotations

from store.actions import NotebookActions
from store.direct_actions import COMMENT_ON
from store.display import participant_name, participant_names
from store.errors import InvalidInputError
from store.i18n import N_, _
from store.ids import new_ulid
from store.links import Link, cited, cited_by, links, titles
from store.model import Comment, Entry
from store.record import replace


class NotebookComments(NotebookActions):
    """Comments, their edits and withdrawals; an entry's deletion and its undoing; links."""

    def add_comment(self, entry_id: str, body: str, *, parent: str | None = None) -> Comment:
        """Comment on an entry, or reply to one of its comments.

        Raises:
            NotFoundError: no such entry or comment.
            InvalidInputError: an empty body, or a reply to a comment of another entry.
        """
        entry = self.entry(entry_id)
        if not body.strip():
            raise InvalidInputError(_("the comment is empty: write something first"))
        parent_id = None
        if parent is not None:
            parent_id = self.resolve_comment_id(parent)
            if self._index.comments[parent_id].entry != entry.id:
                raise InvalidInputError(_("that comment belongs to another entry"))
        with self._action(COMMENT_ON, title=entry.title) as at:
            assert self.me is not None
            comment = Comment(new_ulid(), entry.id, parent_id, self.me, body, at)
            self._write("comments", comment.id, comment.to_doc())
            self._write_review(entry.id, at, read=at)
        return comment

    def comment(self, comment_id: str) -> Comment:
        """The comment with this id (full or short).

        Raises:
            NotFoundError: no comment has that id.
        """
        return self._index.comments[self.resolve_comment_id(comment_id)]

    def edit_comment(self, comment_id: str, body: str) -> Comment:
        """Change the text of one of the participant's own comments: one commit.

        Raises:
            NotFoundError: no such comment.
            InvalidInputError: the comment is someone else's, withdrawn, or the text empty.
        """
        comment = self._own_comment(comment_id)
        if not body.strip():
            raise InvalidInputError(_("the comment is empty: write something first"))
        if body == comment.body:
            return comment
        return self._rewrite_comment(replace(comment, body=body), edit=True)

    def withdraw_comment(self, comment_id: str) -> Comment:
        """Withdraw one of the participant's own comments: its text goes, the comment stays
        (a tombstone) so that its replies keep their place; « commentaire retiré ».

        Raises:
            NotFoundError: no such comment.
            InvalidInputError: the comment is someone else's, or already withdrawn.
        """
        comment = self._own_comment(comment_id)
        withdrawn = replace(comment, body="", deleted=True)
        return self._rewrite_comment(withdrawn, edit=False)

    def _own_comment(self, comment_id: str) -> Comment:
        comment = self.comment(comment_id)
        if comment.author != self.me:
            name = participant_name(participant_names(self.participants()), comment.author)
            raise InvalidInputError(
                _("this comment is {name}'s: only its author may change it").format(name=name)
            )
        if comment.deleted:
            raise InvalidInputError(_("this comment is withdrawn: it cannot be changed"))
        return comment

    def _rewrite_comment(self, comment: Comment, *, edit: bool) -> Comment:
        entry = self.entry(comment.entry)
        message = N_("Edit a comment on: {title}") if edit else N_("Withdraw a comment on: {title}")
        with self._action(message, title=entry.title) as at:
            self._write("comments", comment.id, comment.to_doc())
            self._write_review(entry.id, at, read=at)
        return comment

    def undelete_entry(self, entry_id: str) -> Entry:
        """Bring a deleted entry back (its tombstone lifted): one commit.

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: the entry is not deleted.
        """
        current = self.entry(entry_id)
        if not current.deleted:
            raise InvalidInputError(_("this entry is not deleted"))
        return self._update_entry(current, {"deleted": False}, N_("Restore: {title}"))

    # --- links ---------------------------------------------------------------------------

    def links(self, text: str) -> list[Link]:
        """The links of ``text`` (a body, a comment), each with the entry it refers to."""
        entries = self._index.entries
        return links(text, entries, titles(entries.values()))

    def cited(self, entry_id: str) -> list[str]:
        """The ids of the entries that the entry's body and comments refer to, in order."""
        entry = self.entry(entry_id)
        entries = self._index.entries
        return cited(entry, self.comments(entry.id), entries, titles(entries.values()))

    def cited_by(self, entry_id: str) -> list[str]:
        """The ids of the entries whose body or comments refer to this one: its backlinks."""
        wanted = self.resolve_id(entry_id)
        with self._lock:  # a sync's apply() from another thread must not change it midway
            entries = self._index.entries
            return cited_by(wanted, entries, self._index.comments_of, titles(entries.values()))
