"""What the demo notebook holds: the 2005 mission to France as its participants might have noted it.

Plain data, in French. The people are invented, and so are their CSSS, public-health
directorate and family centre; the mission, its objectives and its French hosts are those of
the 2005 exploratory mission.

Times are those of the mission, from September to November 2005, rather than recent weeks: the
entries speak of visits made the day before and of a meeting "in October", and the git
history, dated the same way, tells the same story as the notebook. Each time carries its UTC
offset: Paris time during the mission (4–10 September), Québec time before and after.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class PersonData(TypedDict):
    """A participant; ``key`` is how the rest of this file names them."""

    key: str
    name: str
    email: str
    organisation: str
    role: str
    joined: str


class EntryData(TypedDict):
    """An entry as first written; later changes are in ``EDITS``."""

    key: str
    author: str
    at: str
    kind: str
    status: str
    objectives: tuple[int, ...]
    tags: tuple[str, ...]
    title: str
    body: str


class EditData(TypedDict):
    """A later change to an entry: a new status or title, and/or text added at the end."""

    entry: str
    by: str
    at: str
    status: NotRequired[str]
    title: NotRequired[str]
    append: NotRequired[str]


class CommentData(TypedDict):
    """A comment on an entry, or a reply to another comment (``parent``)."""

    key: str
    entry: str
    parent: str | None
    author: str
    at: str
    body: str


class ReadingData(TypedDict):
    """A participant reading an entry, and perhaps taking a stance on it."""

    entry: str
    by: str
    at: str
    stance: NotRequired[str]


TITLE = "Mission 2005 — Le développement social local en France"

PARTICIPANTS: tuple[PersonData, ...] = (
    {
        "key": "marie-claude",
        "name": "Marie-Claude Bérubé",
        "email": "marie-claude.berube@inspq.example",
        "organisation": "Institut national de santé publique du Québec (INSPQ)",
        "role": "Conseillère scientifique, coordonnatrice de la mission",
        "joined": "2005-09-01T09:30:00-04:00",
    },
    {
        "key": "etienne",
        "name": "Étienne Lachance",
        "email": "etienne.lachance@csss-deux-ruisseaux.example",
        "organisation": "CSSS des Deux-Ruisseaux (mission CLSC)",
        "role": "Organisateur communautaire",
        "joined": "2005-09-01T13:10:00-04:00",
    },
    {
        "key": "nadia",
        "name": "Nadia Ouellet",
        "email": "nadia.ouellet@dsp.example",
        "organisation": "Direction de santé publique du Bas-Saint-Laurent",
        "role": "Agente de planification, développement des communautés",
        "joined": "2005-09-01T15:45:00-04:00",
    },
    {
        "key": "luc",
        "name": "Luc Thibodeau",
        "email": "luc.thibodeau@maisondesfamilles.example",
        "organisation": "Maison des familles du Vieux-Moulin",
        "role": "Directeur général",
        "joined": "2005-09-02T08:20:00-04:00",
    },
    {
        "key": "sophie",
        "name": "Sophie Gendron",
        "email": "sophie.gendron@famille.example",
        "organisation": "Ministère de la Famille, des Aînés et de la Condition féminine",
        "role": "Conseillère en politiques familiales",
        "joined": "2005-09-02T11:05:00-04:00",
    },
)

# Who created the notebook, who "you" are in the demo, and who pushed news after your clone.
CREATOR = "marie-claude"
YOU = "etienne"
PEER = "nadia"

ENTRIES: tuple[EntryData, ...] = (
    {
        "key": "mode-emploi",
        "author": "marie-claude",
        "at": "2005-09-02T14:00:00-04:00",
        "kind": "tool",
        "status": "open",
        "objectives": (),
        "tags": ("mode-d-emploi",),
        "title": "Mode d'emploi du carnet pendant la mission",
        "body": """\
## Pourquoi ce carnet

Nous serons cinq, venus de cinq organisations, à voir en six jours plus de projets que nous ne
pourrons en retenir. Ce carnet sert à **noter à chaud**, le soir même, puis à discuter à froid
au retour.

## Quelques règles simples

- Une fiche par chose vue : une pratique, une recherche, un outil, une personne à recontacter.
- Indiquez à quel objectif de la mission la fiche se rattache (un ou deux, pas davantage).
- Laissez *brouillon* tant que la fiche n'est pas relue, puis passez-la à *ouvert*.
- Les désaccords vont dans les commentaires, pas dans le texte de la fiche de quelqu'un d'autre.

## Après la mission

Les fiches que nous voudrons porter plus loin passeront à *à discuter*, puis à *retenu* si le
groupe s'entend. Le reste sera archivé, jamais effacé.
""",
    },
    {
        "key": "cnaf-cadre",
        "author": "sophie",
        "at": "2005-09-05T22:10:00+02:00",
        "kind": "practice",
        "status": "open",
        "objectives": (1, 3),
        "tags": ("action-sociale", "cnaf", "politique-familiale"),
        "title": "CNAF : comment l'action sociale des CAF est encadrée au niveau national",
        "body": """\
Première journée, à Paris. La CNAF nous a expliqué comment la branche Famille encadre
l'action sociale de ses caisses locales.

## Ce que j'en retiens

1. **Deux étages** : les prestations légales, les mêmes partout, et une *action sociale* que
   chaque CAF module selon son territoire.
2. Une **convention pluriannuelle entre l'État et la CNAF** fixe les grandes orientations et
   l'enveloppe ; chaque caisse la traduit dans son propre plan d'action.
3. Les CAF financent rarement seules : elles cofinancent avec les communes, le département et
   les associations, et ce cofinancement leur sert de levier pour exiger une démarche de projet.

## Ce qui m'étonne

- Le poids de l'action sociale dans le budget, comparé à ce que nous consacrons chez nous au
  soutien des organismes Famille.
- La place des **administrateurs** venus des syndicats, du patronat et des associations
  familiales : cette gouvernance n'a pas d'équivalent au Québec.

## Questions à creuser

- Comment une caisse arbitre-t-elle entre les orientations nationales et les besoins qu'elle
  observe sur place ?
- Qui évalue les effets de cette action sociale, et avec quels indicateurs ?
""",
    },
    {
        "key": "cnaf-recherche",
        "author": "nadia",
        "at": "2005-09-05T23:20:00+02:00",
        "kind": "research",
        "status": "open",
        "objectives": (2,),
        "tags": ("cnaf", "recherche", "revue", "évaluation"),
        "title": "La recherche à la CNAF : études, revue et statistiques",
        "body": """\
La CNAF dispose d'un service de recherche et de statistiques qui publie une revue et des
dossiers d'étude. Plusieurs travaux portent sur la parentalité, les modes de garde et l'action
sociale locale.

## Points forts

