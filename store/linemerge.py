"""Three-way line merge of texts (diff3), never with conflict markers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class TextMerge:
    """A 3-way line merge: the text each side's version of the clashing lines gives."""

    ours: str
    theirs: str

    @property
    def clean(self) -> bool:
        """No lines clashed: both texts are the same merged text."""
        return self.ours == self.theirs


def _matches(base: Sequence[str], other: Sequence[str]) -> list[tuple[int, int, int]]:
    # autojunk off: blank lines between paragraphs are "popular" and must still match.
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(m.a, m.b, m.size) for m in matcher.get_matching_blocks()]


def _sync_regions(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """Runs of base lines that both sides kept unchanged, with where they sit on each side."""
    ours_blocks, theirs_blocks = _matches(base, ours), _matches(base, theirs)
    regions = []
    i = j = 0
    while i < len(ours_blocks) and j < len(theirs_blocks):
        o_base, o_at, o_len = ours_blocks[i]
        t_base, t_at, t_len = theirs_blocks[j]
        start, end = max(o_base, t_base), min(o_base + o_len, t_base + t_len)
        if start < end:
            o_start, t_start = o_at + start - o_base, t_at + start - t_base
            regions.append(
                (start, end, o_start, o_start + end - start, t_start, t_start + end - start)
            )
        if o_base + o_len < t_base + t_len:
            i += 1
        else:
            j += 1
    n_base, n_ours, n_theirs = len(base), len(ours), len(theirs)
    regions.append((n_base, n_base, n_ours, n_ours, n_theirs, n_theirs))
    return regions


def merge_text(base: str, ours: str, theirs: str) -> TextMerge:
    """Merge two edits of a text line by line (the diff3 rule); never writes conflict markers.

    Changes that don't touch the same lines are both applied. Where both sides changed the
    same lines differently, ``ours`` holds our version of those lines and ``theirs`` theirs,
    each with every change that did not clash.
    """
    if ours == theirs or theirs == base:
        return TextMerge(ours, ours)
    if ours == base:
        return TextMerge(theirs, theirs)
    # A final newline on every side makes the last line a line like the others (an edit on
    # the line before it then doesn't clash with an addition after it); removed at the end.
    b, o, t = ((s + "\n").splitlines(keepends=True) for s in (base, ours, theirs))
    merged_ours: list[str] = []
    merged_theirs: list[str] = []
    at_base = at_ours = at_theirs = 0
    for z_start, z_end, o_start, o_end, t_start, t_end in _sync_regions(b, o, t):
        chunk_base = b[at_base:z_start]
        chunk_ours = o[at_ours:o_start]
        chunk_theirs = t[at_theirs:t_start]
        if chunk_ours == chunk_theirs or chunk_theirs == chunk_base:
            merged_ours += chunk_ours
            merged_theirs += chunk_ours
        elif chunk_ours == chunk_base:
            merged_ours += chunk_theirs
            merged_theirs += chunk_theirs
        else:
            merged_ours += chunk_ours
            merged_theirs += chunk_theirs
        merged_ours += b[z_start:z_end]
        merged_theirs += b[z_start:z_end]
        at_base, at_ours, at_theirs = z_end, o_end, t_end
    return TextMerge(_unterminated(merged_ours), _unterminated(merged_theirs))


def combine_texts(base: str | None, current: str, other: str) -> str:
    """One text holding both versions of a conflict, for a participant to finish by hand.

    With the base the two versions came from, the 3-way merge applies every change that did
    not clash; the lines that did clash, and every differing line when the base is unknown,
    appear once each, the current version's before the other's, with no marker between them.
    """
    if base is not None:
        merged = merge_text(base, current, other)
        if merged.clean:
            return merged.ours
        current, other = merged.ours, merged.theirs
    a, b = ((s + "\n").splitlines(keepends=True) for s in (current, other))
    combined: list[str] = []
    for tag, a_start, a_end, b_start, b_end in SequenceMatcher(
        None, a, b, autojunk=False
    ).get_opcodes():
        combined += a[a_start:a_end]
        if tag != "equal":
            combined += b[b_start:b_end]
    return _unterminated(combined)


def _unterminated(lines: list[str]) -> str:
    text = "".join(lines)
    return text[:-1] if text.endswith("\n") else text
