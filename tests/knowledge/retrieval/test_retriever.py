"""Retrieval: German normalisation, ranking, answer/suggest/abstain, bad input, hints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from knowledge.loader import load_entries
from knowledge.retrieval import LexiconError, Retriever, Scored, load_calibration, load_lexicon
from knowledge.retrieval.analyzer import Analyzer, Unit, query_terms
from knowledge.retrieval.features import (
    FEATURES,
    PARTS_FOUND,
    QueryEvidence,
    coverages,
    feature_matrix,
)
from knowledge.retrieval.retriever import Candidate, decide
from knowledge.retrieval.text import fold, raw_tokens
from knowledge.schema import Entry, Source


def entry(
    id_: str, title: str, questions: Sequence[str], tags: Sequence[str] = (), answer: str = ""
) -> Entry:
    return Entry(
        id=id_,
        title=title,
        category="ozg",
        questions=tuple(questions),
        answer=answer or f"Antwort zu {title}: ausführlich und mit Quelle belegt.",
        sources=(Source(title="Quelle", url="https://example.org/"),),
        stand=dt.date(2025, 1, 1),
        tags=tuple(tags),
    )


FIXTURE = (
    entry(
        "ozg-grundlagen",
        "Onlinezugangsgesetz (OZG): Grundlagen",
        [
            "Was ist das OZG?",
            "Was regelt das Onlinezugangsgesetz?",
            "Seit wann gibt es das Onlinezugangsgesetz?",
        ],
        ["OZG", "2017"],
    ),
    entry(
        "ozg2",
        "OZG 2.0 (OZG-Änderungsgesetz) im Überblick",
        [
            "Was ist das OZG 2.0?",
            "Was hat sich mit dem OZG-Änderungsgesetz geändert?",
            "Seit wann gilt das neue OZG?",
        ],
        ["OZG 2.0", "Novelle"],
    ),
    entry(
        "breitband-foerderung",
        "Breitbandförderung in Baden-Württemberg",
        [
            "Wie wird der Breitbandausbau gefördert?",
            "Wie hoch ist der Eigenanteil beim Glasfaser?",
            "Welche Förderquote gilt für den Breitbandausbau?",
        ],
        ["Breitband", "Glasfaser"],
    ),
    entry(
        "baustein-3-lebensbereiche",
        "Baustein 3: Festlegung der Lebensbereiche",
        [
            "Was passiert im Baustein 3?",
            "Welche Lebensbereiche wählt die Gemeinde aus?",
            "Wie legt man die Schwerpunkte der Strategie fest?",
        ],
        ["Baustein 3", "Strategie"],
    ),
    entry(
        "baustein-4-projekte",
        "Baustein 4: Konkrete Projekte und Maßnahmen",
        [
            "Was passiert im Baustein 4?",
            "Wie kommt man zu konkreten Projekten?",
            "Welche Maßnahmen leitet man aus der Strategie ab?",
        ],
        ["Baustein 4", "Strategie"],
    ),
    entry(
        "future-communities",
        "Förderprogramm Future Communities",
        [
            "Was war Future Communities?",
            "Wie viele Projekte wurden gefördert?",
            "Wer entschied über die Förderung bei Future Communities?",
        ],
        ["FC", "Landesprogramm"],
    ),
    entry(
        "dzk-ueberblick",
        "Digitale Zukunftskommune@bw im Überblick",
        [
            "Was war die Digitale Zukunftskommune?",
            "Wie viel Geld gab es im Wettbewerb?",
            "Wie viele Bewerbungen gab es für die Digitale Zukunftskommune?",
        ],
        ["DZK", "2017"],
    ),
    entry(
        "bot-datenschutz",
        "Wie geht Digilotse mit Daten um?",
        [
            "Was speichert der Bot über mich?",
            "Wie lösche ich meine Daten?",
            "Datenschutz beim Digilotsen",
        ],
        ["Datenschutz", "DSGVO"],
    ),
)


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.build(FIXTURE)


@pytest.fixture(scope="module")
def real_base() -> Retriever:
    return Retriever.build(load_entries().entries)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_lexicon())


def stems(analyzer: Analyzer, text: str) -> list[str]:
    return [word.stem for word in analyzer.words(text) if not word.stop]


def terms(retriever: Retriever, text: str) -> dict[str, float]:
    corpus = retriever._corpus
    units: list[Unit] = corpus.analyzer.units(corpus.analyzer.words(text), corpus.vocab, True)
    return query_terms(units)


class TestNormalisation:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            pytest.param("Förderung", "Foerderung", id="typed-oe"),
            pytest.param("FÖRDERUNG", "förderung", id="case"),
            pytest.param("Förderung", "Forderung", id="umlaut-dropped"),
            pytest.param("Städte", "Staedte", id="typed-ae"),
            pytest.param("Übersicht", "Uebersicht", id="typed-ue"),
            pytest.param("Straße", "Strasse", id="eszett"),
        ],
    )
    def test_spellings_of_one_word_get_the_same_stems(
        self, analyzer: Analyzer, a: str, b: str
    ) -> None:
        assert stems(analyzer, a) == stems(analyzer, b)

    @pytest.mark.parametrize(
        ("text", "folded"),
        [
            pytest.param("neuen Quellen", "neuen quellen", id="ue-after-vowel-or-q-kept"),
            pytest.param("<b>OZG</b> &amp; mehr", "ozg mehr", id="markup-removed"),
            pytest.param("a\x00b\u200bc\td", "a b c d", id="control-characters"),
            pytest.param("ＯＺＧ", "ozg", id="fullwidth"),
            pytest.param("Café", "cafe", id="accents"),
        ],
    )
    def test_fold_cleans_and_folds(self, text: str, folded: str) -> None:
        assert fold(text) == folded

    @pytest.mark.parametrize(
        ("text", "tokens"),
        [
            pytest.param("OZG 2.0", ["ozg", "2"], id="version"),
            pytest.param("OZG2", ["ozg", "2"], id="glued-version"),
            pytest.param("Stufen 0–4", ["stufen", "0", "4"], id="range"),
            pytest.param("1.101 Gemeinden", ["1101", "gemeinden"], id="thousands"),
            pytest.param("31.12.2022", ["31", "12", "2022"], id="date"),
            pytest.param("3. Runde", ["3.", "runde"], id="ordinal"),
            pytest.param(
                "Kommunen@digital", ["kommunen", "digital", "kommunendigital"], id="at-name"
            ),
        ],
    )
    def test_numbers_are_kept_as_tokens(self, text: str, tokens: list[str]) -> None:
        assert raw_tokens(fold(text)) == tokens

    def test_number_before_a_plural_counts_and_is_not_joined(self, retriever: Retriever) -> None:
        assert "baustein#5" not in terms(retriever, "die 5 Bausteine")
        assert "baustein#5" in terms(retriever, "der 5. Baustein")

    def test_long_input_is_truncated_early(self) -> None:
        assert len(fold("Förderung " * 10_000)) <= 500

    @pytest.mark.parametrize(
        ("text", "term"),
        [
            pytest.param("Was regelt Baustein 3?", "baustein#3", id="noun-number"),
            pytest.param("der dritte Baustein", "baustein#3", id="ordinal-word"),
            pytest.param("3. Baustein", "baustein#3", id="ordinal-digit"),
            pytest.param("OZG 2.0", "ozg#2", id="version"),
            pytest.param("ozg2", "ozg#2", id="glued"),
            pytest.param("OZG zwei Punkt null", "ozg#2", id="spelled-out"),
            pytest.param("Runde 2", "rund#2", id="round"),
            pytest.param("zweite Runde", "rund#2", id="round-ordinal"),
            pytest.param("Reifegradmodell 2.0", "reifegradmodell#2", id="model-version"),
            pytest.param("Reifegradmodell 2.0", "=reifegrad#2", id="model-version-synonym"),
        ],
    )
    def test_numbered_phrases_become_one_term(
        self, retriever: Retriever, text: str, term: str
    ) -> None:
        assert term in terms(retriever, text)

    @pytest.mark.parametrize(
        ("text", "key"),
        [
            pytest.param("OZG", "=ozg", id="acronym"),
            pytest.param("Onlinezugangsgesetz", "=ozg", id="long-form"),
            pytest.param("DZK", "=dzk", id="dzk"),
            pytest.param("Digitale Zukunftskommune", "=dzk", id="dzk-long"),
            pytest.param("FC", "=fc", id="fc"),
            pytest.param("Einer für Alle", "=efa", id="stopword-phrase"),
            pytest.param("EfA", "=efa", id="efa"),
        ],
    )
    def test_acronyms_and_long_forms_share_a_synonym_key(
        self, retriever: Retriever, text: str, key: str
    ) -> None:
        assert key in terms(retriever, text)

    def test_compound_is_split_into_known_parts(self, retriever: Retriever) -> None:
        query = terms(retriever, "Strategieprojekte")
        assert {"strategieprojekt", "strategi", "projekt"} <= set(query)

    def test_compound_matches_its_parts_in_another_order(self, retriever: Retriever) -> None:
        top = retriever.search("Glasfaserförderquote")[0]
        assert top.entry.id == "breitband-foerderung"

    def test_unknown_word_is_corrected_to_a_close_known_word(self, retriever: Retriever) -> None:
        assert "lebensbereich" in terms(retriever, "Lebensbereiche")
        assert "lebensbereich" in terms(retriever, "Lebensbereihce")

    def test_words_far_from_the_vocabulary_are_not_corrected(self, retriever: Retriever) -> None:
        assert set(terms(retriever, "Wetter")) == {"wett"}

    def test_how_many_written_as_one_word_is_read_as_two(self, retriever: Retriever) -> None:
        assert terms(retriever, "wieviele Lotsen") == terms(retriever, "wie viele Lotsen")

    def test_words_for_staff_share_a_synonym_key(self, retriever: Retriever) -> None:
        assert "=beschaftigte" in terms(retriever, "Leute")
        assert "=beschaftigte" in terms(retriever, "Mitarbeitende")

    def test_an_everyday_word_is_not_corrected_to_a_similar_known_one(
        self, real_base: Retriever
    ) -> None:
        assert "badese" not in terms(real_base, "Bodensee")  # Badesee-App Heddesheim
        assert "abruf" not in terms(real_base, "anrufen")

    def test_an_everyday_word_may_be_corrected_to_a_word_derived_from_its_stem(
        self, real_base: Retriever
    ) -> None:
        assert "erinner" in terms(real_base, "erinnern")  # the stem of "Erinnerung"


class TestDecisions:
    @pytest.mark.parametrize(
        ("question", "expected"),
        [
            pytest.param("Was ist das Onlinezugangsgesetz?", "ozg-grundlagen", id="long-form"),
            pytest.param("OZG 2.0 Überblick", "ozg2", id="version"),
            pytest.param("Breitbandfoerderung Eigenanteil", "breitband-foerderung", id="ascii"),
            pytest.param(
                "Was macht man im dritten Baustein?", "baustein-3-lebensbereiche", id="ordinal"
            ),
            pytest.param("Digitale Zukunftskomune Bewerbungen", "dzk-ueberblick", id="typo"),
        ],
    )
    def test_clear_question_ranks_its_entry_first(
        self, retriever: Retriever, question: str, expected: str
    ) -> None:
        assert retriever.search(question)[0].entry.id == expected

    def test_clear_match_is_answered(self, retriever: Retriever) -> None:
        decision = retriever.decide("Wie lösche ich beim Bot meine Daten?")
        assert decision.outcome == "answer"
        assert decision.best is not None
        assert decision.best.id == "bot-datenschutz"
        assert decision.suggestions == ()

    def test_a_question_close_to_several_entries_shows_them_all(self, retriever: Retriever) -> None:
        """Answered first with the runners-up as alternatives, or suggested as a tie."""
        decision = retriever.decide("Baustein Strategie")
        assert decision.outcome in ("answer", "suggest")
        offered = [e.id for e in decision.offered]
        assert len([i for i in offered if i.startswith("baustein-")]) >= 2
        assert len(offered) <= 3

    @pytest.mark.parametrize(
        "question",
        [
            pytest.param("asdfghjkl qwertz", id="gibberish"),
            pytest.param("Wie wird das Wetter morgen in Stuttgart?", id="weather"),
            pytest.param("Rezept für Käsespätzle mit Röstzwiebeln", id="recipe"),
            pytest.param("Wer gewinnt die Fußball-Bundesliga?", id="sports"),
        ],
    )
    def test_out_of_scope_question_is_not_answered(
        self, retriever: Retriever, question: str
    ) -> None:
        decision = retriever.decide(question)
        assert decision.outcome == "abstain"
        assert decision.best is None

    @pytest.mark.parametrize(
        "question",
        [
            pytest.param("", id="empty"),
            pytest.param("   \n\t ", id="whitespace"),
            pytest.param("OZG " * 2_500, id="10000-chars"),
            pytest.param("x" * 10_000, id="10000-chars-one-word"),
            pytest.param("\x00\x01\x02\x1b[31m", id="control-characters"),
            pytest.param("<script>alert('x')</script>", id="script"),
            pytest.param("😀🎉👍", id="emoji-only"),
            pytest.param("Привет, как дела?", id="cyrillic"),
            pytest.param("你好，这是什么？", id="chinese"),
            pytest.param("\ud800", id="lone-surrogate"),
            pytest.param("?!.,;:-", id="punctuation"),
        ],
    )
    def test_bad_input_does_not_raise(self, retriever: Retriever, question: str) -> None:
        decision = retriever.decide(question)
        results = retriever.search(question)
        assert decision.outcome in {"answer", "suggest", "abstain"}
        assert all(0.0 <= s.confidence <= 1.0 for s in results)

    @pytest.mark.parametrize(
        "question",
        [
            pytest.param("", id="empty"),
            pytest.param("😀🎉👍", id="emoji-only"),
            pytest.param("Привет, как дела?", id="cyrillic"),
            pytest.param("<script></script>", id="script"),
        ],
    )
    def test_input_without_words_abstains_with_nothing_to_offer(
        self, retriever: Retriever, question: str
    ) -> None:
        assert retriever.decide(question).outcome == "abstain"
        assert retriever.search(question) == []

    def test_search_returns_at_most_k_most_confident_first(self, retriever: Retriever) -> None:
        results = retriever.search("Förderung Projekte Strategie", k=3)
        assert 0 < len(results) <= 3
        confidences = [s.confidence for s in results]
        assert confidences == sorted(confidences, reverse=True)
        assert retriever.search("Förderung", k=0) == []


def confidence_of(results: Sequence[Scored], entry_id: str) -> float:
    return next(s.confidence for s in results if s.entry.id == entry_id)


class TestHints:
    @pytest.mark.parametrize(
        ("number", "expected"),
        [("3", "baustein-3-lebensbereiche"), ("4", "baustein-4-projekte")],
    )
    def test_listed_hint_decides_between_close_entries(
        self, retriever: Retriever, number: str, expected: str
    ) -> None:
        question = "Was passiert in diesem Baustein?"
        assert retriever.search(question, hints={"baustein": number})[0].entry.id == expected

    def test_unlisted_hint_value_raises_confidence_of_tagged_entries(
        self, retriever: Retriever
    ) -> None:
        question = "Wie hoch ist die Förderung?"
        plain = confidence_of(retriever.search(question), "future-communities")
        hinted = confidence_of(
            retriever.search(question, hints={"thema": "FC"}), "future-communities"
        )
        assert hinted > plain

    def test_hint_does_not_override_a_clear_match(self, retriever: Retriever) -> None:
        decision = retriever.decide(
            "Wie lösche ich beim Bot meine Daten?", hints={"programme": "dzk"}
        )
        assert decision.best is not None
        assert decision.best.id == "bot-datenschutz"

    def test_a_hint_raising_a_whole_programme_keeps_a_clear_lead_an_answer(
        self, real_base: Retriever
    ) -> None:
        """The hint lifts every Future Communities round alike; the lead of the first round,
        clear without it, must not become a tie."""
        question = "Was war die erste Runde von Future Communities?"
        hints = {"programme": "future_communities"}
        hinted = real_base.candidates(question, hints)
        assert hinted[1].confidence - hinted[1].plain > hinted[0].confidence - hinted[0].plain
        decision = real_base.decide(question, hints)
        assert decision.outcome == "answer"
        assert decision.best is not None
        assert decision.best.id == "future-communities-runde-1"

    def test_unknown_hint_changes_nothing(self, retriever: Retriever) -> None:
        question = "Wie wird der Breitbandausbau gefördert?"
        plain = retriever.search(question)
        hinted = retriever.search(question, hints={"colour": "blue", "": ""})
        assert plain == hinted


class TestLexicon:
    def test_synonym_group_from_the_lexicon_file_links_words(self, tmp_path: Path) -> None:
        path = tmp_path / "synonyms.yaml"
        path.write_text("synonyms:\n  netz: [breitband, datenautobahn]\n", encoding="utf-8")
        retriever = Retriever.build(FIXTURE, synonyms_path=path)
        assert retriever.search("Datenautobahn Eigenanteil")[0].entry.id == "breitband-foerderung"

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("- just\n- a list\n", id="list"),
            pytest.param("synonyms: [a, b]\n", id="synonyms-not-a-mapping"),
            pytest.param("numbers:\n  '1': 5\n", id="numbers-not-lists"),
        ],
    )
    def test_malformed_lexicon_file_raises_lexicon_error(self, tmp_path: Path, text: str) -> None:
        path = tmp_path / "synonyms.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(LexiconError):
            load_lexicon(path)


class TestCoverage:
    """The share of a question's words an entry covers (a feature of the confidence model)."""

    EVIDENCE = QueryEvidence(
        units=(
            Unit("ozg"),
            Unit("antrag", weight=0.5),  # a corrected typo counts by its weight
            Unit("verwaltung", keys=("behoerde",)),
            Unit("buergerportal", parts=("buerger", "portal")),
        ),
        unit_idf=(4.0, 2.0, 1.0, 3.0),
        word_norm=1.0,
        char_norm=1.0,
    )

    def test_counts_each_kind_of_match_by_its_weight(self) -> None:
        shares = coverages(
            self.EVIDENCE,
            [
                frozenset({"ozg", "antrag", "verwaltung", "buergerportal"}),
                frozenset({"ozg"}),
                frozenset({"antrag"}),
                frozenset({"behoerde"}),
                frozenset({"portal"}),
                frozenset({"wetter"}),
            ],
        )
        total = 10.0
        assert shares == pytest.approx(
            [
                (4.0 + 1.0 + 1.0 + 3.0) / total,
                4.0 / total,
                1.0 / total,
                1.0 / total,
                3.0 * PARTS_FOUND * 0.5 / total,
                0.0,
            ]
        )

    def test_a_question_without_weight_covers_nothing(self) -> None:
        empty = QueryEvidence(units=(), unit_idf=(), word_norm=0.0, char_norm=0.0)
        assert coverages(empty, [frozenset({"ozg"})]) == [0.0]


