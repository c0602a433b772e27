"""Participant text made safe to show: it is data, never markup or terminal commands."""

from __future__ import annotations

import re

# C0 and C1 control characters (ESC starts ANSI and OSC sequences) except newline and tab,
# and the bidirectional controls that can make text read differently from what it is.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def safe_text(text: str) -> str:
    """``text`` without control or bidi characters, ready for a terminal, a page or a ``Text``."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def safe_line(text: str) -> str:
    """``safe_text`` on one line: newlines and tabs become spaces (titles, list cells)."""
    return " ".join(safe_text(text).split())
