"""/statistik through the engine: the worst-rated entries and the weekly chart as a photo."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from matplotlib import image

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming
from bot.features.admin.chart import WEEKS, weekly_counts
from bot.stores.bundle import Stores
from knowledge.markup import validate_html

ADMIN = 1
# entry -> votes (1 = 👍, -1 = 👎), one user per vote
VOTES = {
    "ozg-grundlagen": (-1, -1, -1),  # 0 % 👍, three 👎: worst
    "ozg2": (-1, -1),  # 0 %, two 👎
    "service-bw": (1, -1, -1, -1),  # 25 %
    "ki-verwaltung": (1, -1),  # 50 %
    "digitallotsen": (1, 1, -1),  # 67 %
    "foerderung-ueberblick": (1, 1, 1),  # 100 %: sixth, not shown
    "komm-one": (-1,),  # one vote only: not rated
}


async def vote_all(stores: Stores) -> None:
    user = 5000
    for entry_id, votes in VOTES.items():
        for vote in votes:
            user += 1
            await stores.questions.vote(user, entry_id, vote)


async def test_statistik_names_the_five_worst_rated_entries_in_order(
    engine: Engine, stores: Stores
) -> None:
    """Lowest 👍 share first (ties: more 👎), only entries with at least two votes."""
    await vote_all(stores)

    turn = await engine.handle(Incoming(ADMIN, ADMIN, text="/statistik", is_admin=True))

    text = turn.replies[0].html
    worst = text.split("Am schlechtesten bewertet", 1)[1]
    order = ["ozg-grundlagen", "ozg2", "service-bw", "ki-verwaltung", "digitallotsen"]
    assert [worst.index(f"<code>{entry}</code>") for entry in order] == sorted(
        worst.index(f"<code>{entry}</code>") for entry in order
    )
    assert "foerderung-ueberblick" not in worst
    assert "komm-one" not in worst
    assert "👍 1 · 👎 3" in worst
    assert validate_html(text) == []


async def test_statistik_sends_the_weekly_chart_as_a_png_photo(
    engine: Engine, stores: Stores
) -> None:
    """The second reply is a photo that decodes as a PNG image."""
    await engine.handle(Incoming(7, 7, text="Was ist das Onlinezugangsgesetz?"))

    turn = await engine.handle(Incoming(ADMIN, ADMIN, text="/statistik", is_admin=True))

    photo = turn.replies[1].photo
    assert photo is not None
    assert photo.filename.endswith(".png")
    pixels = image.imread(io.BytesIO(photo.content), format="png")
    assert pixels.shape[0] > 200
    assert pixels.shape[1] > 400


def test_weekly_counts_put_questions_into_their_monday_weeks_and_drop_older_ones() -> None:
    """Twelve weeks ending with this one; a question 13 weeks ago is not counted."""
    today = date(2026, 12, 3)  # a Thursday
    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)
    asked = [
        (monday, "answer"),
        (monday + timedelta(days=2), "abstain"),
        (monday - timedelta(days=1), "suggest"),  # Sunday: the week before
        (monday - timedelta(weeks=13), "answer"),
    ]

    weeks = weekly_counts(asked, today, UTC)

    assert len(weeks) == WEEKS
    assert weeks[-1].monday == date(2026, 11, 30)
    assert weeks[-1].counts == {"answer": 1, "suggest": 0, "abstain": 1}
    assert weeks[-2].counts == {"answer": 0, "suggest": 1, "abstain": 0}
    assert sum(week.total for week in weeks) == 3
