"""Build a synthetic notebook in the real on-disk format, for the benchmark (docs/design.md §8)."""

from __future__ import annotations

import argparse
import calendar
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from store.git.program import Identity, run_git
from store.ids import CROCKFORD, slugify
from store.layout import document_path
from store.model import KINDS, STANCES, NotebookInfo, Objective, canonical_bytes
from store.notebook import META_FILE, MISSION_OBJECTIVES, save_settings

COMMENTS_PER_ENTRY = 5
PARTICIPANT_COUNT = 20
# The largest notebook the design plans for: 30,000 entries among 30 participants (issue 15).
LARGE_ENTRIES = 30_000
LARGE_PARTICIPANT_COUNT = 30
# The mission: 4 to 10 September 2005; the notebook lives on for a few months after it.
START_MS = 1_125_532_800_000  # 2005-09-01T00:00:00Z
SPAN_MS = 120 * 24 * 3600 * 1000
# A fixed commit date, so that the same seed gives the same commit id.
COMMIT_DATE = "2006-01-02T12:00:00+00:00"

FIRST_NAMES = (
    "Hélène", "Geneviève", "François", "Jérôme", "Noémie", "Benoît", "Élise", "Frédéric",
    "Mélanie", "André", "Josée", "Stéphane", "Chloé", "Rémi", "Céline", "Mathéo", "Anaïs",
    "Valérie", "Gaëtan", "Zoé",
)  # fmt: skip
LAST_NAMES = (
    "Côté", "Bélanger", "Lévesque", "Gagné", "Bérubé", "Ménard", "Pelletier", "Thériault",
    "Lefèvre", "Mercier", "Després", "Boucher", "Poirier", "Fréchette", "Leclerc", "Gélinas",
    "Béland", "Rhéaume", "Séguin", "Dubé",
)  # fmt: skip
ORGANISATIONS = (
    "INSPQ", "ÉN3S", "CNAF", "CAF de la Gironde", "CAF de Bretagne", "CSSS de la Vieille-Capitale",
    "Ministère de la Santé et des Services sociaux", "Centraide Québec", "Université Laval",
    "Direction de santé publique de Montréal",
)  # fmt: skip
ROLES = ("chargée de projet", "agent de planification", "chercheur", "directrice", "conseiller")

TAGS = (
    "parentalité", "petite enfance", "évaluation", "réseautage", "intersectorialité",
    "développement social", "inégalités", "médiation", "quartier", "santé publique",
    "périnatalité", "éducation populaire", "logement", "insertion", "jeunesse", "bénévolat",
    "financement", "gouvernance", "données", "outils",
)  # fmt: skip

