"""Reading what a program wrote on a pseudo-terminal."""

from __future__ import annotations

import os


def read_all(controller: int) -> str:
    """Everything written on the terminal side of ``controller`` once that side is closed (a
    single read may return only the first chunk), then ``controller`` closed."""
    said = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed and everything read (Linux says EIO)
            break
        if not chunk:
            break
        said += chunk
    os.close(controller)
    return said.decode("utf-8")