- Les chercheurs travaillent **à partir des données administratives** des caisses : chez
  nous, ce serait comme avoir un accès direct aux données de nos programmes.
- Une partie des études est confiée à des équipes universitaires, suivies par un comité mixte
  de chercheurs et de gestionnaires.

## À vérifier

- Les numéros consacrés à l'évaluation des dispositifs de soutien aux parents.
- S'il existe des synthèses que nous pourrions faire circuler à l'INSPQ.
""",
    },
    {
        "key": "en3s",
        "author": "marie-claude",
        "at": "2005-09-05T23:45:00+02:00",
        "kind": "contact",
        "status": "open",
        "objectives": (4,),
        "tags": ("entente", "formation", "én3s"),
        "title": "ÉN3S : prolonger l'entente par la formation",
        "body": """\
L'École forme les futurs cadres de la Sécurité sociale ; notre mission s'inscrit dans
l'entente de collaboration qu'elle a conclue avec l'INSPQ.

**Idée lancée au dîner** : accueillir un ou deux élèves de l'École en stage dans nos
organisations et proposer, en retour, un module sur la manière québécoise de soutenir le
développement des communautés.

- Interlocuteur : le service des relations internationales de l'École.
- Prochaine étape : un courriel de remerciement avec une proposition de calendrier, avant la
  fin de septembre.
""",
    },
    {
        "key": "liste-provisoire",
        "author": "marie-claude",
        "at": "2005-09-06T08:00:00+02:00",
        "kind": "contact",
        "status": "open",
        "objectives": (4,),
        "tags": ("contacts",),
        "title": "Personnes rencontrées — liste provisoire",
        "body": """\
Liste tenue au fil des journées ; chacun la complète.

- **Paris** : l'équipe de l'action sociale de la CNAF ; le service de la recherche.
- **Rennes** : la direction de l'action sociale de la CAF ; deux centres sociaux ; le comité
  du réseau de parents.
- **Bordeaux** : les travailleurs sociaux de territoire ; l'équipe chargée de l'évaluation.

*Cette liste sera remplacée par une fiche « contact » par personne ou par équipe.*
""",
    },
    {
        "key": "centre-social-rennes",
        "author": "etienne",
        "at": "2005-09-06T22:40:00+02:00",
        "kind": "practice",
        "status": "open",
        "objectives": (1, 3),
        "tags": ("bretagne", "centres-sociaux", "participation", "projet-social"),
        "title": "Un centre social de quartier à Rennes : le projet social comme contrat",
        "body": """\
Visite d'un centre social dans un quartier d'habitat social de Rennes. C'est celle qui m'a le
plus parlé jusqu'ici, parce qu'elle ressemble à ce que nous essayons de faire avec nos tables
de quartier.

## Le principe

Un centre social n'est reconnu et financé par la CAF que s'il présente un **projet social**
de quelques années. Ce projet part d'un diagnostic fait *avec* les habitants, et il est
renégocié à chaque échéance.

## Ce qu'on y trouve

- un accueil ouvert toute la journée, tenu en partie par des bénévoles du quartier ;
- des activités pour les familles : sorties, ateliers parents-enfants, aide aux devoirs ;
- des permanences de partenaires : assistante sociale du département, conseillère de la CAF,
  mission locale pour les jeunes ;
- un conseil où siègent des habitants, qui vote vraiment le budget des activités.

## Ce qui me frappe

Le projet social fonctionne comme un **contrat** : la CAF finance, mais le centre doit montrer
que les habitants ont pris part au diagnostic et au bilan. La participation n'est pas un
supplément d'âme, c'est une condition du financement.

## Ce que je me demande

1. Cette exigence produit-elle une participation réelle, ou une participation « de dossier » ?
2. Qui, au Québec, pourrait jouer le rôle de la CAF : le CSSS, la municipalité, Centraide ?
3. Quelques années, est-ce assez long pour voir des effets ?
""",
    },
    {
        "key": "laep",
        "author": "luc",
        "at": "2005-09-06T23:05:00+02:00",
        "kind": "practice",
        "status": "open",
        "objectives": (1,),
        "tags": ("accueil", "bretagne", "parentalité", "petite-enfance"),
        "title": "Lieu d'accueil enfants-parents : accueillir sans inscrire",
        "body": """\
Un petit local au rez-de-chaussée d'un immeuble, ouvert trois demi-journées par semaine. Les
parents y viennent avec leurs enfants de moins de quatre ans, **sans rendez-vous, sans
inscription, sans même donner leur nom**.

Deux accueillantes, une éducatrice de jeunes enfants et une psychologue, sont sur place. Elles
ne donnent pas de conseils d'emblée : elles écoutent, jouent, laissent les parents se parler.

## Pourquoi c'est intéressant pour nous

- L'anonymat attire des familles qui ne pousseraient jamais la porte d'un service.
- Le lieu prépare en douceur la première séparation, avant la garderie ou l'école.
- Cela coûte peu : un local, deux personnes formées, des jouets.

> « Ici, personne n'est *suivi*. On vient, c'est tout. » — une accueillante

Nos haltes-garderies communautaires s'en approchent, mais elles gardent les enfants *pendant
que* le parent s'absente ; ici, le parent reste.
""",
    },
    {
        "key": "reaap",
        "author": "sophie",
        "at": "2005-09-07T21:30:00+02:00",
        "kind": "practice",
        "status": "open",
        "objectives": (1, 3),
        "tags": ("bretagne", "parentalité", "reaap", "réseau"),
        "title": "Les REAAP : un réseau départemental pour soutenir les parents",
        "body": """\
Les réseaux d'écoute, d'appui et d'accompagnement des parents existent dans chaque
département depuis la fin des années 1990. Ils ne créent pas de nouveau service : ils
**relient** ce qui existe déjà.

## Ce que nous en avons vu en Bretagne

- Un comité départemental réunit l'État, la CAF, le conseil général, l'Éducation nationale et
  des associations familiales.
- Un petit fonds soutient des actions portées par des parents ou des associations : groupes
  de parole, conférences, cafés des parents.
- Une charte commune pose un principe fort : les parents sont les **premiers éducateurs** de
  leurs enfants ; on les soutient, on ne les remplace pas.

## Pour la politique familiale québécoise

L'idée d'une charte signée par tous les financeurs me paraît transposable. Elle éviterait que
chaque programme redéfinisse à sa façon ce que veut dire « soutenir les parents ».
""",
    },
    {
        "key": "diagnostic-partage",
        "author": "nadia",
        "at": "2005-09-07T22:50:00+02:00",
        "kind": "tool",
        "status": "open",
        "objectives": (3,),
        "tags": ("diagnostic", "outil", "territoire"),
        "title": "Le diagnostic partagé de territoire, étape par étape",
        "body": """\
Plusieurs de nos hôtes ont décrit la même démarche sous des noms différents. En voici la trame
telle que je l'ai comprise.

