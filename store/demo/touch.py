"""Staying in touch in the demo: the mission's programme attached twice and stored once, notes
pasted into the wrong entry and the earlier version restored, a comment withdrawn under which
its reply stays. Plain data in French, and the actions that replay it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypedDict

from store.demo.content import CommentData, EditData
from store.demo.timeline import Action, at_time
from store.notebook import Notebook


class AttachmentData(TypedDict):
    """A file attached to an entry by ``by``, under the name it had on their disk."""

    entry: str
    by: str
    at: str
    name: str


class RestoreData(TypedDict):
    """``by`` restores the entry as it was before its latest change."""

    entry: str
    by: str
    at: str


class WithdrawalData(TypedDict):
    """``by`` withdraws their comment ``comment`` (a key of the comments)."""

    comment: str
    by: str
    at: str


PROGRAMME_TITLE = "Mission exploratoire : le développement social local en France"
PROGRAMME = (
    "Programme de la semaine, du 4 au 10 septembre 2005",
    "",
    "Dimanche 4 : arrivée à Paris, accueil par l'ÉN3S.",
    "Lundi 5 : la CNAF, l'action sociale des caisses d'allocations familiales.",
    "Mardi 6 : la CNAF, ses études, sa revue et ses statistiques.",
    "Mercredi 7 : Rennes, un centre social de quartier, un lieu d'accueil enfants-parents.",
    "Jeudi 8 : Rennes, le diagnostic partagé de territoire ; des chercheurs en sociologie.",
    "Vendredi 9 : Bordeaux, la CAF de la Gironde et ses travailleurs sociaux de quartier.",
    "Samedi 10 : bilan de la semaine entre nous, puis retour au Québec.",
)

# Marie-Claude attaches the programme to the guide before leaving; Étienne, who had it by
# email under another name, attaches it to the list of the people met: one file in the
# notebook, under two names.
ATTACHMENTS: tuple[AttachmentData, ...] = (
    {"entry": "mode-emploi", "by": "marie-claude", "at": "2005-09-02T14:20:00-04:00",
     "name": "programme-mission-2005.pdf"},
    {"entry": "liste-provisoire", "by": "etienne", "at": "2005-09-11T09:15:00-04:00",
     "name": "Programme de la semaine.pdf"},
)  # fmt: skip

# Luc pastes his notes on family mediation at the end of Sophie's entry on the contracts;
# Sophie brings back the version before, and tells him where his notes went.
MISTAKES: tuple[EditData, ...] = (
    {"entry": "contrats-communes", "by": "luc", "at": "2005-09-12T21:05:00-04:00",
     "append": "\nMédiation : un service par département, financé en partie par la CAF ; "
               "les médiateurs ont un diplôme d'État. Demander les tarifs.\n"},
)  # fmt: skip
RESTORES: tuple[RestoreData, ...] = (
    {"entry": "contrats-communes", "by": "sophie", "at": "2005-09-13T08:30:00-04:00"},
)
WITHDRAWN_THREAD: tuple[CommentData, ...] = (
    {"key": "c-suppression", "entry": "contrats-communes", "parent": None, "author": "luc",
     "at": "2005-09-11T20:10:00-04:00",
     "body": "Ces contrats n'ont-ils pas été supprimés l'an dernier ? On m'a parlé d'une "
             "réforme."},
    {"key": "c-suppression-2", "entry": "contrats-communes", "parent": "c-suppression",
     "author": "nadia", "at": "2005-09-12T08:45:00-04:00",
     "body": "Pas à ma connaissance : la chargée d'études parlait de réunir les deux contrats "
             "en un seul, pas de les supprimer."},
    {"key": "c-restaure", "entry": "contrats-communes", "parent": None, "author": "sophie",
     "at": "2005-09-13T08:35:00-04:00",
     "body": "J'ai remis la fiche comme avant (h pour voir son historique) : tes notes sur "
             "la médiation étaient arrivées ici, @Luc. Elles sont toujours dans l'historique."},
)  # fmt: skip
# Nadia was right: Luc takes his comment back, her answer stays under it.
WITHDRAWALS: tuple[WithdrawalData, ...] = (
    {"comment": "c-suppression", "by": "luc", "at": "2005-09-12T12:00:00-04:00"},
)


def programme_pdf() -> bytes:
    """The mission's programme as a small valid PDF: one A4 page of text in Helvetica."""
    lines = [PROGRAMME_TITLE, "", *PROGRAMME]
    text = ["BT", "/F1 11 Tf", "14 TL", "60 780 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(pdf)


class TouchActions:
    """The builder's actions for attachments, restores and withdrawals."""

    notebook: Notebook
    entries: dict[str, str]  # content key → entry id
    comments: dict[str, str]  # content key → comment id

    def _as(self, who: str, at: str) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    def attachments(self, attachments: Sequence[AttachmentData]) -> list[Action]:
        return [Action(at_time(a["at"]), self._attach_action(a)) for a in attachments]

    def restores(self, restores: Sequence[RestoreData]) -> list[Action]:
        return [Action(at_time(r["at"]), self._restore_action(r)) for r in restores]

    def withdrawals(self, withdrawals: Sequence[WithdrawalData]) -> list[Action]:
        return [Action(at_time(w["at"]), self._withdraw_action(w)) for w in withdrawals]

    def _attach_action(self, data: AttachmentData) -> Callable[[], object]:
        def run() -> None:
            with (
                _file_on_disk(data["name"], programme_pdf()) as path,
                self._as(data["by"], data["at"]),
            ):
                self.notebook.attach(self.entries[data["entry"]], path)

        return run

    def _restore_action(self, data: RestoreData) -> Callable[[], object]:
        def run() -> None:
            entry_id = self.entries[data["entry"]]
            _latest, before = self.notebook.changes(entry_id)[:2]
            with self._as(data["by"], data["at"]):
                self.notebook.restore(entry_id, before.commit)

        return run

    def _withdraw_action(self, data: WithdrawalData) -> Callable[[], object]:
        def run() -> None:
            with self._as(data["by"], data["at"]):
                self.notebook.withdraw_comment(self.comments[data["comment"]])

        return run


@contextlib.contextmanager
def _file_on_disk(name: str, data: bytes) -> Iterator[Path]:
    """A file named ``name`` holding ``data``, as it was on its owner's disk, for a moment."""
    with tempfile.TemporaryDirectory(prefix="carnet-demo-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path
