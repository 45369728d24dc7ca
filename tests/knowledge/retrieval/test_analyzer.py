"""The analyzer kept between index builds: one per lexicon text, its memos never pickled."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from knowledge.retrieval.analyzer import Analyzer, shared_analyzer
from knowledge.retrieval.lexicon import SYNONYMS_PATH, load_lexicon

TEXT = "Die Förderprogramme für den 3. Baustein: Breitband und Onlinezugangsgesetz 2.0"


def copy_of_synonyms(tmp_path: Path) -> Path:
    path = tmp_path / "synonyms.yaml"
    shutil.copyfile(SYNONYMS_PATH, path)
    return path


class TestSharedAnalyzer:
    def test_an_unchanged_lexicon_file_gives_the_same_analyzer(self, tmp_path: Path) -> None:
        path = copy_of_synonyms(tmp_path)

        assert shared_analyzer(path) is shared_analyzer(path)

    def test_an_edited_lexicon_file_gives_a_new_analyzer_with_the_edit(
        self, tmp_path: Path
    ) -> None:
        """Editors may change synonyms.yaml between reloads: the edit is not hidden by a memo."""
        path = copy_of_synonyms(tmp_path)
        before = shared_analyzer(path)
        path.write_text(
            path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
        )  # same lexicon, other text: a new analyzer all the same
        after = shared_analyzer(path)

        assert after is not before
        assert after.lexicon == load_lexicon(path)


class TestWords:
    def test_document_words_are_the_words_of_the_whole_text(self) -> None:
        analyzer = Analyzer(load_lexicon())
        analyzer.next_build()
        long_text = TEXT * 100

        first = analyzer.document_words(long_text)
        analyzer.next_build()

        assert first == analyzer.document_words(long_text) == analyzer.words(long_text, None)

    def test_a_documents_kept_phrases_give_the_units_found_without_them(self) -> None:
        """Synonym phrases are kept per document text; the units are the same either way."""
        analyzer = Analyzer(load_lexicon())
        analyzer.next_build()
        text = "Wie beantrage ich Förderung für das Onlinezugangsgesetz und die BundID?"
        words = analyzer.document_words(text)
        vocab = analyzer.vocabulary([words])

        kept = analyzer.document_phrases(text)

        assert kept  # the text names synonym phrases
        assert analyzer.units(words, vocab, phrases=kept) == analyzer.units(words, vocab)
        assert analyzer.term_set(words, vocab, kept) == analyzer.term_set(words, vocab)

    def test_a_pickled_analyzer_analyses_like_the_original_without_its_memos(self) -> None:
        """The index crosses to the bot process; the word memos stay behind and refill."""
        analyzer = Analyzer(load_lexicon())
        analyzer.next_build()
        words = analyzer.document_words(TEXT)

        sent = pickle.dumps(analyzer)
        arrived = pickle.loads(sent)

        assert b"Word" not in sent  # the stems are sent, no word
        assert arrived.words(TEXT, None) == words
        assert arrived.document_words(TEXT) == words
