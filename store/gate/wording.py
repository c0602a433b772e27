"""The gate's one wording of what it refused, in plain words (``carnet sync``, ``carnet doctor``
and the TUI's notice all print it)."""

from __future__ import annotations

from collections.abc import Iterable

from store.gate.data import BAD_ATTACHMENT, FORGED, NOT_A_FILE, REMOVED, Refusal
from store.i18n import _, ngettext


def describe(refusals: Iterable[Refusal]) -> list[str]:
    """One line per kind of refusal and sender, in plain words, for the sync's report."""
    groups: dict[tuple[str, bool, str], int] = {}
    for refusal in refusals:
        sender = _sender(refusal)
        key = (refusal.reason, refusal.kept, sender)
        groups[key] = groups.get(key, 0) + 1
    lines = []
    for (reason, kept, sender), count in sorted(groups.items()):
        if reason == FORGED and kept:
            text = ngettext(
                "{who} tried to change {count} document in someone else's name (a stance, "
                "a participant record, a comment, or who wrote an entry): the change was "
                "not applied",
                "{who} tried to change {count} documents in someone else's name (stances, "
                "participant records, comments, or who wrote entries): the changes were "
                "not applied",
                count,
            )
        elif reason == FORGED:
            text = ngettext(
                "{who} tried to add {count} document in someone else's name: it was refused",
                "{who} tried to add {count} documents in someone else's name: they were refused",
                count,
            )
        elif reason == BAD_ATTACHMENT:
            text = ngettext(
                "{count} attached file sent by {who} was refused: its name is not its hash, "
                "or it is over the notebook's size limit",
                "{count} attached files sent by {who} were refused: their names are not their "
                "hashes, or they are over the notebook's size limit",
                count,
            )
        elif reason == REMOVED:
            text = ngettext(
                "{count} document deleted by {who} was put back: in Carnet, deleting marks "
                "a document deleted, it never removes its file",
                "{count} documents deleted by {who} were put back: in Carnet, deleting marks "
                "a document deleted, it never removes its file",
                count,
            )
        elif reason == NOT_A_FILE and kept:
            text = ngettext(
                "{count} document replaced by a link or a folder by {who} was put back",
                "{count} documents replaced by a link or a folder by {who} were put back",
                count,
            )
        elif reason == NOT_A_FILE:
            text = ngettext(
                "{count} link or folder sent by {who} was refused",
                "{count} links or folders sent by {who} were refused",
                count,
            )
        elif kept:
            text = ngettext(
                "{count} damaged document sent by {who} did not replace the valid version, "
                "which is kept",
                "{count} damaged documents sent by {who} did not replace the valid versions, "
                "which are kept",
                count,
            )
        else:
            text = ngettext(
                "{count} damaged document sent by {who} is skipped: carnet doctor lists it",
                "{count} damaged documents sent by {who} are skipped: carnet doctor lists them",
                count,
            )
        lines.append(text.format(count=count, who=sender))
    return lines


def _sender(refusal: Refusal) -> str:
    if refusal.author and refusal.email:
        return f"{refusal.author} <{refusal.email}>"
    return refusal.author or refusal.email or _("an unknown sender")
