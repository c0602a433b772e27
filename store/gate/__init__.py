"""The gate of the sync: what arrives from the others is checked before it becomes current.

Every path the incoming commits change passes two checks before a merge is committed: its
validity (a document deleted, damaged, or replaced by a link or a folder is put back:
``store.gate.checks``), and the ownership rules (a change only its owner may make, by a commit
of someone else or without their signature, is refused: ``store.gate.owners``).
``store.gate.wording`` says in plain words what was refused; ``store.gate.data`` holds the
plain data they share.

The gate only decides; ``store.incoming`` reads the trees (through ``store.git.trees``) and
writes the result.
"""

from __future__ import annotations

from store.gate.checks import inspect
from store.gate.data import (
    BAD_ATTACHMENT,
    DAMAGED,
    FILE_MODES,
    FORGED,
    NOT_A_FILE,
    REMOVED,
    Blob,
    Change,
    Known,
    Lineage,
    Origin,
    Refusal,
    Verdict,
    Version,
)
from store.gate.owners import COMMENT_EDITABLE, OWNED_TABLES
from store.gate.wording import describe

__all__ = [
    "BAD_ATTACHMENT",
    "COMMENT_EDITABLE",
    "DAMAGED",
    "FILE_MODES",
    "FORGED",
    "NOT_A_FILE",
    "OWNED_TABLES",
    "REMOVED",
    "Blob",
    "Change",
    "Known",
    "Lineage",
    "Origin",
    "Refusal",
    "Verdict",
    "Version",
    "describe",
    "inspect",
]
