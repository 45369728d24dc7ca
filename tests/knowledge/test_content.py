"""Checked loading for a running bot: every ``kb check`` problem refuses, ageing only warns."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from knowledge import content, loader
from knowledge.content import ContentError, checked_pickle, load_checked, unpack
from knowledge.loader import KB_DIR
from knowledge.retrieval.analyzer import Analyzer
from knowledge.retrieval.corpus import CorpusSettings, build_corpus
from knowledge.retrieval.lexicon import load_lexicon
from tests.bot import kb_copy


def test_passed_review_dates_only_warn_and_the_content_loads() -> None:
    """Long after every review_by the real base still loads, with one warning per entry."""
    checked = load_checked(KB_DIR, today=dt.date(2030, 1, 1))

    assert len(checked.entries) > 100
    assert len(checked.warnings) >= len(checked.entries)
    assert all("has passed" in warning.message for warning in checked.warnings)


def test_a_file_that_is_not_utf8_is_refused_at_its_first_line(tmp_path: Path) -> None:
    """An editor's Latin-1 save is a problem with file and line, not a crash."""
    (tmp_path / "latin1.yaml").write_bytes("- id: grüße\n".encode("latin-1"))

    with pytest.raises(ContentError) as refused:
        load_checked(tmp_path)

    first = refused.value.problems[0]
    assert (first.location.path.name, first.location.line) == ("latin1.yaml", 1)
    assert "cannot read" in first.message


def test_a_directory_without_entries_is_refused(tmp_path: Path) -> None:
    """Zero entries is never a valid knowledge base."""
    with pytest.raises(ContentError) as refused:
        load_checked(tmp_path)

    assert [p.message for p in refused.value.problems] == ["no entries found in this directory"]


def test_a_kb_check_rule_refuses_the_content_at_the_entry_line(tmp_path: Path) -> None:
    """Not only YAML: an answer with an unclosed tag is refused, pointing at its line."""
    kb_copy.add_entry(tmp_path)
    path = tmp_path / kb_copy.NEW_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("</b>", ""), encoding="utf-8")

    with pytest.raises(ContentError) as refused:
        load_checked(tmp_path)

    lines = {(p.location.path.name, p.location.line) for p in refused.value.problems}
    assert (kb_copy.NEW_FILE, 9) in lines


def test_learned_questions_join_their_entry_and_are_found_by_the_retriever() -> None:
    """An accepted question is one more question of its entry; a known one is not doubled."""
    learned = {
        "digitallotsen-anmeldung": [
            "Wo finde ich das Anmeldeblatt?",
            "wo finde ich das anmeldeblatt?",
        ],
        "gibt-es-nicht": ["Wird ignoriert"],
    }

    checked = load_checked(KB_DIR, learned=learned)

    entry = next(e for e in checked.entries if e.id == "digitallotsen-anmeldung")
    assert entry.questions[-1] == "Wo finde ich das Anmeldeblatt?"
    assert sum(q.casefold() == "wo finde ich das anmeldeblatt?" for q in entry.questions) == 1
    decision = checked.retriever.decide("Wo finde ich das Anmeldeblatt?")
    assert decision.best is not None
    assert decision.best.id == "digitallotsen-anmeldung"


@pytest.mark.parametrize("part_items", [500, 50], ids=["one-part", "parts-of-50"])
def test_the_pickled_content_decides_like_the_content_built_here(
    monkeypatch: pytest.MonkeyPatch, part_items: int
) -> None:
    """The index crosses a process boundary in parts (stemmer recreated), ranking as before."""
    monkeypatch.setattr(content, "PART_ITEMS", part_items)
    questions = ["Was ist das Onlinezugangsgesetz?", "Förderprograme für Breitband", "xyz"]
    built = load_checked(KB_DIR)

    sent = unpack(checked_pickle(KB_DIR, {}))

    assert [e.id for e in sent.entries] == [e.id for e in built.entries]
    assert sent.retriever.corpus.known == built.retriever.corpus.known
    for question in questions:
        assert sent.retriever.decide(question) == built.retriever.decide(question)
        assert sent.retriever.search(question, 5) == built.retriever.search(question, 5)


def test_a_refusal_pickles_with_its_problems(tmp_path: Path) -> None:
    """The build process's ContentError arrives with every problem, file and line."""
    with pytest.raises(ContentError) as refused:
        checked_pickle(tmp_path, {})

    arrived = pickle.loads(pickle.dumps(refused.value))

    assert arrived.problems == refused.value.problems
    assert str(arrived) == str(refused.value)


def test_a_rebuild_after_an_edit_indexes_like_a_fresh_build(tmp_path: Path) -> None:
    """What the build process keeps between reloads never stands in for an edited entry."""
    kb_dir = kb_copy.copy_kb(tmp_path)
    load_checked(kb_dir)
    kb_copy.edit_entry(kb_dir)
    kb_copy.add_entry(kb_dir)

    rebuilt = load_checked(kb_dir).retriever.corpus
    fresh = build_corpus(rebuilt.entries, Analyzer(load_lexicon()), CorpusSettings())

    assert rebuilt.known == fresh.known
    assert rebuilt.terms == fresh.terms
    assert rebuilt.key_strings == fresh.key_strings
    assert any(kb_copy.NEW_TEXT in entry.answer for entry in rebuilt.entries)


def test_after_the_warm_up_a_reload_parses_only_the_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build process builds once when it starts; the first reload reuses unchanged files."""
    kb_dir = kb_copy.copy_kb(tmp_path)
    content.warm_up(kb_dir)
    kb_copy.edit_entry(kb_dir)
    parsed: list[str] = []
    parse = loader._load_file

    def spy(path: Path, text: str) -> loader.LoadResult:
        parsed.append(path.name)
        return parse(path, text)

    monkeypatch.setattr(loader, "_load_file", spy)

    checked = load_checked(kb_dir)

    assert parsed == [kb_copy.EDITED_FILE]
    assert any(kb_copy.NEW_TEXT in entry.answer for entry in checked.entries)


def test_the_warm_up_of_broken_content_leaves_the_report_to_the_reload(tmp_path: Path) -> None:
    kb_copy.break_yaml(kb_copy.copy_kb(tmp_path))

    content.warm_up(tmp_path / "kb")  # no error: the reload refuses it with file and line
