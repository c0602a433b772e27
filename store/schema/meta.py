"""The table of ``carnet.json``: the notebook's title, objectives and shared settings."""

from __future__ import annotations

from typing import Any

from store.i18n import N_
from store.schema.fields import Field, Merge, Schema, Shown, is_int

FORMAT_VERSION = 1
# carnet.json "signatures": whether every change to owned documents must be signed.
SIGNATURE_POLICIES = ("optional", "required")
# carnet.json "attachment_limit_mb": the largest file one may attach, in MB (absent: this).
ATTACHMENT_LIMIT_MB = 20


def _is_limit(value: Any) -> bool:
    return is_int(value) and value > 0


def attachment_limit(meta: dict[str, Any]) -> int:
    """The largest file that may be attached, in bytes, as ``carnet.json`` says."""
    megabytes = meta.get("attachment_limit_mb", ATTACHMENT_LIMIT_MB)
    return int(megabytes if _is_limit(megabytes) else ATTACHMENT_LIMIT_MB) * 1024 * 1024


OBJECTIVE = Schema(
    "objectives",
    (
        Field("number", int, Merge.SCALAR, N_("number")),
        Field("title", str, Merge.SCALAR, N_("title")),
    ),
)

META = Schema(
    "meta",
    (
        Field("format", int, Merge.NEWEST, N_("format version")),
        Field("title", str, Merge.SCALAR, N_("title")),
        Field("language", str, Merge.SCALAR, N_("language")),
        Field("objectives", list, Merge.SCALAR, N_("objectives"), items=OBJECTIVE,
              shown=Shown.RECORDS),
        # Written for other tools to read; Carnet's own lists are KINDS and STATUSES.
        Field("kinds", object, Merge.SCALAR, N_("kinds"), required=False, shown=Shown.WORDS),
        Field("statuses", object, Merge.SCALAR, N_("statuses"), required=False,
              shown=Shown.WORDS),
        Field("signatures", object, Merge.SCALAR, N_("signatures"),
              lambda v: v in SIGNATURE_POLICIES, required=False, shown=Shown.CHOICE,
              choices=SIGNATURE_POLICIES),
        Field("attachment_limit_mb", int, Merge.SCALAR, N_("attachment limit (MB)"), _is_limit,
              required=False),
    ),
)  # fmt: skip
