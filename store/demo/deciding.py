"""What the demo group decided together, in the autumn after the mission: plain data, in French.

A decision put to the group in October and closed at the follow-up meeting of 17 November,
that meeting with its agenda and minutes, the first sections of the synthesis the group writes,
and, pushed with the peer's news, a decision still open: its closing day is counted from the
day the demo is built, so that it is open whenever someone tries the demo.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class DecisionData(TypedDict):
    """An entry put to the group's decision; ``closes`` is a day, or ``closes_in_days`` counts
    from the day the demo is built."""

    entry: str
    by: str
    at: str
    question: str
    closes: NotRequired[str]
    closes_in_days: NotRequired[int]


class StanceData(TypedDict):
    """A stance given on an entry in the weeks before the follow-up meeting."""

    entry: str
    by: str
    at: str
    stance: str


class AgendaData(TypedDict):
    """One item of a meeting's agenda: the entry discussed, what was said, what was agreed."""

    entry: str
    minutes: str
    status: NotRequired[str]


class MeetingData(TypedDict):
    """A meeting, prepared by ``by`` at ``at`` and closed after it was held (``closed_at``)."""

    by: str
    at: str
    day: str
    title: str
    place: str
    attendees: tuple[str, ...]
    agenda: tuple[AgendaData, ...]
    closed_at: str


class SectionData(TypedDict):
    """A section of the synthesis the group writes, by its name."""

    name: str
    by: str
    at: str
    body: str


DECISIONS: tuple[DecisionData, ...] = (
    {"entry": "stages-croises", "by": "marie-claude", "at": "2005-10-24T09:00:00-04:00",
     "closes": "2005-11-18",
     "question": "Proposons-nous les stages croisés à nos directions pour 2006-2007 ?"},
)  # fmt: skip

STANCES: tuple[StanceData, ...] = (
    {"entry": "stages-croises", "by": "nadia", "at": "2005-10-25T08:40:00-04:00",
     "stance": "agree"},
    {"entry": "stages-croises", "by": "etienne", "at": "2005-10-26T21:10:00-04:00",
     "stance": "agree"},
    {"entry": "stages-croises", "by": "sophie", "at": "2005-11-02T10:15:00-05:00",
     "stance": "abstain"},
    # A ministry cannot twin with one family centre: Sophie stops it until it is reshaped.
    {"entry": "jumelage-bordeaux", "by": "sophie", "at": "2005-11-03T09:20:00-05:00",
     "stance": "block"},
)  # fmt: skip

MEETINGS: tuple[MeetingData, ...] = (
    {
        "by": "marie-claude",
        "at": "2005-11-10T14:00:00-05:00",
        "day": "2005-11-17",
        "title": "Rencontre de suivi de la mission",
        "place": "INSPQ, Montréal, et par téléphone pour Rimouski",
        "attendees": ("marie-claude", "etienne", "nadia", "luc", "sophie"),
        "agenda": (
            {
                "entry": "stages-croises",
                "minutes": "Accord de tous pour présenter la proposition aux directions. "
                "Sophie s'est abstenue : son ministère ne reçoit pas de stagiaires, mais elle "
                "cherchera un programme de mobilité pour les frais de voyage. Deux stages d'une "
                "semaine au printemps, un dans chaque sens, pour commencer petit.",
                "status": "adopted",
            },
            {
                "entry": "jumelage-bordeaux",
                "minutes": "L'idée plaît, mais personne ne peut encore s'engager au nom de sa "
                "maison. Luc en parle à son conseil d'administration en janvier ; on y revient "
                "à la prochaine rencontre.",
            },
            {
                "entry": "universel-cible",
                "minutes": "Le désaccord demeure entre Luc et Nadia ; il est plutôt utile. On "
                "demande à chacun d'écrire un court argumentaire pour la synthèse.",
            },
        ),
        "closed_at": "2005-11-17T16:30:00-05:00",
    },
)

SECTIONS: tuple[SectionData, ...] = (
    {
        "name": "introduction",
        "by": "marie-claude",
        "at": "2005-11-21T09:30:00-05:00",
        "body": """\
Du 4 au 10 septembre 2005, notre délégation, venue de la santé publique, des services sociaux
et des organismes de soutien aux familles, a parcouru la France pour voir comment on y
pratique le développement social local. Ce carnet réunit ce que nous avons noté sur place
et ce que nous en avons tiré depuis, ensemble.

Les pages qui suivent reprennent nos quatre objectifs de départ. Pour chacun, les fiches que
le groupe a retenues, puis quelques lignes sur ce que nous en gardons.
""",
    },
    {
        "name": "objective-3",
        "by": "etienne",
        "at": "2005-11-22T20:00:00-05:00",
        "body": """\
Ce qui frappe, là-bas, ce n'est pas qu'on collabore mieux : c'est que les contrats entre la
CAF et les communes obligent à s'asseoir à la même table, à date fixe, avec des objectifs
écrits. Nous retenons surtout les outils (le diagnostic partagé, le projet social du centre
social) plus que les structures, qui ne se transposent pas.
""",
    },
)

# Pushed with the peer's news: still open when the demo is tried.
NEWS_DECISIONS: tuple[DecisionData, ...] = (
    {"entry": "delegation-2006", "by": "nadia", "at": "2005-11-28T10:40:00-05:00",
     "closes_in_days": 14,
     "question": "Acceptons-nous de coordonner l'accueil de la délégation girondine ?"},
)  # fmt: skip
