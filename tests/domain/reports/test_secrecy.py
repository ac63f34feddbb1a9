"""The secrecy guard: what must be flagged, what must not, and how fast.

Decisions tested here (documented at the top of lexique_secret.txt): "analyse",
"résultat", "positif", "test" and "consommation" alone are ordinary words and are not
flagged; only the phrases naming an examination or its result are. "Traitement" alone
is flagged: in a report about a person in care it almost always means medical treatment.

Since issue 17 the guard lemmatizes, tolerates typos and reads constructions; the only
assertion changed from the word-list guard is "60 mg par jour" (the quantity pattern flags
the whole quantity and frequency, not the bare unit "mg").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from injonctions_tui.domain.reports.secrecy import (CATEGORIES, SHIPPED_LEXICON_PATH, ParagraphCache, default_lexicon,
                                                    fold, load_lexicon, scan, scan_paragraphs, split_units)

SHIPPED = SHIPPED_LEXICON_PATH
CORPUS = Path(__file__).resolve().parent / "corpus" / "corpus_reglage.tsv"


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
    # changed: was ("…", "mg", …); the quantity pattern flags the whole dose and frequency
    ("60 mg par jour.", "60 mg par jour", "traitement"),
    ("60mg par jour.", "60mg par jour", "traitement"),
    ("Il compte en mg.", "mg", "traitement"),  # the bare unit is still flagged
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


# --------------------------------------------------------------------------- new guard

@pytest.mark.parametrize(("sentence", "excerpts"), [
    # the misses reported in the issue
    ("Abstinance totale depuis mars, il prend encore un peu de bupré",
     {("Abstinance", "abstinence"), ("bupré", "traitement")}),
    ("Il prend du subu.", {("subu", "traitement")}),
    ("Il est sous métha.", {("métha", "traitement")}),
    ("Une rechutte en mai.", {("rechutte", "abstinence")}),
    ("Il guérit.", {("guérit", "abstinence")}),
    ("Il est abstinant.", {("abstinant", "abstinence")}),
    ("il n'a plus touché à l'héroïne", {("n'a plus touché à l'héroïne", "abstinence")}),
    ("il fume encore 4 joints par jour", {("fume encore 4 joints", "abstinence")}),
    ("consommation d'alcool estimée à 8 verres par jour",
     {("consommation d'alcool estimée", "abstinence"), ("8 verres par jour", "abstinence")}),
    ("il a arrêté la coke et le shit", {("arrêté la coke", "abstinence")}),
    ("il suit une psychothérapie pour un stress post-traumatique",
     {("psychothérapie", "diagnostic"), ("stress post-traumatique", "diagnostic")}),
])
def test_reported_misses_are_flagged(lexicon, sentence: str, excerpts: set[tuple[str, str]]) -> None:
    assert set(_terms(sentence, lexicon)) == excerpts


@pytest.mark.parametrize(("sentence", "excerpt"), [
    ("Il a rechuté en mai.", "rechuté"),                       # lemma: rechuter
    ("Des rechutes répétées.", "rechutes"),
    ("Elle est guérie.", "guérie"),
    ("Il a recommencé à consommer.", "recommencé à consommer"),
    ("Il a repris l'alcool.", "repris l'alcool"),
    ("Il ne boit plus depuis Noël.", "ne boit plus"),
    ("Il a cessé de boire.", "cessé de boire"),
    ("Il a de nouveau consommé.", "de nouveau consommé"),
    ("Il est hopitalisé.", "hopitalisé"),                      # typo on a "préfixe*" entry
    ("Une schizofrénie ancienne.", "schizofrénie"),
    ("Il est sous METADONE.", "METADONE"),
    ("Elle prend 2 comprimés par jour.", "2 comprimés par jour"),
    ("Une dizaine de bières le week-end.", "dizaine de bières"),
])
def test_inflections_typos_and_constructions(lexicon, sentence: str, excerpt: str) -> None:
    assert excerpt in [flag.text for flag in scan(sentence, lexicon)]


@pytest.mark.parametrize("sentence", [
    "Le traitement de son dossier par le greffe a pris du retard.",   # reported false positive
    "Le traitement de la demande est en cours.",
    "Le traitement administratif de sa demande de logement avance.",
    "Il a pris contact avec le centre de soins.",
    "La prise en charge a débuté le 3 mars.",
    "Il s'est présenté à tous les rendez-vous.",
    "Il a été orienté vers le CSAPA.",
    "Un test de la ligne a été fait.",
    "Il a été arrêté en possession de cannabis.",
    "Il a obtenu un résultat positif au code de la route.",
    "Le contact avec son fils a été rétabli.",
    "Il vient deux fois par semaine.",
    "Il a arrêté de venir après le deuxième entretien.",
    "Il a repris le travail à temps plein.",
    "Il ne travaille plus depuis janvier.",
    "Il a recommencé à travailler en mars.",
    "Il s'est présenté sobrement vêtu.",          # a real word is never taken for a typo
    "L'attestation lui a été délivrée.",          # "délivrée" is not "délire"
])
def test_nearby_words_used_legitimately_are_not_flagged(lexicon, sentence: str) -> None:
    assert scan(sentence, lexicon) == [], sentence


def test_context_exceptions_live_in_the_lexicon_file(tmp_path: Path) -> None:
    sentence = "Le traitement de son dossier par le greffe."
    assert scan(sentence, load_lexicon(None)) == []
    shipped = SHIPPED.read_text(encoding="utf-8")
    assert "traitement de * dossier" in shipped
    without = shipped.replace("\ntraitement de * dossier\n", "\n")
    assert [f.text for f in scan(sentence, load_lexicon(None, shipped_text=without))] == ["traitement"]
    # and the user can add one
    extra = tmp_path / "lexique_secret.txt"
    extra.write_text("[exceptions]\ntraitement de faveur\ntraitement … chantier\n", encoding="utf-8")
    assert scan("Le traitement du chantier est achevé.", load_lexicon(extra)) == []
    assert scan("Le traitement du chantier est achevé.", load_lexicon(None))


def test_user_file_adds_words_lists_constructions_and_suggestions(tmp_path: Path) -> None:
    extra = tmp_path / "lexique_secret.txt"
    extra.write_text("[traitement] Un médicament de confort reste un traitement.\n"
                     "> préférez : « la prise en charge est en place ».\n"
                     "Doliprane\n"
                     "[abstinence]\n"
                     "jurer de … {produit} | Un serment d'abstinence n'a pas sa place ici. | préférez : rien.\n"
                     "{produit}\n"
                     "cacao\n"
                     "{période}\n"
                     "!semaine\n"
                     "[diagnostic]\n"
                     "!enceinte\n"
                     "{liste inconnue}\n", encoding="utf-8")
    lexicon = load_lexicon(extra)
    [flag] = scan("Il prend du Doliprane.", lexicon)
    assert (flag.category, flag.reason, flag.suggestion) == (
        "traitement", "Un médicament de confort reste un traitement.", "préférez : « la prise en charge est en place ».")
    [flag] = scan("Il jure de lâcher le cacao.", lexicon)       # a word added to a shipped list
    assert flag.text.startswith("jure") and flag.suggestion == "préférez : rien."
    assert scan("Elle est enceinte.", lexicon) == []                 # !terme removes a shipped term
    assert scan("Elle est enceinte.", load_lexicon(None))
    assert scan("2 comprimés par semaine", lexicon)[0].text == "2 comprimés"   # !mot left the list
    assert any("{liste inconnue}" in p or "liste" in p for p in lexicon.problems)


def test_every_flag_says_why_and_what_to_write_instead(lexicon) -> None:
    text = ("Il est sous méthadone, 60 mg par jour ; dépistage négatif ; abstinent ; "
            "une dépression ; hospitalisé ; enceinte ; il boit encore 4 bières.")
    flags = scan(text, lexicon)
    assert len(flags) == 8
    for flag in flags:
        assert flag.reason and flag.suggestion.startswith("préférez"), flag
        assert flag.category_label
    by_text = {f.text: f for f in flags}
    assert "prise en charge est en place depuis" in by_text["méthadone"].suggestion
    assert "abstinence" in by_text["abstinent"].reason


def test_offsets_with_accents_ligatures_and_decomposed_characters(lexicon) -> None:
    text = ("Œuvre sociale. Il est ABSTINENT ; sœur enceinte ; \u00e9tat de\u0301pressif ; "
            "méthadone\u00a060\u202fmg ; l’analyse d’urine.")
    flags = scan(text, lexicon)
    assert [text[f.start:f.end] for f in flags] == [f.text for f in flags]
    assert [f.text for f in flags] == ["ABSTINENT", "enceinte", "\u00e9tat de\u0301pressif",
                                        "méthadone", "60\u202fmg", "analyse d’urine"]


def _report(words: int = 3000) -> str:
    sentences = [line.split("\t")[2] for line in CORPUS.read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#")]
    out, count, index = [], 0, 0
    while count < words:
        paragraph = " ".join(sentences[(index + k) % len(sentences)] for k in range(6))
        index += 7
        out.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(out)


def test_incremental_scan_equals_full_scan(lexicon) -> None:
    text = _report(1500)
    cache = ParagraphCache()
    assert scan(text, lexicon, cache) == scan(text, lexicon, ParagraphCache())
    middle = len(text) // 2
    edits = [text[:middle] + "Il est sous Subutex. " + text[middle:],       # insertion
             text[:middle] + text[middle + 40:],                             # deletion across words
             text.replace(". ", ".\n", 3),                                   # line breaks
             text[:middle] + " abstinent" + text[middle:],                   # inside a sentence
             ""]
    for edited in edits:
        before = cache.analysed
        assert scan(edited, lexicon, cache) == scan(edited, lexicon, ParagraphCache())
        assert cache.analysed - before <= 4      # only the touched sentences were analysed
    flags, kept = scan_paragraphs(text, lexicon)
    again, same = scan_paragraphs(text, lexicon, kept)
    assert again == flags and same is kept


def test_units_tile_the_text() -> None:
    text = "M. X est venu. Il a dit : « oui ».\n\nPuis :\n- un\n- deux\nle traitement de\nsubstitution"
    units = split_units(text)
    assert units[0][0] == 0 and units[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(units, units[1:]))
    assert any("traitement de\nsubstitution" in text[s:e] for s, e in units)


def test_simplemma_is_not_loaded_at_import_or_when_reading_the_lexicon() -> None:
    import subprocess
    import sys
    code = ("import sys; from injonctions_tui.domain.reports import secrecy; lex = secrecy.load_lexicon(None); "
            "assert 'simplemma' not in sys.modules and 'rapidfuzz' not in sys.modules; "
            "secrecy.scan('abstinent', lex); assert 'simplemma' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[3])


def test_a_keystroke_reanalyses_one_sentence_and_gives_the_full_scan(lexicon) -> None:
    """What the editor relies on for instant highlighting (timings: bench/run.py): after each
    keystroke in the middle of a 3 000-word report, the incremental scan equals a fresh one."""
    text = _report(3000)
    cache = ParagraphCache()
    scan(text, lexicon, cache)
    middle = len(text) // 2
    for index, char in enumerate("Il est abstinant. "):
        text = text[:middle + index] + char + text[middle + index:]
        assert scan(text, lexicon, cache) == scan(text, lexicon, ParagraphCache())
    assert any(flag.text == "abstinant" for flag in scan(text, lexicon, cache))
