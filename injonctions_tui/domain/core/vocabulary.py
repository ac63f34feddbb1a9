"""The closed lists of the domain, with the French label shown to the user.

Values stored in the database are the enum values (stable ASCII identifiers); the
labels can be reworded without a migration.
"""

from __future__ import annotations

from enum import StrEnum


class Profession(StrEnum):
    MEDECIN = "medecin"
    PSYCHOLOGUE = "psychologue"
    INFIRMIER = "infirmier"
    AUTRE = "autre"


class Civility(StrEnum):
    """How the documents speak of the professional (« Je soussignée », « habilité »…)."""

    MADAME = "madame"
    MONSIEUR = "monsieur"
    NEUTRE = "neutre"


class HabilitationStatus(StrEnum):
    CANDIDAT = "candidat"
    HABILITE = "habilite"
    SUSPENDU = "suspendu"
    RADIE = "radie"
    RETIRE = "retire"


class EvidenceItem(StrEnum):
    """A piece of the eligibility file (R3413-1 to R3413-5; DOMAIN.md "The habilitation register").

    The certificate of no disciplinary sanction serves both criterion 4 and the application
    file; the order registration lives on the professional, not here."""

    FORMATION = "formation_addictologie"
    EXTRAIT_B2 = "extrait_b2"
    ATTESTATION_NON_SANCTION = "attestation_non_sanction"
    DECLARATION_CANDIDATURE = "declaration_candidature"
    ETAT_ACTIVITES = "etat_activites"


class RemovalGround(StrEnum):
    """Why a professional leaves the list (radiation or withdrawal)."""

    CONDITION_CESSEE = "condition_cessee"
    DEMANDE_MAGISTRAT = "demande_magistrat"
    DEMANDE_PROFESSIONNEL = "demande_professionnel"


class ConflictCategory(StrEnum):
    """The link that forbids a professional to follow a person (DOMAIN.md step 4)."""

    FAMILLE = "famille"
    PROFESSIONNEL = "professionnel"
    MEDICAL = "medical"


class Authority(StrEnum):
    """Which judicial authority ordered the measure (DOMAIN.md "The measure")."""

    PROCUREUR = "procureur"
    JUGE_INSTRUCTION = "juge_instruction"
    JLD = "jld"
    JUGE_ENFANTS = "juge_enfants"
    TRIBUNAL = "tribunal"
    JAP = "jap"


class Stage(StrEnum):
    """At which stage of the procedure."""

    ALTERNATIVE_POURSUITES = "alternative_poursuites"
    COMPOSITION_PENALE = "composition_penale"
    INSTRUCTION = "instruction"
    JUGEMENT = "jugement"
    APPLICATION_PEINES = "application_peines"


class MeasureStatus(StrEnum):
    A_CONVOQUER = "a_convoquer"
    EVALUATION = "evaluation"
    ORIENTATION = "orientation"
    SUIVI = "suivi"
    CLOTURE = "cloture"


class Outcome(StrEnum):
    CLASSEMENT = "classement_sans_suite"
    COMPOSITION_PENALE = "composition_penale"
    POURSUITES = "poursuites"
    NON_OPPORTUNE = "non_opportune"
    CADUCITE = "caducite"


class Public(StrEnum):
    """Which permanence a person belongs to: judged at the date of the facts."""

    MINEURS = "mineurs"
    MAJEURS = "majeurs"


class AppointmentKind(StrEnum):
    EVALUATION_INITIALE = "evaluation_initiale"
    SUIVI_M3 = "suivi_m3"
    SUIVI_M6 = "suivi_m6"
    SUIVI_SEMESTRIEL = "suivi_semestriel"
    SUPPLEMENTAIRE = "supplementaire"


class AppointmentStatus(StrEnum):
    ATTENDU = "attendu"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSE = "excuse"
    REPORTE = "reporte"


class ReportKind(StrEnum):
    AVIS_MOTIVE = "avis_motive"
    FICHE_NAVETTE = "fiche_navette"
    INCIDENT = "incident"
    FIN_DE_MESURE = "fin_de_mesure"


class ReportStatus(StrEnum):
    BROUILLON = "brouillon"
    FINAL = "final"


class Adherence(StrEnum):
    """The person's adherence to the measure, as the fiche navette states it (R3413-14)."""

    EFFECTIVE = "effective"
    PARTIELLE = "partielle"
    ABSENTE = "absente"
    NON_EVALUABLE = "non_evaluable"