SUBJECTS = (
    "La caisse d'allocations familiales", "L'équipe du centre social", "Le réseau d'écoute",
    "La municipalité", "Le comité de pilotage", "Une association de quartier",
    "Le conseil général", "L'équipe de recherche", "La maison des familles",
    "Le service de protection maternelle et infantile", "Un groupe de parents",
    "La délégation québécoise", "L'école des parents", "Le contrat enfance-jeunesse",
    "L'observatoire régional de la santé", "Le centre communal d'action sociale",
)  # fmt: skip
VERBS = (
    "a présenté", "met en œuvre", "évalue", "accompagne", "a développé", "coordonne",
    "finance", "a réuni", "propose", "expérimente", "documente", "soutient", "a créé",
    "anime", "réfléchit à", "a décrit",
)  # fmt: skip
OBJECTS = (
    "un dispositif de soutien à la parentalité", "une démarche de développement social local",
    "des ateliers d'échanges entre pères", "un diagnostic partagé du territoire",
    "une évaluation participative des projets", "des actions de réduction des inégalités",
    "un réseau d'intervenants en périnatalité", "une charte de collaboration intersectorielle",
    "des outils concrets de concertation", "un lieu d'accueil enfants-parents",
    "une recherche-action sur l'isolement des familles", "des indicateurs de qualité de vie",
    "une formation commune aux éducateurs", "un guichet unique pour les familles",
    "la participation des habitants", "un programme de visites à domicile",
)  # fmt: skip
COMPLEMENTS = (
    "dans les quartiers prioritaires", "avec les partenaires de l'éducation nationale",
    "depuis près de dix ans", "en lien étroit avec les élus locaux", "à l'échelle du département",
    "sans financement récurrent", "auprès des familles monoparentales",
    "grâce à une équipe pluridisciplinaire", "selon une approche de proximité",
    "en s'inspirant d'expériences québécoises", "malgré des résultats encore fragiles",
    "pour favoriser l'autonomie des parents", "au bénéfice des tout-petits",
)  # fmt: skip
REMARKS = (
    "Il faudrait vérifier si cette pratique est transférable au Québec.",
    "Les résultats de l'évaluation seront publiés à l'automne.",
    "Ce modèle rejoint nos préoccupations en développement social.",
    "Cela soulève la question du financement à long terme.",
    "Nous avons été frappés par la qualité de l'accueil et la générosité des échanges.",
    "Une piste de collaboration intéressante pour l'année prochaine.",
    "La notion de « territoire » n'a pas tout à fait le même sens qu'au Québec.",
    "À discuter avec l'équipe au retour de la mission.",
    "Les élus semblent très présents dans la démarche, ce qui étonne.",
    "Il manque encore des données probantes sur les effets à moyen terme.",
)  # fmt: skip
COMMENT_OPENINGS = (
    "Tout à fait d'accord.", "Je ne suis pas certaine que ce soit comparable.",
    "Bonne observation !", "Question : qui finance ce projet ?", "Voir aussi la fiche précédente.",
    "Merci pour ce compte rendu détaillé.", "À nuancer, selon moi.", "Très intéressant.",
    "J'ajouterais une précision.", "Est-ce qu'on a les coordonnées de la responsable ?",
)  # fmt: skip


@dataclass(frozen=True)
class Sizes:
    """How much to generate."""

    entries: int
    comments: int
    participants: int = PARTICIPANT_COUNT

    @classmethod
    def for_entries(cls, entries: int) -> Sizes:
        participants = LARGE_PARTICIPANT_COUNT if entries >= LARGE_ENTRIES else PARTICIPANT_COUNT
        return cls(entries, entries * COMMENTS_PER_ENTRY, participants)


@dataclass(frozen=True)
class Generated:
    """What was written, for the benchmark to report."""

    root: Path
    participant: str
    entries: int
    comments: int
    reviews: int
    participants: int
    files: int
    bytes: int
    seconds_writing: float
    seconds_committing: float


def ulid_at(ms: int, rng: random.Random) -> str:
    """A ULID for a given time, its random part drawn from ``rng`` (so the same seed repeats)."""
    value = (ms << 80) | rng.getrandbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def iso(ms: int) -> str:
    """Carnet's time format for a time in milliseconds since the epoch."""
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def sentence(rng: random.Random) -> str:
    """One French sentence about the mission's themes."""
    if rng.random() < 0.2:
        return rng.choice(REMARKS)
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(COMPLEMENTS))
    return " ".join(parts) + "."


def text(rng: random.Random, low: int, high: int, *, markdown: bool = True) -> str:
    """French text whose UTF-8 size is between ``low`` and ``high`` bytes, in paragraphs."""
    target = rng.randint(low, high)
    paragraphs: list[str] = []
    current: list[str] = []
    size = 0
    while True:
        if current and rng.random() < 0.25:
            paragraphs.append(" ".join(current))
            current = []
        if markdown and rng.random() < 0.04:
            item = f"- {rng.choice(OBJECTS)}"
            paragraphs.append(item)
            size += len(item.encode()) + 2
        words = sentence(rng)
        added = len(words.encode()) + 1
        if size + added > target and size >= low:
            break
        current.append(words)
        size += added
        if size > high:  # one long sentence overshot: cut it, keeping whole characters
            break
    if current:
        paragraphs.append(" ".join(current))
    body = "\n\n".join(paragraphs)
    while len(body.encode()) < low:  # the running size above is an estimate
        body += " " + sentence(rng)
    while len(body.encode()) > high:
        body = body[: -max(1, len(body.encode()) - high)].rstrip()
    return body


