"""The pools the demonstration data is drawn from (see demo.py).

Every name, number, address and phone here is invented and meant to look invented
(comic-strip surnames, "(démo)" structures, 06 00 00 … phones, "rue de l'Exemple"),
so nobody can mistake a demo screenshot for a real file. Observations are short,
non-clinical sentences, as a fiche navette must be (DOMAIN.md "The fiche navette").
"""

from __future__ import annotations

USER = {
    "last_name": "SECCOTINE",
    "first_name": "Séraphine",
    "profession": "psychologue",
    "rpps_adeli": "99000000026",
    "csapa_name": "CSAPA Les Tilleuls (démo)",
    "csapa_address": "7 rue de l'Exemple, 92000 Nanterre",
}

#: The stories of the sixty persons: how many of each, by where the measure stands today.
#: "eval_pinned" and "suivi_m3/m6/sem" are seen on the agenda's first day (demo.PINNED).
PLAN = [("a_convoquer", 4), ("eval_booked", 2), ("eval_held", 2), ("eval_pinned", 3),
        ("orient_pending", 3), ("orient_late", 1), ("orient_refused", 1), ("orient_agreed", 1),
        ("suivi_m3", 2), ("suivi_m6", 1), ("suivi_sem", 1), ("suivi", 18),
        ("classement", 9), ("composition", 3), ("poursuites", 2), ("non_opportune", 4),
        ("caducite", 3)]

#: (last, first, profession, RPPS/ADELI, years registered with the order, CSAPA, scenario)
COLLEAGUES = [
    ("CUMULUS", "Philémon", "medecin", "99000000034", 14, "CSAPA Les Glycines (démo)", "habilite"),
    ("BERGAMOTE", "Azélie", "infirmier", "929900017", 9, "CSAPA La Passerelle (démo)", "expiring"),
    ("ZÉPHYR", "Honorin", "psychologue", "929900025", 11, "CSAPA Les Glycines (démo)", "expired"),
    ("CALEMBOUR", "Octave", "medecin", "99000000042", 20, "CSAPA La Passerelle (démo)", "suspendu"),
    ("TROMBINE", "Léocadie", "infirmier", "929900033", 6, "CSAPA Les Tilleuls (démo)", "radie"),
    ("FARIBOLE", "Mélisande", "medecin", "99000000059", 2, "CSAPA Les Tilleuls (démo)", "candidat"),
    ("BOUILLOTTE", "Gédéon", "psychologue", "929900041", 17, "CSAPA Les Glycines (démo)", "retire"),
]

#: Why a colleague left the list, or is not on it yet (R3413-1 to R3413-5).
REGISTER_REASONS = {
    "candidat": "Candidature en cours d'instruction : inscription à l'ordre depuis moins de trois ans.",
    "suspendu": "Suspension temporaire d'exercice notifiée par l'ordre (exemple fictif).",
    "radie": "N'exerce plus dans un CSAPA : condition du protocole non remplie.",
    "retire": "Retrait à sa demande (départ du département).",
}

#: Exactly one surname per person: all are used, so the Œ ones always appear.
SURNAMES = [
    "TOURNESOL", "HADDOCK", "CASTAFIORE", "LAMPION", "LAGAFFE", "LONGTARIN", "FANTASIO",
    "LEBRAC", "ŒILLET", "LEFÈVRE-DÉMO", "CHAMPIGNAC", "ZORGLUB", "MOULINSART", "ALCAZAR",
    "JOLICŒUR", "BOULANGEOT", "CAPRICORNE", "CROQUEMOLLE", "DÉMOLIN", "ÉCUREUIL",
    "FARFADET", "FLANCHET", "FROMAGEOT", "GALIPETTE", "GRIBOUILLE", "GUIMAUVE", "HARICOT",
    "HÉRISSON", "LANTERNE", "LUCIOLE", "MARMELADE", "MIRLITON", "MOUFLET", "NÉNUPHAR",
    "NOISETTE", "PAMPLEMOUSSE", "PAPILLOTE", "PÉTUNIA", "PIROUETTE", "POTIRON", "PRALINE",
    "QUENOUILLE", "RIGODON", "ROUDOUDOU", "SÉRAPHIN", "TAMBOURIN", "TARTEMPION",
    "TOURNICOTI", "TROMBONE", "VERMICELLE", "VOLUBILIS", "ZIGOMAR", "BRINDILLE", "CALISSON",
    "COQUELICOT", "ÉTOURNEAU", "FRANGIPANE", "GIROFLÉE", "MISTIGRI", "TAPIOCA",
]

