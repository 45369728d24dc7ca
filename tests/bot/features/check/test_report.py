"""The check's report for the Gemeinderat: A4 PDF, chart, plan, Berlin dates, file names."""

from __future__ import annotations

import dataclasses
import io
import re
from functools import cache
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.dialogue.texts import load_texts
from bot.features.check.finish import file_stem
from bot.features.check.report.chart import axis_labels, chart_series, radar_chart
from bot.features.check.report.chart_svg import chart_svg
from bot.features.check.report.html import report_data, report_html
from bot.features.check.report.pdf import report_pdf
from bot.features.check.result import CheckOutcome, score_answers
from bot.features.check.result_message import result_message
from tests.bot.check_sample import uneven_outcome

A4_POINTS = (595.28, 841.89)


def _squash(text: str) -> str:
    """Text without whitespace and hyphenation, so line breaks in the PDF do not matter."""
    return re.sub(r"[\s\-‐­]+", "", text)


@cache
def _pdf() -> PdfReader:
    outcome = uneven_outcome()
    return PdfReader(io.BytesIO(report_pdf(report_html(outcome, chart_svg(outcome)))))


@cache
def _pdf_pages() -> tuple[str, ...]:
    reader = _pdf()
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=0.5)
    return tuple(page.extract_text() for page in reader.pages)


def test_every_pdf_page_is_a4_with_municipality_date_and_draft_mark() -> None:
    """Each page carries the running header (municipality, Berlin date), ENTWURF and its number."""
    pages = _pdf_pages()
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert "Bad Beispielheim" in text
        assert "03.12.2026" in text
        assert "ENTWURF" in text
        assert f"Seite {number} von {len(pages)}" in text


def test_pdf_holds_all_dimensions_and_every_answer_uncut() -> None:
    """All eight dimensions and every question and answer text appear in the extracted text."""
    outcome = uneven_outcome()
    text = _squash("".join(_pdf_pages()))
    for dimension in outcome.questionnaire.dimensions:
        assert _squash(dimension.name) in text
    for question in outcome.questionnaire.questions:
        assert _squash(question.text) in text
        value = outcome.answers[question.id]
        if value is not None:
            assert _squash(question.options[value]) in text


def test_pdf_plans_hold_every_step_with_owner_deadline_effort_and_funding() -> None:
    """Each plan is one unbroken block: its steps and, once beside them, owner, date, effort
    and funding all appear in the PDF."""
    text = _squash("".join(_pdf_pages()))
    for plan in report_data(uneven_outcome(), None)["plans"]:
        for row in plan["rows"]:
            for value in (row["step"], row["owner"], row["due"], row["effort"], row["funding"]):
                assert _squash(value) in text


def test_pdf_sections_come_in_the_council_order() -> None:
    """Summary with resolution, profile, plan, comparison, open points, method, appendix."""
    text = "".join(_pdf_pages())
    headings = [
        "Zusammenfassung für den Gemeinderat",
        "Beschlussvorschlag",
        "Profil: Ist und Ziel",
        "Maßnahmenplan",
        "Entwicklung und Vergleich",
        "Offene Punkte zur Klärung",
        "Methode",
        "Anhang: alle Antworten",
    ]
    position = 0
    for heading in headings:  # each found after the one before (ValueError otherwise)
        position = text.index(heading, position) + len(heading)


def test_pdf_appendix_starts_a_page_so_its_heading_is_never_left_at_a_foot() -> None:
    pages = _pdf_pages()
    (first,) = [n for n, text in enumerate(pages) if "Anhang: alle Antworten" in text]
    assert pages[first].startswith("Anhang: alle Antworten")  # margin boxes come last


def test_unrated_dimension_is_a_gap_labelled_not_a_zero() -> None:
    """ "Daten" has too few answers: no Ist value, and its axis says "nicht bewertet"."""
    outcome = uneven_outcome()
    ids = [d.id for d in outcome.score.dimensions]
    ist = next(s for s in chart_series(outcome) if s.label == "Ist")
    assert ist.values[ids.index("daten")] is None
    assert "nicht bewertet" in axis_labels(outcome)[ids.index("daten")]
    it = outcome.score.dimension("it").score
    assert it is not None
    assert ist.values[ids.index("it")] == pytest.approx(float(it))


def test_chart_shows_previous_check_and_peer_median_only_when_known() -> None:
    """Four series with history and peers, two without."""
    assert len(chart_series(uneven_outcome())) == 4
    assert [s.label for s in chart_series(uneven_outcome(previous=False, peers=False))] == [
        "Ziel",
        "Ist",
    ]


def test_telegram_chart_is_a_png_of_at_least_200_dpi_with_title() -> None:
    """The PNG is crisp enough for print; the SVG keeps the title as text."""
    outcome = uneven_outcome()
    image = Image.open(io.BytesIO(radar_chart(outcome)))
    assert image.info["dpi"][0] >= 199
    svg = chart_svg(outcome).decode()
    assert "Bad Beispielheim" in svg
    assert "03.12.2026" in svg