1. **Former le groupe** : élus, services, associations et quelques habitants, dès le départ.
2. **Rassembler les chiffres** : données de la CAF, de la commune, du département, de l'école.
3. **Aller chercher la parole** : entretiens, marches dans le quartier, rencontres au pied des
   immeubles.
4. **Croiser** les chiffres et la parole au cours d'une séance de travail commune.
5. **Choisir trois ou quatre priorités**, pas davantage, et les écrire dans un document court.
6. **Revenir vers les habitants** pour valider, puis tous les deux ou trois ans pour refaire
   le point.

## Ce qui fait la différence

L'étape 4 : chacun arrive avec *ses* données et repart avec un portrait *commun*. C'est ce qui
manque à nos portraits de communauté, souvent produits par un seul organisme.
""",
    },
    {
        "key": "sociologues-rennes",
        "author": "nadia",
        "at": "2005-09-07T23:40:00+02:00",
        "kind": "contact",
        "status": "open",
        "objectives": (2, 4),
        "tags": ("bretagne", "reaap", "recherche", "réseau"),
        "title": "Une équipe de sociologues rennais qui étudie les réseaux de parents",
        "body": """\
Rencontrée en marge de la présentation des REAAP : une équipe universitaire de Rennes qui a
suivi plusieurs réseaux de parents pendant trois ans.

- **Intérêt** : des méthodes qualitatives, et des entretiens avec des parents qui ont *quitté*
  les groupes, ce que nous étudions rarement.
- **Ouverture** : la responsable serait prête à collaborer à distance, par exemple par un
  séminaire commun avec une équipe québécoise.
- **Coordonnées** : carte remise à Marie-Claude.

Suite proposée : mettre cette équipe en relation avec des chercheurs québécois qui travaillent
sur le soutien aux parents.
""",
    },
    {
        "key": "caf-gironde-quartiers",
        "author": "etienne",
        "at": "2005-09-08T22:30:00+02:00",
        "kind": "practice",
        "status": "open",
        "objectives": (1, 3),
        "tags": ("caf", "gironde", "travail-social"),
        "title": "CAF de la Gironde : des travailleurs sociaux de la caisse dans les quartiers",
        "body": """\
À Bordeaux, la CAF emploie ses propres travailleurs sociaux, chacun attaché à un territoire.
Ils ne font pas que de l'accompagnement individuel : une part de leur temps va au
**développement social local**, c'est-à-dire animer des partenariats, appuyer des projets
d'habitants, prendre part aux diagnostics.

- Ils connaissent les allocataires de leur secteur grâce aux données de la caisse, ce qui leur
  permet d'aller vers des familles qui ne demandent rien.
- Ils font le lien entre les orientations de la caisse et les acteurs du quartier.

*Le parallèle avec nos organisateurs communautaires de CLSC est évident*, à une différence
près : ici, l'organisme qui verse les prestations est aussi celui qui anime le territoire.
""",
    },
    {
        "key": "evaluation-participative",
        "author": "nadia",
        "at": "2005-09-08T22:45:00+02:00",
        "kind": "research",
        "status": "open",
        "objectives": (2,),
        "tags": ("gironde", "participation", "évaluation"),
        "title": "Évaluer avec les habitants : une démarche participative en Gironde",
        "body": """\
Une équipe de la CAF de la Gironde nous a présenté l'évaluation d'un projet de quartier menée
**avec** les habitants plutôt que *sur* eux.

## La démarche

- Les questions d'évaluation ont été choisies par un groupe d'habitants et de professionnels.
- Des habitants ont été formés pour mener eux-mêmes une partie des entretiens.
- Les résultats ont été présentés d'abord au quartier, ensuite aux financeurs.

## Mes réserves

Le récit était convaincant, mais je n'ai vu aucune donnée sur les **effets** pour les
familles : l'évaluation portait surtout sur le processus. À discuter avant d'en faire un
modèle.
""",
    },
    {
        "key": "correspondances",
        "author": "marie-claude",
        "at": "2005-09-08T23:40:00+02:00",
        "kind": "tool",
        "status": "open",
        "objectives": (3, 4),
        "tags": ("glossaire", "institutions"),
        "title": "Qui fait quoi ? Correspondances entre acteurs français et québécois",
        "body": """\
Pour ne pas nous perdre dans les sigles, voici des correspondances **approximatives** : aucune
institution n'a d'équivalent exact de l'autre côté. *Ajoutez une ligne si vous en voyez une
qui manque.*

| En France | Son rôle, en bref | Au Québec, ce qui s'en rapproche |
|---|---|---|
| CNAF | tête de réseau de la branche Famille | ministère de la Famille, pour les orientations |
| CAF | prestations familiales et action sociale locale | aucun équivalent unique |
| Conseil général | protection de l'enfance, PMI, insertion | centres jeunesse, CSSS |
| PMI | suivi médical et social des jeunes enfants | services de périnatalité des CLSC |
| Centre social | équipement de quartier à projet social | maison de quartier, organisme Famille |
| Commune et CCAS | action sociale de proximité | municipalité, rarement présente en social |
""",
    },
    {
        "key": "contrats-communes",
        "author": "sophie",
        "at": "2005-09-09T21:40:00+02:00",
        "kind": "research",
        "status": "open",
        "objectives": (2, 3),
        "tags": ("communes", "gironde", "indicateurs", "évaluation"),
        "title": "Contrats avec les communes : ce que la CAF mesure vraiment",
        "body": """\
La CAF signe avec les communes des contrats de plusieurs années pour développer l'accueil des
jeunes enfants et les loisirs des enfants et des jeunes. Nous avons demandé comment ces
contrats sont évalués.

## Ce qui est mesuré

- le nombre de places créées et leur taux d'occupation ;
- les heures d'ouverture et le coût d'une heure d'accueil ;
- la part du financement assumée par chaque partenaire.

## Ce qui ne l'est pas, ou peu

- les effets sur les enfants et sur les familles ;
- l'accès des familles les plus pauvres aux places créées.

La chargée d'études l'admet elle-même : **les indicateurs décrivent l'offre, pas ses effets**.
Nous connaissons bien cette limite ; il est instructif de voir qu'un système aussi outillé s'y
heurte aussi.
""",
    },
    {
        "key": "mediation-familiale",
        "author": "luc",
        "at": "2005-09-09T23:10:00+02:00",
        "kind": "practice",
        "status": "draft",
        "objectives": (1,),
        "tags": ("gironde", "médiation", "parentalité"),
        "title": "Médiation familiale : notes à compléter",
        "body": """\
Notes prises en vitesse, à reprendre.

- Un service de médiation familiale cofinancé par la CAF, pour les séparations **et** pour les
  conflits entre générations.