class Proposal(StrEnum):
    """The reasoned proposal that may end a report (R3413-14). The avis motivé gives an
    opinion on the measure's appropriateness (`opportune`, `non_opportune`, the latter
    sharing its value with Outcome.NON_OPPORTUNE); the other reports, on its course."""

    OPPORTUNE = "opportune"
    POURSUITE = "poursuite"
    MODIFICATION = "modification"
    RENOUVELLEMENT = "renouvellement"
    FIN_REUSSITE = "fin_reussite"
    FIN_ECHEC = "fin_echec"
    NON_OPPORTUNE = "non_opportune"


class ChosenBy(StrEnum):
    """Who chose the treating doctor (the person, or for a minor the parents)."""

    PERSONNE = "personne"
    REPRESENTANTS_LEGAUX = "representants_legaux"
    TUTEUR = "tuteur"


class StructureKind(StrEnum):
    """What a treating doctor or structure of the directory is (the guide's « médecins ou
    structures spécialisées »): where the person may be oriented, never the user."""

    CSAPA = "csapa"
    CJC = "cjc"
    HOPITAL = "hopital"
    MEDECIN = "medecin_liberal"
    PSYCHOLOGUE = "psychologue_liberal"
    AUTRE = "autre_structure"


class StructurePublic(StrEnum):
    """Whom a structure of the directory receives: the picker shows a person the structures
    of their public (a minor: « mineurs » and « tous »). Same values as `Public` for the
    two publics (LABELS holds one label for both)."""

    MINEURS = "mineurs"
    MAJEURS = "majeurs"
    TOUS = "tous"


LABELS: dict[StrEnum, str] = {
    Civility.MADAME: "Madame",
    Civility.MONSIEUR: "Monsieur",
    Civility.NEUTRE: "Sans civilité (formules neutres)",
    Profession.MEDECIN: "Médecin",
    Profession.PSYCHOLOGUE: "Psychologue",
    Profession.INFIRMIER: "Infirmier·ère",
    Profession.AUTRE: "Autre professionnel de santé",
    HabilitationStatus.CANDIDAT: "Candidat",
    HabilitationStatus.HABILITE: "Habilité",
    HabilitationStatus.SUSPENDU: "Suspendu",
    HabilitationStatus.RADIE: "Radié",
    HabilitationStatus.RETIRE: "Retiré à sa demande",
    EvidenceItem.FORMATION: "Formation ou expérience en addictologie",
    EvidenceItem.EXTRAIT_B2: "Extrait du bulletin n° 2 du casier judiciaire",
    EvidenceItem.ATTESTATION_NON_SANCTION: "Attestation d'absence de sanction disciplinaire",
    EvidenceItem.DECLARATION_CANDIDATURE: "Déclaration de candidature",
    EvidenceItem.ETAT_ACTIVITES: "État des activités professionnelles",
    RemovalGround.CONDITION_CESSEE: "Une condition d'habilitation n'est plus remplie",
    RemovalGround.DEMANDE_MAGISTRAT: "Demande motivée d'un magistrat",
    RemovalGround.DEMANDE_PROFESSIONNEL: "À la demande du professionnel",
    ConflictCategory.FAMILLE: "Lien familial",
    ConflictCategory.PROFESSIONNEL: "Lien professionnel",
    ConflictCategory.MEDICAL: "Lien de soin (patient·e)",
    Authority.PROCUREUR: "Procureur de la République",
    Authority.JUGE_INSTRUCTION: "Juge d'instruction",
    Authority.JLD: "Juge des libertés et de la détention",
    Authority.JUGE_ENFANTS: "Juge des enfants",
    Authority.TRIBUNAL: "Juridiction de jugement",
    Authority.JAP: "Juge de l'application des peines",
    Stage.ALTERNATIVE_POURSUITES: "Alternative aux poursuites",
    Stage.COMPOSITION_PENALE: "Composition pénale",
    Stage.INSTRUCTION: "Instruction",
    Stage.JUGEMENT: "Jugement",
    Stage.APPLICATION_PEINES: "Application des peines",
    MeasureStatus.A_CONVOQUER: "À convoquer",
    MeasureStatus.EVALUATION: "Évaluation",
    MeasureStatus.ORIENTATION: "Orientation",
    MeasureStatus.SUIVI: "Suivi",
    MeasureStatus.CLOTURE: "Clôturé",
    Outcome.CLASSEMENT: "Classement sans suite",
    Outcome.COMPOSITION_PENALE: "Composition pénale",
    Outcome.POURSUITES: "Poursuites",
    Outcome.NON_OPPORTUNE: "Mesure non opportune",
    Outcome.CADUCITE: "Caducité",
    Public.MINEURS: "Mineurs",
    Public.MAJEURS: "Majeurs",
    AppointmentKind.EVALUATION_INITIALE: "Évaluation initiale",
    AppointmentKind.SUIVI_M3: "Suivi M3",
    AppointmentKind.SUIVI_M6: "Suivi M6",
    AppointmentKind.SUIVI_SEMESTRIEL: "Suivi semestriel",
    AppointmentKind.SUPPLEMENTAIRE: "Entretien supplémentaire",
    AppointmentStatus.ATTENDU: "Attendu",
    AppointmentStatus.PRESENT: "Présent",
    AppointmentStatus.ABSENT: "Absent",
    AppointmentStatus.EXCUSE: "Excusé",
    AppointmentStatus.REPORTE: "Reporté",
    ReportKind.AVIS_MOTIVE: "Avis motivé",
    ReportKind.FICHE_NAVETTE: "Fiche navette",
    ReportKind.INCIDENT: "Incident",
    ReportKind.FIN_DE_MESURE: "Fin de mesure",
    ReportStatus.BROUILLON: "Brouillon",
    ReportStatus.FINAL: "Définitif",
    Adherence.EFFECTIVE: "Adhésion effective",
    Adherence.PARTIELLE: "Adhésion partielle",
    Adherence.ABSENTE: "Absence d'adhésion",
    Adherence.NON_EVALUABLE: "Adhésion non évaluable à ce stade",
    Proposal.OPPORTUNE: "Mesure opportune — orientation proposée",
    Proposal.POURSUITE: "Poursuite de la mesure",
    Proposal.MODIFICATION: "Modification des modalités de la mesure",
    Proposal.RENOUVELLEMENT: "Renouvellement de la mesure",
    Proposal.FIN_REUSSITE: "Fin de mesure — réussite",
    Proposal.FIN_ECHEC: "Fin de mesure — échec",
    Proposal.NON_OPPORTUNE: "Mesure non opportune",
    ChosenBy.PERSONNE: "La personne",
    ChosenBy.REPRESENTANTS_LEGAUX: "Les représentants légaux",
    ChosenBy.TUTEUR: "Le tuteur / curateur",
    StructureKind.CSAPA: "CSAPA",
    StructureKind.CJC: "Consultation jeunes consommateurs (CJC)",
    StructureKind.HOPITAL: "Unité hospitalière d'addictologie",
    StructureKind.MEDECIN: "Médecin libéral",
    StructureKind.PSYCHOLOGUE: "Psychologue libéral",
    StructureKind.AUTRE: "Autre structure",
    StructurePublic.TOUS: "Tous publics",
}

