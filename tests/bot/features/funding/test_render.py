"""How a funding call looks: its details, escaped, and the answer about ended calls."""

from __future__ import annotations

from datetime import date

from bot.dialogue.texts import load_texts
from bot.features.funding.calls import CallDraft
from bot.features.funding.render import FundingRenderer
from knowledge.markup import find_html_errors

TODAY = date(2026, 12, 3)
PLAIN = CallDraft("Gigabit", date(2027, 1, 31), "https://e.org/", "Ausbau", None)
DETAILED = CallDraft(
    "Gigabit <2027>",
    date(2027, 1, 31),
    "https://e.org/",
    "Ausbau",
    "breitband",
    funder="Bund & Land",
    eligible="Gemeinden <10 000 EW",
    amount="bis 90 % (max. 1 Mio. €)",
    stand=date(2026, 11, 30),
)


def test_the_details_are_shown_with_german_labels_escaped_and_with_the_stand() -> None:
    """Funder, who may apply and amount each on a labelled line; "Stand: TT.MM.JJJJ" last."""
    html = FundingRenderer(load_texts()).announcement(DETAILED, TODAY)
    assert "Gigabit &lt;2027&gt;" in html
    assert "Fördergeber: Bund &amp; Land" in html
    assert "Antragsberechtigt: Gemeinden &lt;10 000 EW" in html
    assert "Höhe oder Quote: bis 90 % (max. 1 Mio. €)" in html
    assert html.endswith("<i>Stand: 30.11.2026</i>")
    assert find_html_errors(html) == []


def test_a_call_without_details_shows_no_empty_lines_or_labels() -> None:
    """What /foerderaufruf records: title, deadline, description, link and nothing else."""
    html = FundingRenderer(load_texts()).call(PLAIN, TODAY)
    assert "\n\n" not in html
    assert "Fördergeber" not in html
    assert "Stand" not in html
    assert html.splitlines()[2] == "Ausbau"


def test_ended_calls_are_listed_with_the_day_their_deadline_passed() -> None:
    """ "Kürzlich abgelaufen" with each title escaped and its last day."""
    ended = CallDraft("A & B", date(2026, 11, 20), "https://e.org/", "x", "ki")
    html = FundingRenderer(load_texts()).expired([ended], "ki")
    assert "Künstliche Intelligenz" in html
    assert "• <b>A &amp; B</b> – Frist endete am 20.11.2026" in html
    assert find_html_errors(html) == []