- Tarif selon le revenu : parfois quelques euros la séance.
- Des médiateurs diplômés (un diplôme d'État récent, à vérifier).
- Question : comment les familles y arrivent-elles ? Par le juge, par la CAF, de bouche à
  oreille ?

*À compléter avec la documentation remise par l'association.*
""",
    },
    {
        "key": "jumelage-bordeaux",
        "author": "luc",
        "at": "2005-09-10T14:20:00+02:00",
        "kind": "contact",
        "status": "discuss",
        "objectives": (1, 4),
        "tags": ("centres-sociaux", "gironde", "jumelage"),
        "title": "Directrice d'un centre social bordelais : une idée de jumelage",
        "body": """\
Écrit à l'aéroport, avant d'oublier.

La directrice d'un centre social de la rive droite de Bordeaux aimerait échanger avec une
maison des familles québécoise. Son centre et le nôtre ont à peu près la même taille et des
publics semblables : jeunes familles, parents seuls, familles arrivées depuis peu.

**Ce qu'elle propose** : commencer simplement, par des échanges de lettres et de photos entre
groupes de parents, puis voir si un échange d'animateurs est possible.

Je suis partant. Reste à savoir qui paierait un éventuel voyage.
""",
    },
    {
        "key": "universel-cible",
        "author": "sophie",
        "at": "2005-09-14T20:30:00-04:00",
        "kind": "reflection",
        "status": "discuss",
        "objectives": (1,),
        "tags": ("ciblage", "politique-familiale", "universalité"),
        "title": "Universel ou ciblé ? Ce que la branche Famille nous renvoie",
        "body": """\
Une semaine après le retour, une question me reste : **faut-il viser toutes les familles, ou
d'abord celles qui en ont le plus besoin ?**

## Ce que nous avons vu

En France, la base est universelle : presque toutes les familles ont affaire à la CAF, qui est
donc familière et peu stigmatisante. Les actions plus intensives viennent ensuite, dans
certains quartiers.

Chez nous, beaucoup de programmes de soutien aux parents sont **ciblés** dès le départ
(revenu, âge de la mère, scolarité). C'est efficace pour joindre certaines familles, mais cela
étiquette celles qui y participent.

## Mon hypothèse

Une porte d'entrée universelle, puis une intensité qui augmente avec les besoins. L'idée n'est
pas neuve en santé publique, mais la visite m'a montré ce qu'elle donne *concrètement* dans
une organisation.

## Ce que j'aimerais que nous discutions

- Nos programmes ciblés pourraient-ils s'appuyer sur une porte d'entrée universelle qui existe
  déjà (services de garde, école, CLSC) ?
- À quel coût, et aux dépens de quoi ?
""",
    },
    {
        "key": "place-des-parents",
        "author": "luc",
        "at": "2005-09-16T21:00:00-04:00",
        "kind": "reflection",
        "status": "open",
        "objectives": (1, 3),
        "tags": ("bénévolat", "parentalité", "participation"),
        "title": "La place des parents : usagers, bénévoles ou acteurs ?",
        "body": """\
Presque partout, on nous a parlé de *participation des parents*. Mais le mot couvrait des
réalités très différentes :

- des **usagers**, à qui l'on demande leur avis une fois l'an ;
- des **bénévoles**, qui font tourner l'accueil ;
- des **acteurs**, qui siègent là où se décide le budget.

À la maison des familles, nous sommes surtout au deuxième niveau. Le centre social de Rennes
montre qu'on peut passer au troisième sans que tout s'écroule, à condition d'y consacrer du
temps d'animation et de la formation.

Je propose que nous employions ces trois mots dans nos échanges, pour savoir de quoi nous
parlons.
""",
    },
    {
        "key": "intersectoriel",
        "author": "marie-claude",
        "at": "2005-09-20T19:45:00-04:00",
        "kind": "reflection",
        "status": "open",
        "objectives": (3,),
        "tags": ("gouvernance", "intersectorialité"),
        "title": "Pourquoi l'intersectoriel semble plus simple là-bas (et pourquoi c'est trompeur)",
        "body": """\
Plusieurs d'entre nous sont rentrés avec l'impression que les Français collaborent plus
facilement d'un secteur à l'autre. Je nuancerais.

## Ce qui aide vraiment

- **Un financeur commun qui pose des conditions** : quand la CAF exige un diagnostic partagé
  pour financer, tout le monde vient à la table.
- **Des contrats écrits**, avec des objectifs et une durée, qui survivent aux départs des
  personnes.

## Ce qui relève de la vitrine

- On nous a montré des projets qui marchent ; personne ne nous a présenté un partenariat raté.
- Les mêmes tensions existent, entre l'État et le département, entre élus et associations ;
  elles étaient seulement moins visibles pour des visiteurs.

## Conclusion provisoire

Ce n'est pas tant la culture qui diffère que l'**outillage** : contrats, financements
conjoints, diagnostics obligatoires. Et un outillage, cela s'emprunte.
""",
    },
    {
        "key": "faux-amis",
        "author": "nadia",
        "at": "2005-09-22T16:10:00-04:00",
        "kind": "reflection",
        "status": "draft",
        "objectives": (4,),
        "tags": ("lexique", "réseautage"),
        "title": "Petit lexique des faux amis franco-québécois",
        "body": """\
Brouillon : ajoutez vos trouvailles en commentaire.

- **Animateur** : en France, un métier reconnu, avec ses diplômes ; chez nous, un rôle que
  tient souvent un intervenant ou un bénévole.
- **Prévention** : en France, le mot fait souvent penser à la prévention spécialisée auprès des
  jeunes de la rue ; chez nous, à la santé publique au sens large.
- **Communautaire** : presque suspect en France, où l'on craint le « communautarisme » ; chez
  nous, un mot valorisé.
- **Dîner** : attention aux heures de rendez-vous.
""",
    },
    {
        "key": "stages-croises",
        "author": "marie-claude",
        "at": "2005-09-28T10:15:00-04:00",
        "kind": "proposal",
        "status": "discuss",
        "objectives": (4,),
        "tags": ("formation", "én3s", "échanges"),
        "title": "Des stages croisés d'intervenants entre CAF et CSSS",
        "body": """\
## Proposition

Organiser sur deux ans des **stages croisés de deux semaines** : deux ou trois travailleurs
sociaux de CAF reçus dans des CSSS, autant d'intervenants québécois reçus dans des CAF.

## Pourquoi

- La mission nous a appris qu'on comprend une organisation en y travaillant, pas en la
  visitant.
- L'entente avec l'ÉN3S offre déjà un cadre.

## Ce qu'il faut régler

1. Le financement des voyages (existe-t-il des programmes de mobilité franco-québécois pour
   les professionnels ?)
2. La reconnaissance du stage par les employeurs
3. Le choix des lieux : idéalement, ceux que nous avons visités

Qui serait prêt à recevoir un stagiaire l'an prochain ?
""",
    },
    {
        "key": "bibliographie",
        "author": "sophie",
        "at": "2005-10-03T11:00:00-04:00",
        "kind": "research",
        "status": "open",
        "objectives": (2,),
        "tags": ("bibliographie", "cnaf", "revue"),
        "title": "Numéros de revues de la CNAF à commander",
        "body": """\
Publications repérées pendant la mission :

- un numéro de la revue de recherche de la CNAF consacré à la parentalité ;
- un dossier d'étude sur l'évaluation des contrats passés avec les communes ;
- un numéro de la revue *Informations sociales* sur le développement social local.

Je passe la commande pour le groupe ; les exemplaires circuleront par le courrier interne.
""",
    },
    {
        "key": "seminaire-retour",
        "author": "sophie",
        "at": "2005-10-04T09:30:00-04:00",
        "kind": "proposal",
        "status": "discuss",
        "objectives": (1, 4),
        "tags": ("diffusion", "séminaire", "transfert"),
        "title": "Un séminaire de retour ouvert à nos partenaires",
        "body": """\
Proposition : une demi-journée, début décembre, pour présenter ce que nous avons vu à nos
collègues des cinq organisations, et au-delà.

- **Format** : cinq courtes présentations (une par objectif, plus une sur les suites), puis
  des ateliers.
- **Public** : gestionnaires et intervenants, une soixantaine de personnes.
- **Lieu** : à l'INSPQ, à confirmer.

Le carnet servira de matière première : chaque présentateur reprend les fiches *retenues* de
son thème.
""",
    },
    {
        "key": "evaluation-commune",
        "author": "nadia",
        "at": "2005-10-12T14:00:00-04:00",
        "kind": "proposal",
        "status": "open",
        "objectives": (2, 4),
        "tags": ("collaboration", "recherche", "évaluation"),
        "title": "Un cadre d'évaluation commun pour deux projets de soutien aux parents",
        "body": """\
L'idée vient de la rencontre avec l'équipe rennaise et de nos discussions sur l'évaluation
participative.

**Proposition** : choisir un projet de soutien aux parents en Bretagne et un projet comparable
chez nous, puis les évaluer avec le même cadre :

1. les mêmes questions d'évaluation, définies ensemble ;
2. les mêmes outils de collecte, traduits et adaptés ;
3. un volet participatif dans les deux pays ;
4. une analyse croisée à la fin.

Il faudrait une petite subvention de recherche et un engagement de deux ans. Qui, autour de la
table, aurait un projet candidat ?
""",
    },
    {
        "key": "laep-chez-nous",
        "author": "etienne",
        "at": "2005-10-19T20:45:00-04:00",
        "kind": "proposal",
        "status": "draft",
        "objectives": (1,),
        "tags": ("accueil", "parentalité", "petite-enfance"),
        "title": "Essayer un lieu d'accueil parents-enfants sur notre territoire",
        "body": """\
Brouillon, pas encore prêt à circuler.

En m'inspirant de la fiche de Luc sur le lieu d'accueil de Rennes : nous pourrions essayer,
pendant un an, **deux demi-journées par semaine** d'accueil libre et anonyme pour les parents
de jeunes enfants, dans un local prêté par la maison des familles.

- Personnel : une intervenante du CLSC et une animatrice de la maison des familles, formées
  ensemble.
- Coût : surtout du temps de personnes déjà en poste.
- Mesure : le nombre de visites, et la part des familles qui ne fréquentaient aucun service
  (question posée de façon anonyme).

*À valider avec ma gestionnaire avant d'en parler plus largement.*
""",
    },
    {
        "key": "forum-balises",
        "author": "luc",
        "at": "2005-10-24T19:30:00-04:00",
        "kind": "tool",
        "status": "open",
        "objectives": (4,),
        "tags": ("forum", "outil", "réseautage"),
        "title": "Forum des partenaires : attention aux balises entre crochets",
        "body": """\
La CAF de la Gironde propose d'ouvrir un forum commun pour poursuivre les échanges. Je l'ai
essayé : il met en forme le texte avec des balises maison entre crochets.

- Pour le gras, on écrit [bold]mot important[/bold].
- Les modèles de message contiennent des boutons écrits `[@click=app.quit]Fermer[/]` : si on
  les recopie dans un courriel, ils s'affichent tels quels.

Bref, c'est utilisable, mais il faudra une petite fiche d'aide pour les parents et les
bénévoles qui voudraient y participer.
""",
    },
)

EDITS: tuple[EditData, ...] = (
    {"entry": "mode-emploi", "by": "marie-claude", "at": "2005-09-13T10:00:00-04:00",
     "status": "archived"},
    {"entry": "correspondances", "by": "etienne", "at": "2005-09-19T09:20:00-04:00",
     "append": "| Mission locale | insertion des jeunes de 16 à 25 ans "
               "| carrefour jeunesse-emploi |\n"},
    {"entry": "liste-provisoire", "by": "marie-claude", "at": "2005-09-25T15:30:00-04:00",
     "status": "archived",
     "append": "\n**Mise à jour** : remplacée par les fiches « contact » ; archivée.\n"},
    # The follow-up meeting of 29 September sorted the entries worth carrying further.
    {"entry": "cnaf-recherche", "by": "marie-claude", "at": "2005-09-29T14:00:00-04:00",
     "status": "adopted"},
    {"entry": "centre-social-rennes", "by": "marie-claude", "at": "2005-09-29T14:05:00-04:00",
     "status": "discuss"},
    {"entry": "laep", "by": "marie-claude", "at": "2005-09-29T14:10:00-04:00",
     "status": "adopted"},
    {"entry": "diagnostic-partage", "by": "marie-claude", "at": "2005-09-29T14:15:00-04:00",
     "status": "adopted"},
    {"entry": "evaluation-participative", "by": "marie-claude",
     "at": "2005-09-29T14:20:00-04:00", "status": "discuss"},
    {"entry": "contrats-communes", "by": "marie-claude", "at": "2005-09-29T14:25:00-04:00",
     "status": "discuss"},
    {"entry": "faux-amis", "by": "nadia", "at": "2005-10-03T08:50:00-04:00",
     "append": "- **Les quartiers** : dit sans autre précision, désigne souvent les secteurs "
               "visés par la politique de la ville ; chez nous, un simple voisinage.\n"},
    {"entry": "bibliographie", "by": "sophie", "at": "2005-10-20T16:00:00-04:00",
     "status": "archived",
     "append": "\n**Mise à jour** : tout est arrivé ; les exemplaires sont au centre de "
               "documentation de l'INSPQ. J'archive la fiche.\n"},
    {"entry": "seminaire-retour", "by": "sophie", "at": "2005-10-21T11:30:00-04:00",
     "status": "adopted"},
)  # fmt: skip

COMMENTS: tuple[CommentData, ...] = (
    # Mode d'emploi
    {"key": "c-hors-ligne", "entry": "mode-emploi", "parent": None, "author": "luc",
     "at": "2005-09-02T16:00:00-04:00",
     "body": "Question pratique : est-ce que je peux écrire dans l'avion, sans connexion ?"},
    {"key": "c-hors-ligne-2", "entry": "mode-emploi", "parent": "c-hors-ligne",
     "author": "marie-claude", "at": "2005-09-02T16:30:00-04:00",
     "body": "Oui : tu écris sur ton ordinateur, et tout se partage dès que tu retrouves une "
             "connexion."},
    # CNAF
    {"key": "c-arbitrage", "entry": "cnaf-cadre", "parent": None, "author": "marie-claude",
     "at": "2005-09-06T07:30:00+02:00",
     "body": "Très utile. Ta question sur l'arbitrage, on pourrait la poser demain à la CAF "
             "de Rennes."},
    {"key": "c-arbitrage-2", "entry": "cnaf-cadre", "parent": "c-arbitrage", "author": "sophie",
     "at": "2005-09-06T23:50:00+02:00",
     "body": "Posée. Réponse en deux temps : le national fixe des priorités, mais la caisse "
             "garde une vraie marge sur la répartition, surtout pour les projets de quartier."},
    {"key": "c-arbitrage-3", "entry": "cnaf-cadre", "parent": "c-arbitrage-2",
     "author": "etienne", "at": "2005-09-07T07:40:00+02:00",
     "body": "C'est cette marge qui permet de soutenir des projets d'habitants. À garder en "
             "tête pour Bordeaux."},
    {"key": "c-budget", "entry": "cnaf-cadre", "parent": None, "author": "luc",
     "at": "2005-10-26T21:15:00-04:00",
     "body": "Je relis ceci pour le séminaire. Si j'ai bien compris les chiffres, le budget "
             "d'action sociale d'une seule caisse départementale dépasse ce que reçoivent "
             "*tous* les organismes Famille de notre région."},
    {"key": "c-ecole", "entry": "en3s", "parent": None, "author": "sophie",
     "at": "2005-09-06T07:00:00+02:00",
     "body": "La direction de l'École semblait très intéressée par le module sur le "
             "développement des communautés."},
    # Centre social de Rennes
    {"key": "c-conseil", "entry": "centre-social-rennes", "parent": None, "author": "luc",
     "at": "2005-09-06T23:30:00+02:00",
     "body": "Même impression. Un conseil d'habitants qui vote le budget, je n'ai jamais vu "
             "ça chez nous."},
    {"key": "c-dossier", "entry": "centre-social-rennes", "parent": None, "author": "nadia",
     "at": "2005-09-07T07:15:00+02:00",
     "body": "Sur ta question 1 : la directrice reconnaissait que certains diagnostics sont "
             "écrits par l'équipe puis « validés » par trois habitants. Le contrat ne garantit "
             "pas tout."},
    {"key": "c-dossier-2", "entry": "centre-social-rennes", "parent": "c-dossier",
     "author": "etienne", "at": "2005-09-07T08:00:00+02:00",
     "body": "Merci, c'est ce que je craignais : la forme y est toujours, le fond dépend de "
             "l'équipe."},
    {"key": "c-dossier-3", "entry": "centre-social-rennes", "parent": "c-dossier-2",
     "author": "sophie", "at": "2005-09-15T10:10:00-04:00",
     "body": "Mais la forme oblige au moins à reposer la question à chaque renouvellement. "
             "Chez nous, rien n'y oblige."},
    {"key": "c-reunion", "entry": "centre-social-rennes", "parent": None,
     "author": "marie-claude", "at": "2005-09-29T15:00:00-04:00",
     "body": "Passée « à discuter » pour la réunion d'octobre, surtout pour ta question 2 : "
             "qui jouerait ici le rôle de la CAF ?"},
    # Lieu d'accueil enfants-parents
    {"key": "c-anonymat", "entry": "laep", "parent": None, "author": "sophie",
     "at": "2005-09-07T07:50:00+02:00",
     "body": "Ces lieux sont-ils évalués ? L'anonymat doit compliquer les choses."},
    {"key": "c-anonymat-2", "entry": "laep", "parent": "c-anonymat", "author": "luc",
     "at": "2005-09-07T22:10:00+02:00",
     "body": "Elles comptent les visites et l'âge des enfants, rien de plus, et elles y "
             "tiennent : c'est la condition de la confiance."},
    {"key": "c-anonymat-3", "entry": "laep", "parent": "c-anonymat-2", "author": "nadia",
     "at": "2005-09-08T07:30:00+02:00",
     "body": "On pourrait imaginer un questionnaire anonyme, une semaine par an. Je le note "
             "pour la fiche sur l'évaluation."},
    {"key": "c-charte", "entry": "reaap", "parent": None, "author": "luc",
     "at": "2005-09-08T07:50:00+02:00",
     "body": "La charte : à faire lire à notre conseil d'administration."},
    {"key": "c-etape6", "entry": "diagnostic-partage", "parent": None, "author": "etienne",
     "at": "2005-09-08T07:20:00+02:00",
     "body": "À mettre à côté de nos portraits de communauté. L'étape 6, revenir vers les "
             "habitants, nous ne la faisons presque jamais."},
    {"key": "c-carte", "entry": "sociologues-rennes", "parent": None,
     "author": "marie-claude", "at": "2005-09-08T07:00:00+02:00",
     "body": "J'ai bien la carte. Je leur écris au retour."},
    {"key": "c-carte-2", "entry": "sociologues-rennes", "parent": "c-carte",
     "author": "marie-claude", "at": "2005-10-11T09:40:00-04:00",
     "body": "C'est fait : réponse positive, un séminaire à distance est envisageable en "
             "novembre."},
    {"key": "c-double", "entry": "caf-gironde-quartiers", "parent": None,
     "author": "marie-claude", "at": "2005-09-09T07:45:00+02:00",
     "body": "Cette double casquette, verser les prestations et animer le territoire, "
             "mériterait une réflexion à elle seule."},
    {"key": "c-double-2", "entry": "caf-gironde-quartiers", "parent": "c-double",
     "author": "etienne", "at": "2005-09-09T08:10:00+02:00",
     "body": "Je m'en occupe au retour."},
    {"key": "c-processus", "entry": "evaluation-participative", "parent": None,
     "author": "sophie", "at": "2005-09-09T07:30:00+02:00",
     "body": "D'accord avec ta réserve. Mais pour un projet de quartier, le processus *fait* "
             "partie de l'effet, non ?"},
    {"key": "c-processus-2", "entry": "evaluation-participative", "parent": "c-processus",
     "author": "nadia", "at": "2005-09-09T22:50:00+02:00",
     "body": "En partie. Mais un financeur finira toujours par demander ce qui a changé pour "
             "les familles."},
    {"key": "c-cnaf-ligne", "entry": "correspondances", "parent": None, "author": "sophie",
     "at": "2005-09-09T08:00:00+02:00",
     "body": "Pour la ligne CNAF, je nuancerais : le ministère fixe des orientations, mais la "
             "CNAF dirige aussi un réseau de caisses, ce que le ministère ne fait pas."},
    {"key": "c-cnaf-ligne-2", "entry": "correspondances", "parent": "c-cnaf-ligne",
     "author": "marie-claude", "at": "2005-09-09T08:30:00+02:00",
     "body": "Juste. C'est pour cela que j'ai écrit « pour les orientations », mais précise "
             "si tu veux."},
    {"key": "c-tableaux", "entry": "contrats-communes", "parent": None, "author": "nadia",
     "at": "2005-09-10T15:00:00+02:00",
     "body": "Il faudrait leur demander s'ils accepteraient de partager leurs tableaux de "
             "bord : ce serait précieux pour nous."},
    {"key": "c-diplome", "entry": "mediation-familiale", "parent": None, "author": "sophie",
     "at": "2005-09-12T09:00:00-04:00",
     "body": "Le diplôme d'État date de 2003, si je me souviens bien."},
    {"key": "c-appui", "entry": "jumelage-bordeaux", "parent": None, "author": "etienne",
     "at": "2005-09-16T09:30:00-04:00",
     "body": "Le CLSC pourrait aider la maison des familles à monter le dossier."},
    {"key": "c-appui-2", "entry": "jumelage-bordeaux", "parent": "c-appui", "author": "luc",
     "at": "2005-09-16T12:15:00-04:00",
     "body": "Merci ! Je t'en reparle après notre conseil d'administration."},
    # Universel ou ciblé
    {"key": "c-porte", "entry": "universel-cible", "parent": None, "author": "nadia",
     "at": "2005-09-15T09:00:00-04:00",
     "body": "La porte d'entrée universelle existe déjà : les rencontres prénatales et la "
             "vaccination passent par le CLSC."},
    {"key": "c-portes", "entry": "universel-cible", "parent": None, "author": "luc",
     "at": "2005-09-15T21:10:00-04:00",
     "body": "Attention : les familles que nous voyons à la maison des familles ne passent "
             "justement pas par ces portes-là."},
    {"key": "c-portes-2", "entry": "universel-cible", "parent": "c-portes", "author": "sophie",
     "at": "2005-09-16T08:30:00-04:00",
     "body": "Bon contre-argument. Une porte universelle ne suffit pas ; il faut aussi aller "
             "vers les familles."},
    {"key": "c-portes-3", "entry": "universel-cible", "parent": "c-portes-2", "author": "luc",
     "at": "2005-09-16T20:00:00-04:00",
     "body": "D'où l'intérêt des travailleurs sociaux de territoire de la CAF dont parlait "
             "Étienne."},
    {"key": "c-trois-mots", "entry": "place-des-parents", "parent": None,
     "author": "marie-claude", "at": "2005-09-17T10:00:00-04:00",
     "body": "Très clair. Je reprendrai ces trois mots dans le rapport."},
    {"key": "c-duree", "entry": "intersectoriel", "parent": None, "author": "etienne",
     "at": "2005-09-21T08:30:00-04:00",
     "body": "D'accord sur l'outillage. J'ajouterais la durée : des contrats de trois ou quatre "
             "ans, quand nos ententes sont annuelles."},
    {"key": "c-echec", "entry": "intersectoriel", "parent": None, "author": "nadia",
     "at": "2005-09-23T11:00:00-04:00",
     "body": "La vitrine, oui. J'ai demandé deux fois un exemple d'échec ; on a poliment "
             "changé de sujet."},
    {"key": "c-garderie", "entry": "faux-amis", "parent": None, "author": "luc",
     "at": "2005-09-23T19:30:00-04:00",
     "body": "Ajoute « garderie » : là-bas, on dit plutôt crèche ou halte-garderie."},
    {"key": "c-table", "entry": "faux-amis", "parent": None, "author": "etienne",
     "at": "2005-09-24T10:00:00-04:00",
     "body": "Et « table de concertation », que personne ne comprenait. On a fini par dire "
             "« comité de partenaires »."},
    # Stages croisés
    {"key": "c-loger", "entry": "stages-croises", "parent": None, "author": "luc",
     "at": "2005-09-28T20:00:00-04:00",
     "body": "La maison des familles peut recevoir quelqu'un, mais pas le loger."},
    {"key": "c-mobilite", "entry": "stages-croises", "parent": None, "author": "sophie",
     "at": "2005-09-30T10:45:00-04:00",
     "body": "Il existe des programmes de mobilité franco-québécois pour les professionnels ; "
             "je me renseigne."},
    {"key": "c-mobilite-2", "entry": "stages-croises", "parent": "c-mobilite",
     "author": "marie-claude", "at": "2005-10-03T09:15:00-04:00",
     "body": "Merci Sophie. Si c'est possible, visons l'automne 2006."},
    {"key": "c-objectif-3", "entry": "seminaire-retour", "parent": None, "author": "etienne",
     "at": "2005-10-05T08:40:00-04:00",
     "body": "Je peux présenter l'objectif 3."},
    {"key": "c-objectif-2", "entry": "seminaire-retour", "parent": None, "author": "nadia",
     "at": "2005-10-06T13:20:00-04:00",
     "body": "L'objectif 2 pour moi."},
    {"key": "c-candidat", "entry": "evaluation-commune", "parent": None, "author": "luc",
     "at": "2005-10-13T20:30:00-04:00",
     "body": "Nos groupes de parents pourraient être candidats, si l'équipe accepte d'être "
             "évaluée."},
    {"key": "c-candidat-2", "entry": "evaluation-commune", "parent": "c-candidat",
     "author": "nadia", "at": "2005-10-14T09:00:00-04:00",
     "body": "Parfait. Parlons-en avec l'équipe de Rennes en novembre."},
    {"key": "c-courriel", "entry": "forum-balises", "parent": None, "author": "sophie",
     "at": "2005-10-25T08:40:00-04:00",
     "body": "Dans mon courriel d'essai, [bold] s'affichait en toutes lettres. Je croyais que "
             "c'était mon logiciel !"},
    {"key": "c-courriel-2", "entry": "forum-balises", "parent": "c-courriel", "author": "luc",
     "at": "2005-10-25T12:00:00-04:00",
     "body": "Non, c'est le forum. Je ferai la fiche d'aide."},
)  # fmt: skip

READINGS: tuple[ReadingData, ...] = (
    # Étienne, who you are in the demo, has read these; the others await you.
    {"entry": "mode-emploi", "by": "etienne", "at": "2005-09-13T12:00:00-04:00"},
    {"entry": "en3s", "by": "etienne", "at": "2005-09-08T07:10:00+02:00"},
    {"entry": "reaap", "by": "etienne", "at": "2005-09-08T07:15:00+02:00"},
    {"entry": "laep", "by": "etienne", "at": "2005-09-29T20:00:00-04:00", "stance": "agree"},
    {"entry": "diagnostic-partage", "by": "etienne", "at": "2005-09-29T20:05:00-04:00",
     "stance": "agree"},
    {"entry": "cnaf-recherche", "by": "etienne", "at": "2005-09-29T20:10:00-04:00"},
    {"entry": "universel-cible", "by": "etienne", "at": "2005-09-16T10:00:00-04:00",
     "stance": "question"},
    {"entry": "intersectoriel", "by": "etienne", "at": "2005-09-21T08:35:00-04:00",
     "stance": "agree"},
    {"entry": "jumelage-bordeaux", "by": "etienne", "at": "2005-09-16T09:35:00-04:00",
     "stance": "agree"},
    {"entry": "seminaire-retour", "by": "etienne", "at": "2005-10-21T13:00:00-04:00",
     "stance": "agree"},
    # The others' readings and stances.
    {"entry": "cnaf-recherche", "by": "marie-claude", "at": "2005-09-06T07:20:00+02:00",
     "stance": "agree"},
    {"entry": "cnaf-recherche", "by": "sophie", "at": "2005-09-06T07:25:00+02:00",
     "stance": "agree"},
    {"entry": "centre-social-rennes", "by": "luc", "at": "2005-09-07T07:00:00+02:00",
     "stance": "agree"},
    {"entry": "centre-social-rennes", "by": "sophie", "at": "2005-09-15T10:15:00-04:00",
     "stance": "agree"},
    {"entry": "centre-social-rennes", "by": "marie-claude", "at": "2005-09-29T15:05:00-04:00",
     "stance": "question"},
    {"entry": "laep", "by": "marie-claude", "at": "2005-09-07T07:35:00+02:00",
     "stance": "agree"},
    {"entry": "laep", "by": "sophie", "at": "2005-09-07T07:55:00+02:00", "stance": "question"},
    {"entry": "laep", "by": "nadia", "at": "2005-09-08T07:35:00+02:00", "stance": "agree"},
    {"entry": "diagnostic-partage", "by": "marie-claude", "at": "2005-09-08T07:05:00+02:00",
     "stance": "agree"},
    {"entry": "diagnostic-partage", "by": "luc", "at": "2005-09-08T07:55:00+02:00",
     "stance": "agree"},
    {"entry": "evaluation-participative", "by": "sophie", "at": "2005-09-09T07:35:00+02:00",
     "stance": "question"},
    {"entry": "evaluation-participative", "by": "marie-claude",
     "at": "2005-09-29T14:21:00-04:00", "stance": "question"},
    {"entry": "correspondances", "by": "sophie", "at": "2005-09-09T08:05:00+02:00",
     "stance": "question"},
    {"entry": "contrats-communes", "by": "nadia", "at": "2005-09-10T15:05:00+02:00",
     "stance": "agree"},
    {"entry": "jumelage-bordeaux", "by": "marie-claude", "at": "2005-09-14T09:00:00-04:00",
     "stance": "question"},
    {"entry": "universel-cible", "by": "nadia", "at": "2005-09-15T09:05:00-04:00",
     "stance": "agree"},
    {"entry": "universel-cible", "by": "luc", "at": "2005-09-15T21:15:00-04:00",
     "stance": "disagree"},
    {"entry": "intersectoriel", "by": "sophie", "at": "2005-09-21T14:00:00-04:00",
     "stance": "disagree"},
    {"entry": "intersectoriel", "by": "nadia", "at": "2005-09-23T11:05:00-04:00",
     "stance": "agree"},
    {"entry": "stages-croises", "by": "luc", "at": "2005-09-28T20:05:00-04:00",
     "stance": "agree"},
    {"entry": "stages-croises", "by": "sophie", "at": "2005-09-30T10:50:00-04:00",
     "stance": "question"},
    {"entry": "seminaire-retour", "by": "marie-claude", "at": "2005-10-04T13:00:00-04:00",
     "stance": "agree"},
    {"entry": "seminaire-retour", "by": "nadia", "at": "2005-10-06T13:25:00-04:00",
     "stance": "agree"},
    {"entry": "seminaire-retour", "by": "luc", "at": "2005-10-07T19:00:00-04:00",
     "stance": "agree"},
    {"entry": "evaluation-commune", "by": "marie-claude", "at": "2005-10-12T16:30:00-04:00",
     "stance": "question"},
    {"entry": "evaluation-commune", "by": "luc", "at": "2005-10-13T20:35:00-04:00",
     "stance": "agree"},
    {"entry": "place-des-parents", "by": "sophie", "at": "2005-09-18T10:00:00-04:00",
     "stance": "agree"},
    {"entry": "forum-balises", "by": "marie-claude", "at": "2005-10-25T09:30:00-04:00"},
)  # fmt: skip

# Pushed by a peer after your clone was made: your first sync brings them, unread.
NEWS_ENTRIES: tuple[EntryData, ...] = (
    {
        "key": "delegation-2006",
        "author": "nadia",
        "at": "2005-11-28T10:20:00-05:00",
        "kind": "proposal",
        "status": "open",
        "objectives": (4,),
        "tags": ("délégation", "gironde", "réseautage"),
        "title": "Recevoir à notre tour une délégation française au printemps 2006",
        "body": """\
Bonne nouvelle ce matin : la CAF de la Gironde envisage d'envoyer une petite délégation au
Québec au printemps prochain.

## Ce que nous pourrions leur montrer

- une table de concertation en petite enfance et son plan d'action ;
- une maison des familles (Luc, tu te portes volontaire ?) ;
- le travail des organisateurs communautaires d'un CSSS.

## À décider d'ici la mi-décembre

1. Les dates possibles de chacun.
2. Qui coordonne l'accueil.
3. Comment en profiter pour lancer
   [[Un cadre d'évaluation commun pour deux projets de soutien aux parents]].
""",
    },
)

NEWS_COMMENTS: tuple[CommentData, ...] = (
    {"key": "c-recevoir", "entry": "caf-gironde-quartiers", "parent": None, "author": "nadia",
     "at": "2005-11-28T10:35:00-05:00",
     "body": "@Étienne, la délégation bordelaise aimerait justement rencontrer des "
             "organisateurs communautaires pour comparer avec leurs travailleurs sociaux de "
             "territoire. Tu accepterais de les recevoir une demi-journée ?"},
)  # fmt: skip
