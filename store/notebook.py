"""The ``Notebook`` facade: every domain operation the command line and the TUI need.

Its reads are in ``store/reads.py``, its actions in ``store/actions.py``; making a notebook
(``carnet init``) is here, joining one (``carnet join``, a clone) is the sync's.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from store.actions import NotebookActions
from store.errors import InvalidInputError, NotANotebookError, disk_error
from store.i18n import N_, _, in_language
from store.ids import slugify
from store.index import EntryFilter, ThreadItem
from store.layout import META_FILE
from store.local import file_lock, load_settings, save_settings
from store.model import NotebookInfo, Objective, Participant, document_bytes
from store.repo import Identity, LocalRepository
from store.storage import atomic_write

# What other modules import from here, as the facade's own names.
__all__ = [
    "META_FILE",
    "MISSION_OBJECTIVES",
    "EntryFilter",
    "Notebook",
    "ThreadItem",
    "file_lock",
    "find_notebook",
    "load_settings",
    "remove_made",
    "save_settings",
]

MISSION_OBJECTIVES = {
    "fr": (
        "Pratiques françaises de développement social local et de soutien à la parentalité",
        "Recherche française et évaluation des projets et des interventions",
        "Collaboration intersectorielle : modes de collaboration et outils concrets",
        "Réseautage entre organismes français et québécois",
    ),
    "en": (
        "French practices of local social development and parenting support",
        "French research and the evaluation of projects and interventions",
        "Intersectoral collaboration: ways of working together and concrete tools",
        "Networking between French and Québec organisations",
    ),
}


class Notebook(NotebookActions):
    """A notebook folder: its documents, its git repository and the participant using it.

    See ``NotebookReads`` for what is locked: actions, reloads and entry listings.
    """

    # --- creation -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        *,
        title: str,
        name: str,
        email: str,
        organisation: str = "",
        role: str = "",
        language: str = "fr",
        objectives: Sequence[str] | None = None,
    ) -> Notebook:
        """Make a new notebook and its git repository, with its creator as first participant.

        Raises:
            InvalidInputError: the title, name or email is empty, or ``root`` is not empty.
        """
        if not title.strip():
            raise InvalidInputError(_("the notebook needs a title (--title)"))
        try:
            existed = root.exists()
            if existed and any(root.iterdir()):
                raise InvalidInputError(
                    _("{path} is not empty: choose a new folder for the notebook").format(path=root)
                )
        except OSError as exc:  # a file where the folder should be, a folder we may not read
            raise disk_error(exc, root) from exc
        _check_identity(name, email)
        titles = objectives or MISSION_OBJECTIVES.get(language, MISSION_OBJECTIVES["fr"])
        info = NotebookInfo(
            title=title.strip(),
            language=language,
            objectives=tuple(Objective(n, t) for n, t in enumerate(titles, start=1)),
        )
        participant = Participant(slugify(name), name.strip(), email.strip(), organisation, role)
        # Checked before the folder is made: a refused document leaves nothing behind.
        meta, first = document_bytes(info.to_doc()), document_bytes(participant.to_doc())
        try:
            repo = LocalRepository.create(root)
            atomic_write(root / META_FILE, meta)
            atomic_write(root / "participants" / f"{participant.id}.json", first)
            save_settings(repo.local_dir, participant=participant.id)
            with in_language(info.language):
                message = _("Create the notebook “{title}”").format(title=info.title)
            repo.commit(
                [META_FILE, f"participants/{participant.id}.json"],
                message,
                Identity(participant.name, participant.email),
            )
        except BaseException as exc:
            # Leave no half-made notebook behind, so that trying again just works.
            remove_made(root, existed)
            if isinstance(exc, OSError):
                raise disk_error(exc, root) from exc
            raise
        return cls(root, participant=participant.id)

    def add_participant(
        self, name: str, email: str, organisation: str = "", role: str = ""
    ) -> Participant:
        """Register a participant (or find them by email) as the one using this clone."""
        _check_identity(name, email)
        for existing in self._index.participants.values():
            if existing.email.lower() == email.strip().lower():
                self.me = existing.id
                save_settings(self.repo.local_dir, participant=existing.id)
                return existing
        participant = Participant(
            slugify(name, self._index.participants), name.strip(), email.strip(), organisation, role
        )
        with self._action(
            N_("Join the notebook: {name}"), author=participant, name=participant.name
        ):
            self._write("participants", participant.id, participant.to_doc())
        self.me = participant.id
        save_settings(self.repo.local_dir, participant=participant.id)
        return participant


def remove_made(root: Path, existed: bool) -> None:
    """Remove what making a notebook at ``root`` made: the folder, or what it holds now (it
    was empty)."""
    if not existed:
        shutil.rmtree(root, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _check_identity(name: str, email: str) -> None:
    if not name.strip():
        raise InvalidInputError(_("your name is missing: give --name, or set git config user.name"))
    if "@" not in email:
        raise InvalidInputError(
            _("your email is missing: give --email, or set git config user.email")
        )


def find_notebook(start: Path) -> Path:
    """The notebook folder containing ``start`` (like git, walking up to the root)."""
    for folder in (start.resolve(), *start.resolve().parents):
        meta = folder / META_FILE
        if (meta.is_file() or meta.is_symlink()) and (folder / ".git").exists():
            return folder
    raise NotANotebookError(
        _("no notebook here ({path}): go into a notebook folder, or use carnet -C FOLDER").format(
            path=start
        )
    )
