"""Content validation: every defect is reported with its file and line, the real base is clean."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest

from knowledge.check.model import load_questionnaire
from knowledge.loader import Problem
from knowledge.validate import check_knowledge, normalise

TODAY = dt.date(2026, 3, 1)


def entry(
    entry_id: str,
    *,
    title: str | None = None,
    questions: tuple[str, ...] | None = None,
    answer: str = '"Die Antwort steht hier und ist lang genug."',
    extra: str = "",
    sources: str = '  sources:\n    - title: "Bundesministerium des Innern"\n'
    '      url: "https://www.bmi.bund.de/ozg"\n',
    stand: str = "  stand: 2026-02-01\n",
    review_by: str = "  review_by: 2026-03-01\n",
) -> str:
    """One entry as YAML text; ``extra`` lines are inserted after the answer."""
    questions = questions or (f"Was ist {entry_id}?", f"Erkläre {entry_id}", f"Info zu {entry_id}")
    lines = [
        f"- id: {entry_id}\n",
        f"  title: {title or 'Titel von ' + entry_id}\n",
        "  category: ozg\n",
        "  questions:\n",
        *[f'    - "{question}"\n' for question in questions],
        f"  answer: {answer}\n",
        extra,
        sources,
        stand,
        review_by,
    ]
    return "".join(lines)


def write_kb(tmp_path: Path, **files: str) -> Path:
    """Write ``name=text`` files into a fresh knowledge-base directory."""
    kb = tmp_path / "kb"
    kb.mkdir()
    for name, text in files.items():
        (kb / f"{name}.yaml").write_text(text, encoding="utf-8")
    return kb


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``marker``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    return hits[occurrence - 1]


def check(kb: Path) -> list[Problem]:
    return check_knowledge(kb, today=TODAY)


def without_review(problems: list[Problem]) -> list[Problem]:
    """The problems other than those about ``review_by`` (tested on their own)."""
    return [problem for problem in problems if "review_by" not in problem.message]


def only_problem(kb: Path) -> Problem:
    problems = check(kb)
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]


def test_clean_entries_have_no_problems(tmp_path: Path) -> None:
    text = entry("ozg-frist", extra="  related: [ozg-ergebnis]\n") + entry("ozg-ergebnis")

    assert check(write_kb(tmp_path, ozg=text)) == []


@pytest.mark.parametrize(
    ("field", "override", "expected"),
    [
        pytest.param(
            "sources",
            {"sources": ""},
            "sources: Field required (every entry needs at least one source",
            id="missing-sources",
        ),
        pytest.param(
            "sources",
            {"sources": "  sources: []\n"},
            "sources: Tuple should have at least 1 item",
            id="empty-sources",
        ),
        pytest.param(
            "stand",
            {"stand": ""},
            "stand: Field required (every entry needs the date of its information",
            id="missing-stand",
        ),
        pytest.param(
            "stand",
            {"stand": "  stand: Februar 2026\n"},
            "stand: Input should be a valid date",
            id="stand-not-a-date",
        ),
    ],
)
def test_missing_sources_or_stand_are_explained(
    tmp_path: Path, field: str, override: dict[str, str], expected: str
) -> None:
    text = entry("ozg-frist", **override)  # type: ignore[arg-type]

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert expected in problem.message
    marker = f"  {field}:" if f"  {field}:" in text else "- id: ozg-frist"
    assert problem.location.line == line_of(text, marker)


def test_schema_errors_come_from_the_loader_with_their_line(tmp_path: Path) -> None:
    text = entry("ozg-frist").replace("category: ozg", "category: sonstiges")

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message.startswith("category: Input should be")
    assert problem.location.line == line_of(text, "category:")


def test_invalid_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    text = entry("ozg-frist") + "- id: [unclosed\n"

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message.startswith("invalid YAML")
    assert problem.location.line >= line_of(text, "[unclosed")


def test_duplicate_ids_are_reported_in_both_files(tmp_path: Path) -> None:
    first = entry("ozg-frist")
    second = entry("ozg-frist", title="Anderer Titel", questions=("Andere?", "Fragen", "hier"))
    kb = write_kb(tmp_path, a=first, b=entry("zwei") + second)

    problems = check(kb)

    assert [(p.location.path.name, p.location.line) for p in problems] == [
        ("a.yaml", 1),
        ("b.yaml", line_of(entry("zwei") + second, "- id: ozg-frist")),
    ]
    second_place = f"{kb / 'b.yaml'}:{problems[1].location.line}"
    assert (
        problems[0].message == f"[ozg-frist] duplicate id, also used at {second_place} (ozg-frist)"
    )
    assert "also used at" in problems[1].message
    assert f"{kb / 'a.yaml'}:1" in problems[1].message


def test_identical_titles_are_reported_at_both_entries(tmp_path: Path) -> None:
    text = entry("eins", title="OZG-Frist 2022") + entry("zwei", title="ozg frist 2022")

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.location.line for p in problems] == [
        line_of(text, "  title:", 1),
        line_of(text, "  title:", 2),
    ]
    assert "[eins] title 'OZG-Frist 2022' is also used at" in problems[0].message
    assert "(zwei)" in problems[0].message


def test_near_duplicate_questions_of_different_entries_are_reported_at_both(
    tmp_path: Path,
) -> None:
    first = entry("eins", questions=("Wann endet die OZG-Frist?", "Frage zwei", "Frage drei"))
    second = entry("zwei", questions=("Andere Frage", "Wann endete die OZG Frist", "Noch eine"))
    text = first + second

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.location.line for p in problems] == [
        line_of(text, "Wann endet die"),
        line_of(text, "Wann endete die"),
    ]
    assert problems[0].message.startswith(
        "[eins] question 'Wann endet die OZG-Frist?' is a near-duplicate (ratio 9"
    )
    assert f"of 'Wann endete die OZG Frist' at {problems[1].location} (zwei)" in problems[0].message
    assert "[zwei] question 'Wann endete die OZG Frist'" in problems[1].message


def test_questions_that_differ_in_a_number_are_not_duplicates(tmp_path: Path) -> None:
    first = entry("runde-2", questions=("Was war die 2. Runde?", "Frage zwei", "Frage drei"))
    second = entry("runde-3", questions=("Was war die 3. Runde?", "Andere", "Noch eine"))

    assert check(write_kb(tmp_path, ozg=first + second)) == []


def test_a_question_repeated_within_one_entry_is_reported(tmp_path: Path) -> None:
    text = entry("eins", questions=("Was ist das OZG?", "was ist das ozg", "Noch eine"))

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.location.line for p in problems] == [
        line_of(text, "Was ist das OZG?"),
        line_of(text, "was ist das ozg"),
    ]
    assert "question 'Was ist das OZG?' repeats 'was ist das ozg'" in problems[0].message


def test_paraphrases_within_one_entry_are_fine(tmp_path: Path) -> None:
    text = entry("eins", questions=("Was ist das OZG?", "Was ist das OZG genau?", "OZG?"))

    assert check(write_kb(tmp_path, ozg=text)) == []


@pytest.mark.parametrize(
    ("related", "expected"),
    [
        pytest.param(
            "[gibt-es-nicht]", "[eins] related id 'gibt-es-nicht' does not exist", id="dangling"
        ),
        pytest.param("[eins]", "[eins] related lists the entry itself", id="self"),
        pytest.param("[zwei, zwei]", "[eins] related lists 'zwei' twice", id="twice"),
    ],
)
def test_bad_related_ids_are_reported_at_their_line(
    tmp_path: Path, related: str, expected: str
) -> None:
    text = entry("eins", extra=f"  related: {related}\n") + entry("zwei")

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message == expected
    assert problem.location.line == line_of(text, "related:")


def test_related_items_in_a_block_list_point_at_their_own_line(tmp_path: Path) -> None:
    text = entry("eins", extra="  related:\n    - zwei\n    - weg\n") + entry("zwei")

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.location.line == line_of(text, "- weg")


def test_related_to_an_entry_with_schema_errors_is_not_called_dangling(tmp_path: Path) -> None:
    broken = entry("zwei").replace("category: ozg", "category: sonstiges")
    text = entry("eins", extra="  related: [zwei]\n") + broken

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message.startswith("category:")


@pytest.mark.parametrize(
    ("answer", "marker", "expected"),
    [
        pytest.param(
            '"Die <b>Frist endete 2022."',
            "answer:",
            "[eins] answer is not valid Telegram HTML: <b> at character 5 is never closed",
            id="plain-scalar",
        ),
        pytest.param(
            "|\n    Erste Zeile ist gut.\n    Zweite Zeile & dritte.\n    Dritte Zeile.",
            "Zweite Zeile",
            "[eins] answer is not valid Telegram HTML: bare '&' at character 35; write &amp;",
            id="literal-block-exact-line",
        ),
        pytest.param(
            '"Mehr unter <a href=\\"ftp://example.org\\">FTP</a> steht es."',
            "answer:",
            "must start with http://",
            id="bad-link",
        ),
    ],
)
def test_invalid_html_in_the_answer_is_reported_at_its_line(
    tmp_path: Path, answer: str, marker: str, expected: str
) -> None:
    text = entry("eins", answer=answer)

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert expected in problem.message
    assert problem.location.line == line_of(text, marker)


class TestCheckingAgain:
    """A second check in the same process (a reload) reuses nothing that changed."""

    def test_an_entry_edited_to_invalid_html_is_reported_on_the_next_check(
        self, tmp_path: Path
    ) -> None:
        kb = write_kb(tmp_path, ozg=entry("eins"))
        assert check(kb) == []

        (kb / "ozg.yaml").write_text(entry("eins", answer='"Text <b>fett ohne Ende."'))

        assert "not valid Telegram HTML" in only_problem(kb).message

    def test_a_question_edited_into_a_near_duplicate_is_reported(self, tmp_path: Path) -> None:
        kb = write_kb(tmp_path, ozg=entry("eins") + entry("zwei"))
        assert check(kb) == []
        duplicate = ("Was ist eins?", "Erkläre zwei", "Info zu zwei")

        (kb / "ozg.yaml").write_text(entry("eins") + entry("zwei", questions=duplicate))

        messages = [problem.message for problem in check(kb)]
        assert len(messages) == 2
        assert all("'Was ist eins?'" in message for message in messages)

    def test_an_unchanged_broken_file_is_reported_again(self, tmp_path: Path) -> None:
        """A file whose text did not change is not parsed again; its problems still count."""
        kb = write_kb(tmp_path, ozg=entry("eins"), kaputt="- id: x\n  title: [offen\n")
        first = check(kb)

        again = check(kb)

        assert again == first
        assert any("invalid YAML" in problem.message for problem in again)

    def test_an_entry_that_moved_down_is_reported_at_its_new_line(self, tmp_path: Path) -> None:
        broken = entry("eins", answer='"Text <b>fett ohne Ende."')
        kb = write_kb(tmp_path, ozg=broken)
        first = only_problem(kb)
        moved = "# ein Kommentar\n# und noch einer\n" + broken

        (kb / "ozg.yaml").write_text(moved)

        assert only_problem(kb).location.line == first.location.line + 2


def test_invalid_html_in_the_detail_is_reported(tmp_path: Path) -> None:
    text = entry("eins", extra="  detail: |\n    Gut.\n\n    Text <p>Absatz</p>\n")

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.message for p in problems] == [
        "[eins] detail is not valid Telegram HTML: unsupported tag <p> at character 12; "
        "write &lt; for '<'",
        "[eins] detail is not valid Telegram HTML: unsupported tag </p> at character 21; "
        "write &lt; for '<'",
    ]
    assert {p.location.line for p in problems} == {line_of(text, "<p>")}


@pytest.mark.parametrize(
    ("answer", "problem_expected"),
    [
        pytest.param("a" * 700, None, id="700-fits"),
        pytest.param("&amp;" * 700, None, id="entities-count-once"),
        pytest.param("<b>" + "a" * 700 + "</b>", None, id="tags-do-not-count"),
        pytest.param("a" * 701, "[eins] answer is 701 visible characters, budget is 700", id="701"),
        pytest.param(
            "😀" * 351, "[eins] answer is 702 visible characters, budget is 700", id="utf16-units"
        ),
    ],
)
def test_answer_length_budget(tmp_path: Path, answer: str, problem_expected: str | None) -> None:
    text = entry("eins", answer=f'"{answer}"')

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.message for p in problems] == ([problem_expected] if problem_expected else [])
    assert all(p.location.line == line_of(text, "answer:") for p in problems)


def test_detail_length_budget(tmp_path: Path) -> None:
    text = entry("eins", extra=f'  detail: "{"d" * 2501}"\n')

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message == "[eins] detail is 2501 visible characters, budget is 2500"
    assert problem.location.line == line_of(text, "detail:")


def test_rendered_detail_with_many_sources_must_fit_into_one_telegram_message(
    tmp_path: Path,
) -> None:
    sources = "  sources:\n" + "".join(
        f'    - title: "{chr(65 + n) * 200}"\n      url: "https://example.org/{n}"\n'
        for n in range(9)
    )
    text = entry("eins", extra=f'  detail: "{"d" * 2500}"\n', sources=sources)

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message.startswith("[eins] detail as rendered is ")
    assert problem.message.endswith(" visible characters, limit 4096")
    assert problem.location.line == line_of(text, "detail:")


@pytest.mark.parametrize(
    ("extra", "stand", "marker", "expected"),
    [
        pytest.param(
            "  valid_until: 2026-02-28\n",
            "2026-02-01",
            "valid_until:",
            "[eins] valid_until 2026-02-28 has passed (today is 2026-03-01)",
            id="expired",
        ),
        pytest.param(
            "",
            "2026-03-02",
            "stand:",
            "[eins] stand 2026-03-02 is in the future (today is 2026-03-01)",
            id="stand-in-future",
        ),
        pytest.param(
            "  valid_until: 2026-03-01\n", "2026-02-01", None, None, id="valid-until-today"
        ),
        pytest.param("", "2026-03-01", None, None, id="stand-today"),
    ],
)
def test_dates(
    tmp_path: Path, extra: str, stand: str, marker: str | None, expected: str | None
) -> None:
    text = entry("eins", extra=extra, stand=f"  stand: {stand}\n")

    problems = without_review(check(write_kb(tmp_path, ozg=text)))

    assert [p.message for p in problems] == ([expected] if expected else [])
    if marker:
        assert problems[0].location.line == line_of(text, marker)


def test_valid_until_before_stand_is_reported(tmp_path: Path) -> None:
    text = entry("eins", extra="  valid_until: 2026-04-01\n", stand="  stand: 2026-02-01\n")
    text = text.replace("valid_until: 2026-04-01", "valid_until: 2026-01-01")

    problems = without_review(check(write_kb(tmp_path, ozg=text)))

    assert [p.message for p in problems] == [
        "[eins] valid_until 2026-01-01 has passed (today is 2026-03-01)",
        "[eins] valid_until 2026-01-01 is before stand 2026-02-01",
    ]


def test_source_urls_must_be_https(tmp_path: Path) -> None:
    sources = (
        '  sources:\n    - title: "Sicher"\n      url: "https://example.org/a"\n'
        '    - title: "Unsicher"\n      url: "http://example.org/b"\n'
    )
    text = entry("eins", sources=sources)

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message == "[eins] source URL http://example.org/b is not https"
    assert problem.location.line == line_of(text, 'title: "Unsicher"')


def test_problems_are_sorted_by_file_and_line(tmp_path: Path) -> None:
    kb = write_kb(
        tmp_path,
        b=entry("eins", answer='"Text mit & Fehler darin."'),
        a=entry("zwei", stand="  stand: 2027-01-01\n", answer='"Text mit <p>Fehler</p>."'),
    )

    problems = check(kb)

    keys = [(p.location.path.name, p.location.line) for p in problems]
    assert keys == sorted(keys)
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Wann endet die OZG-Frist?", "wann endet die ozg frist", id="punctuation"),
        pytest.param(
            "Förderung für Städte, Straße", "foerderung fuer staedte strasse", id="umlauts"
        ),
        pytest.param("  Café   Ökö_Test ", "cafe oekoe test", id="accents-and-spaces"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_the_real_knowledge_base_passes_every_check() -> None:
    problems = check_knowledge()

    assert [str(problem) for problem in problems] == []


def test_titles_with_markup_characters_render_to_valid_html(tmp_path: Path) -> None:
    sources = (
        '  sources:\n    - title: "\\"A\\" & <B>"\n      url: "https://example.org/seite?a=1&b=2"\n'
    )
    text = entry("eins", title='"Fragen & <Antworten>"', sources=sources)

    assert check(write_kb(tmp_path, ozg=text)) == []


def test_an_impossible_date_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    text = entry("eins", stand="  stand: 2026-02-30\n")

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message.startswith("invalid value: day is out of range")
    assert problem.location.line == 1


@pytest.mark.parametrize(
    ("review_by", "extra", "marker", "expected"),
    [
        pytest.param(
            "",
            "",
            "stand:",
            "[eins] review_by is missing (when must an editor look again?)",
            id="missing",
        ),
        pytest.param(
            "2026-02-28",
            "",
            "review_by:",
            "[eins] review_by 2026-02-28 has passed (today is 2026-03-01)",
            id="passed",
        ),
        pytest.param(
            "2027-03-01",
            "",
            "review_by:",
            "[eins] review_by 2027-03-01 is more than 12 months ahead (latest 2027-02-28)",
            id="too-far-ahead",
        ),
        pytest.param(
            "2026-05-01",
            "  valid_until: 2026-04-30\n",
            "review_by:",
            "[eins] review_by 2026-05-01 is after valid_until 2026-04-30",
            id="after-valid-until",
        ),
        pytest.param("2027-02-28", "", None, None, id="a-year-ahead-fits"),
        pytest.param("2026-03-01", "", None, None, id="today-fits"),
    ],
)
def test_review_by_must_be_set_current_and_within_a_year(
    tmp_path: Path, review_by: str, extra: str, marker: str | None, expected: str | None
) -> None:
    line = f"  review_by: {review_by}\n" if review_by else ""
    text = entry("eins", extra=extra, review_by=line)

    problems = check(write_kb(tmp_path, ozg=text))

    assert [p.message for p in problems] == ([expected] if expected else [])
    if marker:
        assert problems[0].location.line == line_of(text, marker)


def test_review_by_is_checked_against_the_real_date_by_default(tmp_path: Path) -> None:
    text = entry("eins", stand="  stand: 2020-01-01\n", review_by="  review_by: 2021-01-01\n")

    problems = check_knowledge(write_kb(tmp_path, ozg=text))

    assert [p.message.split(" (")[0] for p in problems] == [
        "[eins] review_by 2021-01-01 has passed"
    ]


def sources_yaml(*items: str) -> str:
    """A ``sources:`` block from ready-made item bodies (``title: ...`` lines)."""
    return "  sources:\n" + "".join(f"    - {item}\n" for item in items)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'title: "Start"\n      url: "https://www.gemeindetag-bw.de/"',
            "[eins] source URL https://www.gemeindetag-bw.de/ is a start page; "
            "link the specific page or mark no_specific_page: true",
            id="start-page-with-slash",
        ),
        pytest.param(
            'title: "Start"\n      url: "https://www.gemeindetag-bw.de"',
            "is a start page",
            id="start-page-without-slash",
        ),
        pytest.param(
            'title: "Beitrag"\n      url: "https://bkw.berlin/?p=119"',
            None,
            id="a-query-names-a-page",
        ),
        pytest.param(
            'title: "Keine Einzelseite"\n      url: "https://www.morgenweb.de/"\n'
            "      no_specific_page: true",
            None,
            id="marked-start-page",
        ),
        pytest.param(
            'title: "Seite"\n      url: "https://example.org/a"\n      no_specific_page: true',
            "[eins] source URL https://example.org/a is a specific page but says no_specific_page",
            id="marker-on-a-specific-page",
        ),
        pytest.param(
            'title: "Seite"\n      url: "https://example.org/programm/"', None, id="specific-page"
        ),
        pytest.param(
            'title: "Gesetze"\n      url: "https://github.com/kmein/gesetze"',
            "https://github.com/kmein/gesetze is a repository root; link the file",
            id="repository-root",
        ),
        pytest.param(
            'title: "OZG"\n      url: "https://github.com/kmein/gesetze/blob/abc/laws/OZG.md"',
            None,
            id="file-in-a-repository",
        ),
    ],
)
def test_sources_must_be_pages_a_reader_can_open(
    tmp_path: Path, source: str, expected: str | None
) -> None:
    text = entry("eins", sources=sources_yaml(source))

    problems = check(write_kb(tmp_path, ozg=text))

    assert [expected is not None and expected in p.message for p in problems] == (
        [True] if expected else []
    )
    assert all(p.location.line == line_of(text, "    - title:") for p in problems)


def test_the_bots_own_text_is_a_source_for_the_bots_entries(tmp_path: Path) -> None:
    own = sources_yaml('title: "Digilotse: Datenschutzhinweise"\n      own_text: "/datenschutz"')
    text = entry("eins", sources=own).replace("category: ozg", "category: bot")

    assert check(write_kb(tmp_path, bot=text)) == []


def test_the_bots_own_text_is_refused_as_a_source_elsewhere(tmp_path: Path) -> None:
    own = sources_yaml('title: "Digilotse: Hilfe"\n      own_text: "/hilfe"')
    text = entry("eins", sources=own)

    problem = only_problem(write_kb(tmp_path, ozg=text))

    assert problem.message == (
        "[eins] source 'Digilotse: Hilfe' uses own_text outside the bot's own entries"
    )


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('title: "Nichts"\n      no_specific_page: true', id="neither"),
        pytest.param(
            'title: "Beides"\n      url: "https://example.org/a"\n      own_text: "/hilfe"',
            id="both",
        ),
    ],
)
def test_a_source_has_either_a_url_or_the_bots_own_text(tmp_path: Path, source: str) -> None:
    text = entry("eins", sources=sources_yaml(source)).replace("category: ozg", "category: bot")

    problems = check(write_kb(tmp_path, bot=text))

    assert problems[0].message.startswith("sources.0: Value error, a source needs either url")
    assert problems[0].location.line == line_of(text, "    - title:")


def check_entry(detail_names: list[str], answer_counts: str) -> str:
    """The ``digitalisierungs-check`` entry with these dimension bullets and counts."""
    bullets = "".join(f"    • {html.escape(name, quote=False)}\n" for name in detail_names)
    detail = f"  detail: |\n    <b>Die {len(detail_names)} Dimensionen:</b>\n{bullets}\n    Mehr.\n"
    return entry("digitalisierungs-check", answer=f'"Der Check hat {answer_counts}."', extra=detail)


def test_the_check_entry_matching_the_questionnaire_passes(tmp_path: Path) -> None:
    q = load_questionnaire()
    names = [d.name for d in q.dimensions]
    text = check_entry(names, f"{len(q.questions)} Fragen in {len(names)} Dimensionen")

    assert check(write_kb(tmp_path, bausteine=text)) == []


def test_the_check_entry_naming_other_dimensions_is_reported(tmp_path: Path) -> None:
    q = load_questionnaire()
    names = [d.name for d in q.dimensions]
    renamed = [
        "Kommunikation & Bürgerbeteiligung" if n.startswith("Kommunikation") else n for n in names
    ]
    text = check_entry(renamed, f"{len(q.questions)} Fragen in {len(names)} Dimensionen")

    problem = only_problem(write_kb(tmp_path, bausteine=text))

    assert problem.message.startswith("[digitalisierungs-check] detail lists dimensions [")
    assert "Kommunikation &amp; Bürgerbeteiligung" in problem.message
    assert problem.location.line == line_of(text, "detail:")


def test_the_check_entry_with_wrong_counts_is_reported(tmp_path: Path) -> None:
    q = load_questionnaire()
    names = [d.name for d in q.dimensions]
    text = check_entry(names, f"{len(q.questions) + 1} Fragen in {len(names)} Dimensionen")

    problem = only_problem(write_kb(tmp_path, bausteine=text))

    assert problem.message == (
        f"[digitalisierungs-check] answer says {len(q.questions) + 1} Fragen, "
        f"the questionnaire has {len(q.questions)}"
    )