#: The French title of each document printed about one dossier or one of its appointments,
#: by its key in documents/catalogue.py (which takes its labels from here): the dossier's
#: timeline names what was printed from the audit trail, below the catalogue.
DOCUMENT_TITLES: dict[str, str] = {
    "attestation": "Attestation de présence",
    "convocation": "Convocation",
    "attestation-suivi": "Attestation de suivi",
    "attestation-fin-suivi": "Attestation de fin de suivi",
    "fiche-information": "Fiche d'information de la personne",
    "formulaire-choix": "Formulaire de choix du soignant",
    "lettre-soignant": "Lettre au soignant choisi",
}


def agreed(word: str, civility: str | None, feminine: str = "e") -> str:
    """`word` as it agrees with the professional: « habilitée » (Madame), « habilité »
    (Monsieur), « habilité(e) » (neutral or not said); `feminine` is the ending added."""
    if civility == Civility.MADAME:
        return f"{word}{feminine}"
    if civility == Civility.MONSIEUR:
        return word
    return f"{word}({feminine})"


def professional_clause(civility: str | None) -> str:
    """« professionnelle de santé habilitée », as the documents introduce their signer."""
    return f"{agreed('professionnel', civility, 'le')} de santé {agreed('habilité', civility)}"


def label(value: str | StrEnum | None) -> str:
    """The French label of a stored value (the value itself if unknown)."""
    if value is None:
        return ""
    # StrEnum members hash as their value, so a plain string finds its label too.
    return LABELS.get(value, str(value))  # type: ignore[call-overload]


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(label, value) pairs for a Select widget, in declaration order."""
    return [(LABELS[member], member.value) for member in enum]
