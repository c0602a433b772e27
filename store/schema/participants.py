"""The table of participants: who they are, and the SSH keys that sign their changes."""

from __future__ import annotations

from typing import Any

from store.i18n import N_
from store.keys import parse_key
from store.schema.fields import MISSING, Field, Merge, Schema, Shown


def _are_keys(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(key, str) and parse_key(key) == key for key in value
    )


PARTICIPANT = Schema(
    "participants",
    (
        Field("name", str, Merge.SCALAR, N_("name"), lambda v: bool(v.strip()), MISSING),
        Field("email", str, Merge.SCALAR, N_("email")),
        Field("organisation", str, Merge.SCALAR, N_("organisation")),
        Field("role", str, Merge.SCALAR, N_("role")),
        # Absent rather than empty when there is none: older records stay byte for byte.
        Field("keys", object, Merge.SCALAR, N_("SSH keys"), _are_keys,
              N_("the field “{name}” is not a list of SSH public keys"), required=False,
              shown=Shown.KEYS),
    ),
)  # fmt: skip
