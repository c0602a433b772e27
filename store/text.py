"""Participant text made safe to show: it is data, never markup or terminal commands.

This is the one sanitiser: the command line, the TUI, the export and every error message go
through the functions below, which all neutralise the same characters (``_UNSAFE``).
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 control characters (ESC starts ANSI and OSC sequences, and C1's CSI and OSC do the
# same on terminals that read 8-bit controls) except newline and tab, DEL, and the
# bidirectional controls that can make text read differently from what it is; and lone
# surrogates (half a character, from a JSON escape), which no terminal or UTF-8 file can take.
_UNSAFE_CLASS = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
# A file name is shown on one line and as it is: its newlines and tabs are escaped too, and so
# is the backslash, so that an escaped name cannot be mistaken for another name.
_UNSAFE_IN_NAME = re.compile(f"[{_UNSAFE_CLASS}\\n\\t\\\\]")
_NAMED_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\"}


def safe_text(text: str) -> str:
    """``text`` without control or bidi characters, ready for a terminal, a page or a ``Text``."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def safe_line(text: str) -> str:
    """``safe_text`` on one line: newlines and tabs become spaces (titles, list cells)."""
    return " ".join(safe_text(text).split())


def safe_name(name: str) -> str:
    """A file name shown on one line, each unsafe character written as an escape (``\\x1b``).

    The name stays recognisable, so that the participant can find the file and fix it.
    """
    if not _UNSAFE_IN_NAME.search(name):
        return name
    return _UNSAFE_IN_NAME.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_json(value: Any) -> str:
    """``value`` as readable JSON (``ensure_ascii=False``) that a terminal can show safely.

    ``json.dumps`` escapes C0 controls but writes DEL, C1 and bidi controls as they are; here
    they become ``\\uXXXX`` escapes, which decode to the same value.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    if not _UNSAFE.search(text):
        return text
    # Outside its strings, JSON text is ASCII without controls: only string content matches.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