class History:
    """The notebook's one commit, written by ``git fast-import`` as the documents are made.

    ``git add -A`` of every file would hash and write them one loose object at a time (over
    two minutes at 30,000 entries); fast-import writes them into one pack as they come, and a
    checkout then writes the files and the index together.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._paths: list[str] = []
        self._process = subprocess.Popen(
            ["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE
        )
        assert self._process.stdin is not None
        self._stream = self._process.stdin

    def write(self, relative: str, document: dict[str, object]) -> int:
        """Add one document, in its canonical form; return its size."""
        data = canonical_bytes(document)
        self._paths.append(relative)
        self._stream.write(b"blob\nmark :%d\ndata %d\n" % (len(self._paths), len(data)))
        self._stream.write(data)
        self._stream.write(b"\n")
        return len(data)

    def commit(self, identity: Identity, message: str) -> None:
        """Commit every document added, with a fixed date; then write the files."""
        when = calendar.timegm(time.strptime(COMMIT_DATE[:19], "%Y-%m-%dT%H:%M:%S"))
        person = f"{identity.name} <{identity.email}> {when} +0000".encode()
        text = (message + "\n").encode()
        self._stream.write(b"commit refs/heads/main\nauthor %s\ncommitter %s\n" % (person, person))
        self._stream.write(b"data %d\n%s" % (len(text), text))
        for mark, path in enumerate(self._paths, start=1):
            self._stream.write(b"M 100644 :%d %s\n" % (mark, path.encode()))
        self._stream.write(b"\n")
        self._stream.close()
        if self._process.wait() != 0:
            raise SystemExit("git fast-import failed")
        # No timeout: at 30,000 entries this writes over 300,000 files.
        subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=self.root, check=True)


def generate(root: Path, sizes: Sizes, *, seed: int = 2005) -> Generated:
    """Write a notebook of ``sizes`` at ``root`` (which must not exist) and commit it once.

    The documents are serialised through ``canonical_bytes``, the way every writer does, and
    committed once, without one commit per action: that would take hours at this size.
    """
    rng = random.Random(seed)
    if root.exists():
        raise SystemExit(f"{root} exists already: give a new folder")
    started = time.perf_counter()
    root.parent.mkdir(parents=True, exist_ok=True)
    run_git(root.parent, "init", "-q", "-b", "main", str(root))
    info = NotebookInfo(
        title="Mission exploratoire : le développement social local en France",
        language="fr",
        objectives=tuple(Objective(n, t) for n, t in enumerate(MISSION_OBJECTIVES["fr"], 1)),
    )
    history = History(root)
    write = history.write
    total = write(META_FILE, info.to_doc())
    files = 1

    participants: list[str] = []
    for index in range(sizes.participants):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        name = f"{first} {last}"
        slug = slugify(name, participants)
        participants.append(slug)
        total += write(
            document_path("participants", slug),
            {
                "name": name,
                "email": f"{slug}@example.org",
                "organisation": ORGANISATIONS[index % len(ORGANISATIONS)],
                "role": ROLES[index % len(ROLES)],
            },
        )
        files += 1

    # Entries, oldest first; each gets a time, an author and its text.
    created_ms = sorted(START_MS + rng.randrange(SPAN_MS) for _ in range(sizes.entries))
    entry_ids: list[str] = []
    entry_created: list[int] = []
    entry_activity: list[int] = []
    for ms in created_ms:
        entry_id = ulid_at(ms, rng)
        author = rng.choice(participants)
        updated_ms = ms if rng.random() < 0.6 else ms + rng.randrange(20 * 24 * 3600 * 1000)
        conflicts = []
        if rng.random() < 0.005:
            conflicts.append(
                {
                    "field": "title",
                    "value": f"{rng.choice(OBJECTS).capitalize()} (autre version)",
                    "author": rng.choice(participants),
                    "updated": iso(updated_ms),
                    "base": "Titre d'origine",
                }
            )
        status = rng.choices(("draft", "open", "discuss", "adopted", "archived"), (1, 6, 2, 2, 1))
        title = f"{rng.choice(OBJECTS).capitalize()} {rng.choice(COMPLEMENTS)}"
        document = {
            "kind": rng.choice(KINDS),
            "title": title,
            "body": text(rng, 500, 2000),
            "objectives": sorted(rng.sample(range(1, 5), rng.choice((1, 1, 2, 3)))),
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 4))),
            "status": status[0],
            "author": author,
            "updated_by": author if rng.random() < 0.8 else rng.choice(participants),
            "created": iso(ms),
            "updated": iso(updated_ms),
            "deleted": rng.random() < 0.01,
            "conflicts": conflicts,
        }
        total += write(document_path("entries", entry_id), document)
        files += 1
        entry_ids.append(entry_id)
        entry_created.append(ms)
        entry_activity.append(updated_ms)

    # Comments: some entries draw many, a few none; a third are replies to an earlier one.
    weights = [rng.paretovariate(1.5) for _ in entry_ids]
    targets = rng.choices(range(len(entry_ids)), weights, k=sizes.comments)
    thread: dict[int, list[tuple[str, int]]] = {}
    for target in sorted(targets):
        previous = thread.setdefault(target, [])
        after = previous[-1][1] if previous else entry_created[target]
        ms = after + rng.randrange(1, 3 * 24 * 3600 * 1000)
        comment_id = ulid_at(ms, rng)
        parent = rng.choice(previous)[0] if previous and rng.random() < 0.35 else None
        body = f"{rng.choice(COMMENT_OPENINGS)} {text(rng, 60, 600, markdown=False)}"
        total += write(
            document_path("comments", comment_id),
            {
                "entry": entry_ids[target],
                "parent": parent,
                "author": rng.choice(participants),
                "body": body,
                "created": iso(ms),
            },
        )
        files += 1
        previous.append((comment_id, ms))
        entry_activity[target] = max(entry_activity[target], ms)

    # Reviews: each participant has read 20-40 % of the entries; some took a stance.
    reviews = 0
    for participant in participants:
        share = rng.uniform(0.2, 0.4)
        for index in rng.sample(range(len(entry_ids)), int(share * len(entry_ids))):
            # Most read everything so far; some read before the latest comment (so: unread).
            low = entry_created[index]
            high = max(entry_activity[index], low + 1)
            read_ms = (
                high + rng.randrange(3600 * 1000) if rng.random() < 0.7 else rng.randint(low, high)
            )
            # The stances the generated notebooks have always had, so that they stay the same.
            stance = rng.choices((None, *STANCES[:3]), (70, 18, 8, 4))[0]
            read = None if rng.random() < 0.02 else iso(read_ms)
            total += write(
                document_path("reviews", f"{participant}/{entry_ids[index]}"),
                {
                    "participant": participant,
                    "entry": entry_ids[index],
                    "read": read,
                    "stance": stance,
                    "updated": iso(read_ms),
                },
            )
            files += 1
            reviews += 1
    written = time.perf_counter()

    # One commit of everything, with fixed dates: the same seed gives the same repository.
    me = participants[0]
    history.commit(Identity(FIRST_NAMES[0] + " " + LAST_NAMES[0], f"{me}@example.org"),
                   "Carnet synthétique")  # fmt: skip
    save_settings(root / ".git" / "carnet", participant=me)
    return Generated(
        root=root,
        participant=me,
        entries=len(entry_ids),
        comments=sizes.comments,
        reviews=reviews,
        participants=len(participants),
        files=files,
        bytes=total,
        seconds_writing=written - started,
        seconds_committing=time.perf_counter() - written,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path, help="the new notebook folder (must not exist)")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=None, help="default: 5 per entry")
    parser.add_argument("--seed", type=int, default=2005)
    args = parser.parse_args(argv)
    sizes = Sizes.for_entries(args.entries)
    if args.comments is not None:
        sizes = Sizes(args.entries, args.comments, sizes.participants)
    done = generate(args.path, sizes, seed=args.seed)
    print(
        f"{done.root}: {done.entries} entries, {done.comments} comments, {done.reviews} reviews, "
        f"{done.participants} participants; {done.files} files, {done.bytes / 1e6:.1f} MB; "
        f"written in {done.seconds_writing:.1f} s, committed in {done.seconds_committing:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