MALE_FIRST = [
    "Gédéon", "Anatole", "Hippolyte", "Zéphyrin", "Barnabé", "Léopold", "Théophile",
    "Célestin", "Aristide", "Évariste", "Noé", "Jérôme", "Philibert", "Télesphore",
    "Achille", "Firmin", "Isidore", "Ulysse", "Anselme", "Eugène",
]
FEMALE_FIRST = [
    "Bérénice", "Philomène", "Eulalie", "Honorine", "Clémentine", "Azélie", "Mélisande",
    "Zoé", "Hermine", "Aglaé", "Anaïs", "Éléonore", "Gaëlle", "Capucine", "Pétronille",
    "Ursule", "Séverine", "Ophélie", "Rosalie", "Héloïse",
]

STREETS = [
    ("rue de l'Exemple", "92000 Nanterre"),
    ("allée des Fictions", "92700 Colombes"),
    ("avenue du Modèle", "92400 Courbevoie"),
    ("place de la Démonstration", "92500 Rueil-Malmaison"),
    ("impasse de l'Essai", "92230 Gennevilliers"),
    ("boulevard Imaginaire", "92600 Asnières-sur-Seine"),
    ("chemin du Prototype", "92800 Puteaux"),
]

#: Magistrats référents, by the authority that ordered the measure.
MAGISTRATES = {
    "procureur": ["Mme la substitute Bianca DÉMO", "M. le substitut Hercule FICTIF",
                  "Mme la vice-procureure Adèle EXEMPLE"],
    "juge_enfants": ["Mme Capucine ESSAI, juge des enfants"],
    "juge_instruction": ["M. Firmin MAQUETTE, juge d'instruction"],
}

#: (structure, doctor, address) chosen for the care; minors go to a youth consultation.
STRUCTURES_ADULTS = [
    ("CSAPA Le Phare (démo)", "Dr Ernestine BOUSSOLE", "3 quai de la Fiction, 92000 Nanterre"),
    ("CSAPA L'Escale (démo)", "Dr Barnabé LANTERNEAU", "18 rue du Simulacre, 92700 Colombes"),
    ("Cabinet médical du Square (démo)", "Dr Colombe ARC-EN-CIEL", "5 square de l'Essai, 92400 Courbevoie"),
]
STRUCTURES_MINORS = [
    ("Consultation jeunes consommateurs Le Cerf-Volant (démo)", "Dr Amédée GIROUETTE",
     "9 rue de la Maquette, 92000 Nanterre"),
    ("Maison des adolescents Les Mouettes (démo)", "Dr Clarisse PERCE-NEIGE",
     "21 avenue du Brouillon, 92500 Rueil-Malmaison"),
]

#: The directory of treating doctors and structures: the pools above (where the stories
#: orient people), and a few more. (name, kind, address, phone, secure e-mail, public, notes)
DIRECTORY = [
    (STRUCTURES_ADULTS[0][0], "csapa", STRUCTURES_ADULTS[0][2], "01 00 00 00 31", "accueil@lephare.demo.mssante.invalid",
     "tous", "Accueil sans rendez-vous le mardi matin."),
    (STRUCTURES_ADULTS[1][0], "csapa", STRUCTURES_ADULTS[1][2], "01 00 00 00 32", "secretariat@escale.demo.mssante.invalid",
     "majeurs", None),
    (STRUCTURES_ADULTS[2][0], "medecin_liberal", STRUCTURES_ADULTS[2][2], "01 00 00 00 33", None, "majeurs",
     "Dr Colombe ARC-EN-CIEL, formée en addictologie."),
    (STRUCTURES_MINORS[0][0], "cjc", STRUCTURES_MINORS[0][2], "01 00 00 00 34", "cjc@cerfvolant.demo.mssante.invalid",
     "tous", "Jusqu'à 25 ans ; parents reçus aussi."),
    (STRUCTURES_MINORS[1][0], "autre_structure", STRUCTURES_MINORS[1][2], "01 00 00 00 35", None, "mineurs", None),
    ("Unité d'addictologie, hôpital de la Maquette (démo)", "hopital", "40 boulevard du Prototype, 92100 Boulogne",
     "01 00 00 00 36", "addicto@hopital-maquette.demo.mssante.invalid", "majeurs", None),
    ("Prudence ÉCOUTE, psychologue (démo)", "psychologue_liberal", "2 place de l'Ébauche, 92000 Nanterre",
     "06 00 00 00 37", None, "tous", None),
]