class TestWaysPeopleAsk:
    """Everyday words, position words and general questions, as people type them."""

    @pytest.mark.parametrize("question", ["Wie alt bist du?", "Wie spät ist es?"])
    def test_a_question_of_everyday_words_only_is_not_answered(
        self, real_base: Retriever, question: str
    ) -> None:
        assert real_base.decide(question).outcome != "answer"

    @pytest.mark.parametrize(
        ("question", "expected"),
        [
            ("Was ist der letzte Baustein?", "baustein-5-strategie"),
            ("der vorletzte baustein", "baustein-4-projekte"),
            ("der mittlere Baustein", "baustein-3-lebensbereiche"),
        ],
    )
    def test_position_words_name_one_item_of_a_series(
        self, real_base: Retriever, question: str, expected: str
    ) -> None:
        assert real_base.search(question, k=1)[0].entry.id == expected

    def test_a_general_question_ranks_the_overview_before_the_specific_entry(
        self, real_base: Retriever
    ) -> None:
        ranked = [s.entry.id for s in real_base.search("Was ist das OZG?", k=3)]
        assert ranked.index("ozg-grundlagen") < ranked.index("ozg2")


def test_an_answer_offers_a_runner_up_at_the_offer_threshold_and_not_below() -> None:
    entries = FIXTURE[:3]
    calibration = replace(load_calibration(), answer_threshold=0.6, answer_margin=0.0)
    offer = calibration.offer_threshold

    def candidate(index: int, confidence: float) -> Candidate:
        return Candidate(index, confidence, np.zeros(0, dtype=np.float32), confidence)

    ranked = [candidate(0, 0.9), candidate(1, offer), candidate(2, offer - 0.01)]
    decision = decide(ranked, calibration, entries)
    assert decision.outcome == "answer"
    assert [e.id for e in decision.alternatives] == [entries[1].id]