def test_pdf_chart_is_vector_with_its_labels_as_text() -> None:
    """The PDF holds no raster image; the chart's axis labels and legend are text in it."""
    reader = _pdf()
    for page in reader.pages:
        for image in page.images:
            pytest.fail(f"raster image {image.name} in the PDF")
    text = _squash("".join(_pdf_pages()))
    for label in ("(nicht bewertet)", "Letzter Check (20.11.2025)", "Median Größenklasse (n = 14)"):
        assert _squash(label) in text


def _svg_shapes(outcome: CheckOutcome, colour: str) -> dict[str, int]:
    root = ElementTree.fromstring(chart_svg(outcome))
    shapes: dict[str, int] = {}
    for element in root.iter():
        if colour in (element.get("stroke"), element.get("fill")):
            tag = element.tag.rsplit("}", 1)[-1]
            shapes[tag] = shapes.get(tag, 0) + 1
    return shapes


def test_pdf_chart_draws_ist_with_a_gap_at_the_unrated_dimension() -> None:
    """The Ist line is open polylines with a marker per rated dimension; the legend adds one
    sample line and marker. A complete Ist line is one filled polygon."""
    ist = "#0072B2"
    shapes = _svg_shapes(uneven_outcome(), ist)
    assert "polygon" not in shapes
    assert shapes["polyline"] >= 1
    assert shapes["circle"] == 7 + 1  # eight dimensions, "Daten" unrated; the legend's marker
    complete = _capped(strategie=2, it=2)
    assert _svg_shapes(complete, ist) == {"polygon": 1, "circle": 8 + 1, "line": 1}


def test_dates_are_berlin_dates_after_midnight() -> None:
    """A check finished at 23:40 UTC on 2 December is dated 3 December, as in Stuttgart."""
    outcome = uneven_outcome()
    assert report_data(outcome, None)["date"] == "03.12.2026"
    assert file_stem(outcome) == "digitalisierungs-check-bad-beispielheim-2026-12-03"


def test_file_name_is_ascii_for_umlauts_and_odd_names() -> None:
    """Umlauts are transliterated, other characters become dashes."""
    outcome = dataclasses.replace(uneven_outcome(), municipality="Öhringen / Süd <b>")
    assert file_stem(outcome) == "digitalisierungs-check-oehringen-sued-b-2026-12-03"


def test_action_plan_rows_have_owner_deadline_effort_and_funding() -> None:
    """Each priority gets a plan; dates count from the check; unknown funding says so."""
    plans = report_data(uneven_outcome(), None)["plans"]
    assert plans
    row = plans[0]["rows"][0]
    assert re.fullmatch(r"bis \d\d/20\d\d", row["due"])
    assert row["effort"] in {"gering", "mittel", "hoch"}
    assert row["owner"]
    assert row["funding"] == "keine bekannt" or "Voucher" in row["funding"]


def test_open_points_list_the_weiss_nicht_answers() -> None:
    """Every "Weiß nicht" question is listed to clarify."""
    outcome = uneven_outcome()
    unknown = [q.text for q in outcome.questionnaire.questions if outcome.answers[q.id] is None]
    listed = [question for _, question in report_data(outcome, None)["open_points"]]
    assert listed == unknown
    assert len(listed) >= 3


def test_no_history_and_no_peers_leave_the_section_out() -> None:
    """Without an earlier check and peers the report does not show an empty comparison."""
    html = report_html(uneven_outcome(previous=False, peers=False), None)
    assert "Entwicklung und Vergleich" not in html
    assert "Entwicklung und Vergleich" in report_html(uneven_outcome(), None)


def _capped(strategie: int, it: int) -> CheckOutcome:
    base = uneven_outcome(previous=False, peers=False)
    q = base.questionnaire
    answers: dict[str, int | None] = {question.id: 4 for question in q.questions}
    for question in q.questions_of("strategie"):
        answers[question.id] = strategie
    for question in q.questions_of("it"):
        answers[question.id] = it
    return dataclasses.replace(
        base, answers=answers, score=score_answers(q, answers, {d.id: 3 for d in q.dimensions})
    )


def test_capping_note_names_the_dimension_that_caps() -> None:
    """Only the weakest foundation dimension is named, in report and message."""
    outcome = _capped(strategie=1, it=0)
    assert outcome.score.capped
    assert report_data(outcome, None)["capped_by"] == ["IT & Informationssicherheit"]
    assert "IT &amp; Informationssicherheit noch am Anfang steht" in result_message(
        outcome, load_texts()
    )


def test_two_weak_foundations_take_the_plural() -> None:
    """ "Strategie und IT stehen noch am Anfang" — grammar for two dimensions."""
    outcome = _capped(strategie=0, it=0)
    message = result_message(outcome, load_texts())
    assert (
        "Strategie &amp; Steuerung und IT &amp; Informationssicherheit noch am Anfang stehen"
        in (message)
    )
    assert "stehen." in report_html(outcome, None)


def test_report_html_works_on_a_phone_and_escapes_names() -> None:
    """Viewport meta for phones; a municipality name with markup stays text."""
    html = report_html(
        dataclasses.replace(uneven_outcome(), municipality="<script>x</script>"), None
    )
    assert '<meta name="viewport"' in html
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html
