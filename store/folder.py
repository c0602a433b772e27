"""The notebook's folder: the one around a path that holds ``carnet.json`` and a git repository.

Every command that works on a notebook starts by finding it, so this module imports nothing
heavier than the errors' words: not the schema (``store.layout``), not the listing nor git.
"""

from __future__ import annotations

from pathlib import Path

from store.errors import NotANotebookError
from store.i18n import _

META_FILE = "carnet.json"  # the notebook's own settings: title, language, objectives, format


def notebook_folder(start: Path) -> Path | None:
    """The notebook folder containing ``start`` (like git, walking up to the root), if any."""
    for folder in (start.resolve(), *start.resolve().parents):
        meta = folder / META_FILE
        if (meta.is_file() or meta.is_symlink()) and (folder / ".git").exists():
            return folder
    return None


def find_notebook(start: Path) -> Path:
    """The notebook folder containing ``start``.

    Raises:
        NotANotebookError: there is none.
    """
    folder = notebook_folder(start)
    if folder is not None:
        return folder
    raise NotANotebookError(
        _("no notebook here ({path}): go into a notebook folder, or use carnet -C FOLDER").format(
            path=start
        )
    )