def test_a_repeated_word_does_not_make_the_question_longer() -> None:
    def length(*terms: str) -> float:
        evidence = QueryEvidence(tuple(Unit(t) for t in terms), [1.0] * len(terms), 1.0, 1.0)
        zero = np.zeros(1, dtype=np.float32)
        rows = feature_matrix(
            evidence, [0.0], [0.0], [0.0], [0.0], [0.0], zero, zero, zero, (1.0, 0.5, 0.5)
        )
        return float(rows[0, FEATURES.index("length")])

    assert length("test", "test", "test") == length("test")
    assert length("ozg", "frist") > length("ozg")


def test_a_lead_won_on_an_everyday_word_counts_less_than_one_won_on_a_rare_word() -> None:
    def margin(specific_cover: float) -> float:
        units = (Unit("programmier"), Unit("app"))
        evidence = QueryEvidence(units, [1.0, 1.0], 1.0, 1.0, [1.0, 0.5])
        zero = np.zeros(2, dtype=np.float32)
        rows = feature_matrix(
            evidence,
            [0.5, 0.0],
            [0.5, 0.0],
            [specific_cover, 0.0],
            [0.0, 0.0],
            [0.0, 0.0],
            np.asarray([1.0, 0.0], dtype=np.float32),
            zero,
            zero,
            (1.0, 0.5, 0.5),
        )
        return float(rows[0, FEATURES.index("margin")])

    assert 0 < margin(0.25) < margin(0.5)  # "app" (everyday) matched vs a rare word matched