GUARDIAN = ("Association tutélaire Les Hérons (démo), Mme Odile CURATELLE", "01 00 00 12 34")
ASE = "Aide sociale à l'enfance des Hauts-de-Seine (démo), M. Gaspard TUTELLE"

# --- Observations: non-clinical, about the measure and the appointments only. ---
# Placeholders: {civ} (Monsieur / Madame / the minor's first name), {e} ("" or "e"),
# {il} (il / elle), {structure}, {start}, {day} (JJ/MM/AAAA).

AVIS_APPROPRIATE = [
    "{civ} s'est présenté{e} à l'entretien d'évaluation et a compris le cadre de la mesure. "
    "L'injonction thérapeutique apparaît adaptée.",
    "{civ} a été reçu{e} en entretien d'accueil. Le fonctionnement de la mesure lui a été "
    "expliqué ; {il} dispose de dix jours pour choisir le médecin ou la structure de soins.",
    "{civ} a adhéré à la proposition d'orientation. La mesure apparaît opportune.",
]
AVIS_NOT_APPROPRIATE = [
    "Au regard de l'entretien d'évaluation, le soin obligé n'a pas lieu d'être. "
    "La mesure n'apparaît pas opportune.",
]
FICHE_GOOD = [
    "{civ} s'est présenté{e} à l'ensemble des rendez-vous et s'est engagé{e} dans la démarche de soins.",
    "Le suivi auprès de la structure choisie ({structure}) est régulier depuis le {start}.",
    "{civ} honore ses rendez-vous auprès de la structure choisie et se montre investi{e} dans la démarche.",
]
FICHE_PARTIAL = [
    "Le suivi auprès de la structure choisie ({structure}) est engagé mais irrégulier : "
    "un rendez-vous n'a pas été honoré.",
    "{civ} s'est présenté{e} avec retard à plusieurs rendez-vous ; la démarche reste à consolider.",
]
FICHE_RENEWAL = [
    "{civ} poursuit le suivi engagé le {start}. Un renouvellement de la mesure est proposé "
    "afin de consolider la démarche.",
]
FICHE_END = [
    "La mesure arrive à son terme. {civ} a respecté le cadre fixé tout au long du suivi.",
]
FICHE_FAILURE = [
    "{civ} ne s'est pas présenté{e} aux deux dernières convocations et n'a pas repris contact. "
    "Il est proposé de mettre fin à la mesure.",
]
INCIDENT = [
    "{civ} ne s'est pas présenté{e} au rendez-vous du {day} et n'a pas donné de nouvelles "
    "malgré une relance téléphonique.",
]
FIN_DE_MESURE = {
    "classement_sans_suite": "Fin de mesure : le suivi engagé le {start} a été mené jusqu'à son terme.",
    "composition_penale": "Fin de mesure : la mesure a été interrompue faute de présentation aux rendez-vous.",
    "poursuites": "Fin de mesure : la mesure a été interrompue faute de présentation aux rendez-vous.",
    "non_opportune": "Fin de mesure : la mesure n'a pas été jugée opportune à l'issue de l'évaluation.",
    "caducite": "Fin de mesure : {civ} ne s'est présenté{e} à aucune des convocations ; "
                "la mesure est devenue caduque.",
}
CORRECTION = " (Version corrigée : une erreur de date a été rectifiée.)"
