"""The ``Notebook`` facade: every domain operation the command line and the TUI need.

Its reads are in ``store/reads.py`` (its loading in ``store/freshness.py``), its actions in
``store/actions.py``; making a notebook (``carnet init``) is here, joining one (``carnet
join``, a clone) is the sync's.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from store.attachments import NotebookAttachments
from store.comments import NotebookComments
from store.digest import NotebookDigest
from store.errors import InvalidInputError, disk_error
from store.folder import META_FILE, find_notebook
from store.git.local import LocalRepository
from store.git.program import Identity
from store.history import NotebookHistory
from store.i18n import N_, _, in_language
from store.ids import slugify
from store.index import EntryFilter, ThreadItem
from store.keys import allowed_signers, load_signing_key, read_public_key
from store.local import file_lock, key_setting, load_settings, save_settings
from store.meetings import NotebookMeetings
from store.model import NotebookInfo, Objective, Participant, document_bytes
from store.record import replace
from store.storage import atomic_write
from store.writing import unknown_participant

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


class Notebook(
    NotebookAttachments, NotebookDigest, NotebookMeetings, NotebookHistory, NotebookComments
):
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
        signing_key: Path | None = None,
        require_signatures: bool = False,
    ) -> Notebook:
        """Make a new notebook and its git repository, with its creator as first participant.

        ``signing_key`` (an SSH public key file) signs every commit of this clone and goes in
        the creator's record; ``require_signatures`` makes signatures required of everyone.

        Raises:
            InvalidInputError: the title, name or email is empty, ``root`` is not empty, or the
            key cannot be read (or is missing while signatures are required).
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
        if require_signatures and signing_key is None:
            raise InvalidInputError(
                _("to require signatures, sign yourself: give your key (--signing-key)")
            )
        signing_key, keys = _keys(signing_key)
        titles = objectives or MISSION_OBJECTIVES.get(language, MISSION_OBJECTIVES["fr"])
        info = NotebookInfo(
            title=title.strip(),
            language=language,
            objectives=tuple(Objective(n, t) for n, t in enumerate(titles, start=1)),
            signatures_required=require_signatures,
        )
        participant = Participant(
            slugify(name), name.strip(), email.strip(), organisation, role, keys
        )
        # Checked before the folder is made: a refused document leaves nothing behind.
        meta, first = document_bytes(info.to_doc()), document_bytes(participant.to_doc())
        try:
            repo = LocalRepository.create(root)
            repo.signing_key = signing_key
            atomic_write(root / META_FILE, meta)
            atomic_write(root / "participants" / f"{participant.id}.json", first)
            save_settings(repo.local_dir, participant=participant.id, **key_setting(signing_key))
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
        notebook = cls(root, participant=participant.id)
        notebook.share_keys()
        return notebook

    def add_participant(
        self,
        name: str,
        email: str,
        organisation: str = "",
        role: str = "",
        signing_key: Path | None = None,
    ) -> Participant:
        """Register a participant (or find them by email) as the one using this clone.

        With ``signing_key`` this clone signs with it, and the new record lists it (the first
        commit of a participant makes their key known: trust on first use).
        """
        _check_identity(name, email)
        for existing in self._index.participants.values():
            if existing.email.lower() == email.strip().lower():
                self.me = existing.id
                save_settings(self.repo.local_dir, participant=existing.id)
                return existing if signing_key is None else self.sign_with(signing_key)
        signing_key, keys = _keys(signing_key)
        participant = Participant(
            slugify(name, self._index.participants), name.strip(), email.strip(), organisation,
            role, keys,
        )  # fmt: skip
        if signing_key is not None:
            self.repo.signing_key = signing_key
            save_settings(self.repo.local_dir, **key_setting(signing_key))
        with self._action(
            N_("Join the notebook: {name}"), author=participant, name=participant.name
        ):
            self._write("participants", participant.id, participant.to_doc())
        self.me = participant.id
        save_settings(self.repo.local_dir, participant=participant.id)
        self.share_keys()
        return participant

    # --- signing (docs/design.md §4.4) ----------------------------------------------------

    def share_keys(self) -> None:
        """Give git the participants' keys, to verify their signatures."""
        keys = {p.id: p.keys for p in self._index.participants.values() if p.keys}
        self.repo.write_allowed_signers(allowed_signers(keys))

    def sign_with(self, signing_key: Path) -> Participant:
        """Sign this clone's commits with ``signing_key`` from now on, and list it in my record.

        A key already listed for me is only taken into use. A new one is added by a commit
        signed with a key my record already lists (the one this clone used so far), or, for my
        first key, with the new key itself: the others accept a key change no other way.

        Raises:
            InvalidInputError: the key cannot be read, or my record lists other keys and this
            clone does not sign with one of them.
        """
        signing_key, key = load_signing_key(signing_key)
        me = self.me_participant
        if me is None:
            raise unknown_participant()
        if key not in me.keys:
            signer = self.repo.signing_key
            if me.keys and (signer is None or _key_of(signer) not in me.keys):
                raise InvalidInputError(
                    _(
                        "your record already lists another key: sign with it first "
                        "(carnet key --sign with the old key), then add the new one"
                    )
                )
            if not me.keys:
                self.repo.signing_key = signing_key
            updated = replace(me, keys=(*me.keys, key))
            with self._action(N_("Sign with an SSH key: {name}"), name=me.name):
                self._write("participants", me.id, updated.to_doc())
            me = updated
        self.repo.signing_key = signing_key
        save_settings(self.repo.local_dir, **key_setting(signing_key))
        self.share_keys()
        return me


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


def _keys(signing_key: Path | None) -> tuple[Path | None, tuple[str, ...]]:
    """The key to sign with (as an absolute path) and the keys a new record lists."""
    if signing_key is None:
        return None, ()
    path, key = load_signing_key(signing_key)
    return path, (key,)


def _key_of(path: Path) -> str | None:
    try:
        return read_public_key(path)
    except InvalidInputError:
        return None


def _check_identity(name: str, email: str) -> None:
    if not name.strip():
        raise InvalidInputError(_("your name is missing: give --name, or set git config user.name"))
    if "@" not in email:
        raise InvalidInputError(
            _("your email is missing: give --email, or set git config user.email")
        )
