"""The secrecy guard: what must be flagged, what must not, and how fast.

Decisions tested here (documented at the top of assets/lexique_secret.txt): "analyse",
"résultat", "positif", "test" and "consommation" alone are ordinary words and are not
flagged; only the phrases naming an examination or its result are. "Traitement" alone
is flagged: in a report about a person in care it almost always means medical treatment.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from injonctions_tui.domain.reports.secrecy import CATEGORIES, default_lexicon, fold, load_lexicon, scan


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(None)


def _terms(text: str, lexicon) -> list[tuple[str, str]]:
    return [(flag.text, flag.category) for flag in scan(text, lexicon)]


@pytest.mark.parametrize(("sentence", "excerpt", "category"), [
    # diagnoses and conditions
    ("Il évoque une dépression ancienne.", "dépression", "diagnostic"),
    ("Antécédents de schizophrénie dans la famille.", "schizophrénie", "diagnostic"),
    ("Elle se dit bipolaire.", "bipolaire", "diagnostic"),
    ("Un épisode de psychose en 2024.", "psychose", "diagnostic"),
    ("Il est porteur du VIH.", "VIH", "diagnostic"),
    ("Une hépatite C est suivie.", "hépatite", "diagnostic"),
    ("Des troubles du comportement sont rapportés.", "troubles du comportement", "diagnostic"),
    # treatments and substitution
    ("Il est sous méthadone depuis mai.", "méthadone", "traitement"),
    ("Prescription de buprénorphine.", "buprénorphine", "traitement"),
    ("Il prend du Subutex.", "Subutex", "traitement"),
    ("Relais par Suboxone envisagé.", "Suboxone", "traitement"),
    ("Un traitement de substitution est en place.", "traitement de substitution", "traitement"),
    ("Il a arrêté son antidépresseur.", "antidépresseur", "traitement"),
    ("Un neuroleptique lui a été prescrit.", "neuroleptique", "traitement"),
    ("La posologie a été réduite.", "posologie", "traitement"),
    ("60 mg par jour.", "mg", "traitement"),
    ("60mg par jour.", "mg", "traitement"),
    # tests and results
    ("Une analyse d'urine a été faite.", "analyse d'urine", "resultat"),
    ("Le dépistage est revenu.", "dépistage", "resultat"),
    ("Le test positif au cannabis.", "test positif", "resultat"),
    ("Son test négatif du mois dernier.", "test négatif", "resultat"),
    ("Le résultat positif a surpris.", "résultat positif", "resultat"),
    ("Une prise de sang est prévue.", "prise de sang", "resultat"),
    ("Éthylotest réalisé à l'accueil.", "Éthylotest", "resultat"),
    # abstinence and cure
    ("Il est abstinent depuis trois mois.", "abstinent", "abstinence"),
    ("Une abstinence complète.", "abstinence", "abstinence"),
    ("Elle est sevrée.", "sevrée", "abstinence"),
    ("Il se dit guéri.", "guéri", "abstinence"),
    ("La guérison est proche.", "guérison", "abstinence"),
    ("Il ne consomme plus depuis l'été.", "ne consomme plus", "abstinence"),
])
def test_each_category_is_flagged(lexicon, sentence: str, excerpt: str, category: str) -> None:
    assert (excerpt, category) in _terms(sentence, lexicon)


@pytest.mark.parametrize(("sentence", "excerpt"), [
    ("IL EST ABSTINENT.", "ABSTINENT"),                       # upper case
    ("Il est Abstinent.", "Abstinent"),
    ("une depression ancienne", "depression"),                # typed without accents
    ("sous METHADONE", "METHADONE"),
    ("des dépressions répétées", "dépressions"),              # plural
    ("elle est abstinente", "abstinente"),                    # feminine
    ("elles sont abstinentes", "abstinentes"),
    ("une humeur dépressive", "humeur dépressive"[7:]),      # -if / -ive
    ("des troubles mentaux", "troubles mentaux"),             # -al / -aux
    ("les analyses d’urine", "analyses d’urine"),             # typographic apostrophe, plural
    ("les analyses d urine", "analyses d urine"),             # apostrophe typed as a space
    ("le traitement   de\nsubstitution", "traitement   de\nsubstitution"),  # any whitespace
    ("alcoolo-dépendance", "alcoolo-dépendance"),             # hyphen
    ("une schizophrénique", "schizophrénique"),               # prefix entry
])
def test_accents_case_variants_and_phrases(lexicon, sentence: str, excerpt: str) -> None:
    assert excerpt in [flag.text for flag in scan(sentence, lexicon)]


@pytest.mark.parametrize("sentence", [
    "Analyse de la situation : la personne se présente régulièrement.",
    "Le résultat de ses démarches d'insertion est encourageant.",
    "Un échange positif avec la structure de soins.",
    "Il a passé un test de recrutement.",
    "Il souhaite réduire sa consommation de jeux vidéo.",
    "La prise en charge au CSAPA se poursuit, au rythme convenu.",
    "Il a honoré tous ses rendez-vous et s'implique dans le suivi.",
    "Il est troublé par la procédure.",       # "troublé" is not "trouble(s) ..." phrases
    "Il cherche un emploi de magasinier.",    # "mg" only as a whole word
    "Le suivi psychologique est engagé.",     # the kind of care may be stated (R3413-14)
])
def test_ordinary_sentences_are_not_flagged(lexicon, sentence: str) -> None:
    assert scan(sentence, lexicon) == [], sentence


def test_flag_offsets_point_into_the_original_text(lexicon) -> None:
    text = "Cœur du sujet : e\u0301tat de\u0301pressif, puis méthadone."  # ligature and decomposed accents
    flags = scan(text, lexicon)
    assert [text[f.start:f.end] for f in flags] == [f.text for f in flags]
    assert [f.text for f in flags] == ["e\u0301tat de\u0301pressif", "méthadone"]
    assert fold("Œdème ÉTÉ")[0] == "oedeme ete"


def test_longest_phrase_wins_and_reasons_are_french(lexicon) -> None:
    [flag] = scan("Sous traitement de substitution.", lexicon)
    assert flag.term == "traitement de substitution" and "secret" in flag.reason
    assert flag.category_label == "Traitement"
    assert {f.category for f in scan("dépression méthadone dépistage abstinent", lexicon)} == set(CATEGORIES)


def test_user_file_extends_and_reports_bad_lines(tmp_path: Path) -> None:
    extra = tmp_path / "lexique_secret.txt"
    extra.write_text("# mes ajouts\n"
                     "orphelin sans catégorie\n"
                     "[produits] Le nom d'un produit n'apporte rien au magistrat.\n"
                     "kétamine\n"
                     "cannabis | Les faits sont déjà connus du parquet.\n"
                     "[diagnostic\n"
                     "[traitement]\n"
                     "schizo*phrène\n"
                     "!traitement\n"
                     "!\n", encoding="utf-8")
    lexicon = load_lexicon(extra)
    flags = {f.text: f for f in scan("Kétamine, cannabis, traitement, méthadone.", lexicon)}
    assert set(flags) == {"Kétamine", "cannabis", "méthadone"}  # "traitement" removed by the user
    assert flags["Kétamine"].category == "produits" and flags["Kétamine"].category_label == "Produits"
    assert flags["cannabis"].reason == "Les faits sont déjà connus du parquet."
    assert [p.split(" : ")[0] for p in lexicon.problems] == [
        "lexique_secret.txt, ligne 2", "lexique_secret.txt, ligne 6", "lexique_secret.txt, ligne 8",
        "lexique_secret.txt, ligne 10"]
    assert "catégorie" in lexicon.problems[0]


def test_unreadable_or_missing_user_file_never_breaks_the_guard(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("[diagnostic]\nd\xe9pression\n".encode("latin-1"))
    lexicon = load_lexicon(bad)
    assert "UTF-8" in lexicon.problems[0]
    assert scan("abstinent", lexicon)
    assert load_lexicon(tmp_path / "absent.txt").problems == ()
    assert len(default_lexicon(tmp_path / "absent.txt")) == len(load_lexicon(None))


def test_scan_is_fast_enough_for_every_keystroke(lexicon) -> None:
    flagged = ("Il s'est présenté, dit être abstinent, sous méthadone 60 mg ; analyses d'urine négatives. "
               "Il évoque une dépression. ")
    plain = "La personne se présente régulièrement aux entretiens et s'implique dans la prise en charge. "
    for label, unit in (("avec termes", flagged), ("sans terme", plain)):
        text = (unit * 60)[:5000]
        scan(text, lexicon)
        started = time.perf_counter()
        for _ in range(50):
            scan(text, lexicon)
        elapsed = (time.perf_counter() - started) / 50 * 1000
        print(f"\nscan de 5 000 caractères ({label}) : {elapsed:.2f} ms")
        assert elapsed < 50  # generous: about 1-2 ms here
