"""Mentions: ``@prénom`` (or ``@prénom-nom``) in a text names a participant.

Names are matched as search matches words, accents and case ignored: "@helene" names Hélène.
A first name that two participants share names neither of them (a namesake must not be told
what was meant for the other): ``@prénom-nom`` tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from store.model import Participant
from store.search import normalise

# Not after a word character or another "@": "alain@example.org" mentions nobody.
_MENTION = re.compile(r"(?<![\w@])@(\w[\w-]*)")
_SPACES = re.compile(r"\s+")


def handles(participants: Iterable[Participant]) -> dict[str, str]:
    """What may follow ``@`` to name each participant, folded: ``{handle: participant id}``.

    Each participant has their full name (``prénom-nom``) and, unless someone else shares it,
    their first name.
    """
    by_first: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    for participant in participants:
        words = _SPACES.split(normalise(participant.name).strip())
        if not words or not words[0]:
            continue
        found["-".join(words)] = participant.id
        by_first.setdefault(words[0], []).append(participant.id)
    for first, ids in by_first.items():
        if len(ids) == 1:
            found.setdefault(first, ids[0])
        elif found.get(first) not in ids:
            found.pop(first, None)
    return found


def mentions(text: str, participants: Iterable[Participant]) -> set[str]:
    """The ids of the participants that ``text`` mentions.

    Args:
        text: an entry's body or a comment.
        participants: everyone who may be named.

    Returns:
        The participant ids named by an ``@prénom`` or ``@prénom-nom`` in ``text``.
    """
    if "@" not in text:
        return set()
    return mentioned(text, handles(participants))


def mentioned(text: str, known: dict[str, str]) -> set[str]:
    """``mentions`` with the handles already made (``handles``), for many texts at once."""
    if "@" not in text:
        return set()
    found = set()
    for match in _MENTION.finditer(text):
        handle = normalise(match.group(1)).strip("-")
        # The longest handle the word starts with: "@helene-merci" still names Hélène.
        while handle:
            if handle in known:
                found.add(known[handle])
                break
            handle = handle.rpartition("-")[0]
    return found


def completions(prefix: str, participants: Iterable[Participant]) -> list[str]:
    """The handles (as people write them) that complete ``@prefix``, shortest first.

    ``prefix`` is what follows the ``@``; accents and case are ignored ("hel" offers
    "Hélène"). A participant is offered by first name unless it is shared, then in full.
    """
    wanted = normalise(prefix)
    people = list(participants)
    known = handles(people)
    offered = []
    for participant in people:
        words = _SPACES.split(participant.name.strip())
        full = "-".join(words)
        first = words[0] if known.get(normalise(words[0])) == participant.id else None
        for handle in (first, full):
            if handle and normalise(handle).startswith(wanted) and handle not in offered:
                offered.append(handle)
                break
    return sorted(offered, key=lambda h: (len(h), normalise(h)))
