"""Where each document lives in the notebook repository, and which document a path holds.

Layout (docs/design.md §2, with the big folders split in 32): ``participants/<id>.json``,
``entries/<c>/<id>.json``, ``comments/<c>/<id>.json``, ``meetings/<c>/<id>.json`` and
``reviews/<participant>/<c>/<entry>.json``, where ``c`` is the id's last character; and the
files attached to entries at ``attachments/<aa>/<sha256>``, ``aa`` the hash's first two digits.

Why the split: git stores a folder as one tree object listing every file in it, and every
commit that changes a file rewrites that object. With 50,000 comments in one folder, adding
a comment wrote a 3 MB tree (compressed, hashed, kept in the repository until the next
``git gc``) and cost 100–200 ms of git's time; split in 32, the folders a commit rewrites
hold a few hundred files. The last character is random in a ULID (the first ones are its
time), so the 32 folders fill evenly; 32 rather than 1,024 keeps the number of folders to
list when opening the notebook small.
"""

from __future__ import annotations

from store.errors import InvalidDocumentError
from store.folder import META_FILE
from store.i18n import _
from store.ids import is_slug, is_ulid
from store.schema import SHA256_PATTERN

TABLES = ("participants", "entries", "comments", "reviews", "meetings")
# The files attached to entries, each stored once by the hash of its bytes: not documents, so
# never loaded as such (docs/design.md §18).
ATTACHMENTS = "attachments"
# How many folders lie between a table's folder and its documents' files.
FOLDER_DEPTH = {"participants": 0, "entries": 1, "comments": 1, "reviews": 2, "meetings": 1}


def document_path(table: str, doc_id: str) -> str:
    """The path of a document relative to the notebook, after checking that its id is safe.

    Raises:
        InvalidDocumentError: the id could lead outside its folder or is not of its table's form.
    """
    if table == "reviews":
        participant, _sep, entry = doc_id.partition("/")
        if is_slug(participant) and is_ulid(entry):
            return f"reviews/{participant}/{entry[-1]}/{entry}.json"
    elif table == "participants":
        if is_slug(doc_id):
            return f"participants/{doc_id}.json"
    elif table in TABLES and is_ulid(doc_id):
        return f"{table}/{doc_id[-1]}/{doc_id}.json"
    raise InvalidDocumentError(_("“{id}” is not a valid document id").format(id=doc_id))


def document_at(path: str) -> tuple[str, str] | None:
    """The table and id of the document that belongs at ``path``, or None if none does.

    The exact inverse of ``document_path``: a file in the wrong folder belongs to no table.
    """
    parts = path.split("/")
    table = parts[0]
    if table not in FOLDER_DEPTH or len(parts) != FOLDER_DEPTH[table] + 2:
        return None
    if not parts[-1].endswith(".json"):
        return None
    stem = parts[-1][:-5]
    doc_id = f"{parts[1]}/{stem}" if table == "reviews" else stem
    try:
        expected = document_path(table, doc_id)
    except InvalidDocumentError:
        return None
    return (table, doc_id) if expected == path else None


def document_of(path: str) -> tuple[str, str] | None:
    """What shared document ``path`` holds: a table and id, ``("meta", "")`` for
    ``carnet.json``, or None for a path that holds no document of Carnet's.
    """
    if path == META_FILE:
        return ("meta", "")
    return document_at(path)


def attachment_path(sha256: str) -> str:
    """Where the file of hash ``sha256`` is kept: ``attachments/<first two digits>/<sha256>``.

    Raises:
        InvalidDocumentError: not a SHA-256 in hexadecimal digits.
    """
    if SHA256_PATTERN.match(sha256) is None:
        raise InvalidDocumentError(_("“{id}” is not a SHA-256 hash").format(id=sha256))
    return f"{ATTACHMENTS}/{sha256[:2]}/{sha256}"


def attachment_at(path: str) -> str | None:
    """The hash that names the attached file at ``path``, or None if no attachment belongs
    there (the exact inverse of ``attachment_path``)."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != ATTACHMENTS or SHA256_PATTERN.match(parts[2]) is None:
        return None
    return parts[2] if parts[1] == parts[2][:2] else None
