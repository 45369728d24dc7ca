"""Follow-up questions read against the entry just shown ("Und wie viel Geld gab es da?").

Pure: given a :class:`Retriever`, the new question and the id of the entry the user saw last,
:func:`decide_in_context` returns the :class:`Decision` to act on. A question that clearly stands
on its own is decided on its own; an anaphoric one (short, "und …", "da", "das", "dafür" …) is
answered from the previous entry or its ``related`` neighbours, ranked with the question plus
the previous entry's title and tags. Ordinals ("und die zweite?", "der letzte") pick the
neighbour whose title carries that number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from knowledge.retrieval.retriever import Decision, Retriever
from knowledge.schema import Entry

SHORT_WORDS = 4  # a question this short leans on what came before
ANAPHORIC_WORDS = 8  # longer questions are read on their own, pronouns or not
OPENED_WORDS = 12  # … unless they open with "und", "aber" …: those lean on the one before
OWN_ANSWER_FLOOR = 0.5  # an own answer outside the neighbourhood needs this confidence
_WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\d.])\b(\d{1,2})\b(?![.,]\d)")
OPENERS = frozenset({"und", "da", "dann", "aber", "also", "auch", "sonst"})
POINTERS = frozenset(
    {
        "das",
        "dass",
        "dafür",
        "dafuer",
        "da",
        "dazu",
        "dabei",
        "damit",
        "davon",
        "dahinter",
        "daran",
        "darauf",
        "darüber",
        "dort",
        "die",
        "der",
        "den",
        "dem",
        "des",
        "sie",
        "er",
        "es",
        "ihn",
        "ihr",
        "dies",
        "diese",
        "dieser",
        "dieses",
        "diesen",
        "uns",
        "noch",
        "so",
    }
)
ORDINALS = {
    "erste": 1,
    "ersten": 1,
    "erster": 1,
    "zweite": 2,
    "zweiten": 2,
    "zweiter": 2,
    "dritte": 3,
    "dritten": 3,
    "dritter": 3,
    "vierte": 4,
    "vierten": 4,
    "vierter": 4,
    "fünfte": 5,
    "fünften": 5,
    "fünfter": 5,
    "fuenfte": 5,
    "sechste": 6,
    "sechsten": 6,
}
WE = frozenset({"uns", "wir", "unser", "unsere", "unserer", "unseren", "unserem"})
WE_MEANS = "Kommune Kommunen Gemeinde"
PREVIOUS_BONUS = 0.1  # the entry just shown wins unless a neighbour matches clearly better
LAST = frozenset({"letzte", "letzten", "letzter", "letztes"})
MONEY_WORDS = frozenset({"geld", "euro", "kostet", "kosten", "zuschuss", "fördersumme"})
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:€|euro|mio\.?|mrd\.?|millionen|milliarden)", re.IGNORECASE)


def decide_in_context(
    retriever: Retriever,
    question: str,
    previous: str | None,
    hints: Mapping[str, str] | None = None,
) -> Decision:
    """Decide ``question``, reading it against entry ``previous`` when it is a follow-up."""
    own = retriever.decide(question, hints)
    entries = retriever.by_id
    before = entries.get(previous) if previous else None
    if before is None:
        return own
    words = [w.casefold() for w in _WORD.findall(question)]
    near = _neighbourhood(before, entries)
    follows = is_anaphoric(words) or _topicless(retriever, question, words)
    if _stands_alone(own, words, near, follows) or _own_topic(retriever, own, question, near):
        return own
    chosen = (
        _by_ordinal(words, before, entries)
        or _neighbour_by_ordinal(words, near)
        or _previous_answers(words, before)
        or _ranked(retriever, question, before, near)
    )
    return Decision("answer", max(own.confidence, chosen[1]), chosen[0], ())


def might_follow_up(question: str) -> bool:
    """Whether ``question`` may lean on the entry shown before (cheap: no retrieval): it is
    anaphoric, or short enough that naming no topic makes it one (see :func:`_topicless`)."""
    words = [w.casefold() for w in _WORD.findall(question)]
    return is_anaphoric(words) or 0 < len(words) <= ANAPHORIC_WORDS


def is_anaphoric(words: Sequence[str]) -> bool:
    """Whether a question (as lower-case words) leans on the one before."""
    if words and words[0] in OPENERS and len(words) <= OPENED_WORDS:
        return True  # "Und wie kriegen wir die in unsere eigenen Onlinedienste rein?"
    if not words or len(words) > ANAPHORIC_WORDS:
        return False
    if len(words) <= SHORT_WORDS:
        return True
    return any(w in POINTERS for w in words[1:])


def _stands_alone(
    own: Decision, words: Sequence[str], near: Sequence[Entry], follows: bool
) -> bool:
    """Whether the question's own decision holds: it answers with a neighbour, or the question
    is not a follow-up, or it is a longer anaphoric one that finds a confident answer by itself.

    An own answer that repeats the previous entry is weighed against the neighbours first."""
    answered = own.outcome == "answer" and own.best is not None
    if answered and own.best is not None and own.best.id in {e.id for e in near[1:]}:
        return True
    if not follows:
        return True
    longer = len(words) > SHORT_WORDS and is_anaphoric(words)
    return answered and own.confidence >= OWN_ANSWER_FLOOR and longer


def _topicless(retriever: Retriever, question: str, words: Sequence[str]) -> bool:
    """A short question that names no topic, neither a rare word nor a curated term ("Wie
    melde ich mich an?"): it asks about the topic just shown."""
    return len(words) <= ANAPHORIC_WORDS and not retriever.names_topic(question)


def _own_topic(retriever: Retriever, own: Decision, question: str, near: Sequence[Entry]) -> bool:
    """A confident own answer to a question naming a topic the neighbourhood doesn't know
    ("Was regelt das Onlinezugangsgesetz?" after a Future Communities answer)."""
    confident = own.outcome == "answer" and own.confidence >= OWN_ANSWER_FLOOR
    return confident and retriever.new_topic(question, near)


def _neighbourhood(before: Entry, entries: Mapping[str, Entry]) -> list[Entry]:
    """The previous entry, the entries it names as related and those naming it, previous first.

    Links are often written one way only ("Wer trägt das Programm?" names the overview, the
    overview does not name it), so both directions count."""
    related = [entries[i] for i in before.related if i in entries]
    linked = [e for e in entries.values() if before.id in e.related and e not in related]
    return [before, *related, *linked]


def _by_ordinal(
    words: Sequence[str], before: Entry, entries: Mapping[str, Entry]
) -> tuple[Entry, float] | None:
    """The entry of the previous one's series numbered like the ordinal in ``words`` ("die
    zweite", "der letzte"): a series shares the words of its titles ("Future Communities: 1.
    Runde", "… 2. Runde"); another numbered neighbour ("Baustein 3") is not part of it."""
    if _position(before) is None:
        return None
    series = _series_words(before)
    numbered = {
        e.id: n
        for e in entries.values()
        if (n := _position(e)) is not None and series & _series_words(e)
    }
    wanted = _ordinal(words)
    if wanted is None and any(w in LAST for w in words):
        wanted = max(numbered.values())
    found = [entries[i] for i, n in numbered.items() if n == wanted]
    return (found[0], 1.0) if len(found) == 1 else None


def _neighbour_by_ordinal(
    words: Sequence[str], near: Sequence[Entry]
) -> tuple[Entry, float] | None:
    """After an overview of a series ("Die fünf Bausteine"), not itself a member of it: the one
    neighbour numbered like the ordinal in ``words`` ("Was passiert im zweiten?")."""
    wanted = _ordinal(words)
    if wanted is None:
        return None
    found = [e for e in near[1:] if _position(e) == wanted]
    return (found[0], 1.0) if len(found) == 1 else None


def _previous_answers(words: Sequence[str], before: Entry) -> tuple[Entry, float] | None:
    """The entry just shown, when the question asks for an amount of money and its answer
    names one ("Und wie viel Geld gab es da?"): a neighbour that merely says "Geld" or
    "Förderung" more often does not answer it better."""
    asks_money = any(w in MONEY_WORDS for w in words)
    return (before, 1.0) if asks_money and _AMOUNT.search(before.answer) else None


def _ordinal(words: Sequence[str]) -> int | None:
    """The number of the first ordinal word ("zweite" → 2), None without one."""
    return next((ORDINALS[w] for w in words if w in ORDINALS), None)


def _series_words(entry: Entry) -> set[str]:
    """The longer words of an entry's title: what the members of a numbered series share."""
    return {w.casefold() for w in _WORD.findall(entry.title) if len(w) > 3 and not w.isdigit()}


def _position(entry: Entry) -> int | None:
    match = _NUMBER.search(entry.title)
    return int(match.group(1)) if match else None


def _ranked(
    retriever: Retriever, question: str, before: Entry, near: Sequence[Entry]
) -> tuple[Entry, float]:
    """The neighbour the question matches best on its own; the previous entry breaks near-ties.

    "uns", "wir" … stand for the user's municipality, so they also search for "Kommune".
    """
    words = {w.casefold() for w in _WORD.findall(question)}
    query = _new_words(question, before)
    if words & WE:
        query = f"{query} {WE_MEANS}"
    near = [e for e in near if not _unasked_member(e, before, words)]
    allowed = {e.id for e in near}
    scores = {
        retriever.entries[c.index].id: (c.fused, c.confidence)
        for c in retriever.candidates(query)
        if retriever.entries[c.index].id in allowed
    }
    fused, confidence = scores.get(before.id, (0.0, 0.0))
    best: tuple[Entry, float, float] = (before, fused + PREVIOUS_BONUS, confidence)
    for entry in near[1:]:
        fused, confidence = scores.get(entry.id, (0.0, 0.0))
        if fused > best[1]:
            best = (entry, fused, confidence)
    return best[0], best[2]


def _unasked_member(entry: Entry, before: Entry, words: set[str]) -> bool:
    """Whether ``entry`` is another numbered member of the previous entry's series ("… 1.
    Runde" after the programme's overview) while the question names no number or ordinal:
    a follow-up without one ("Und wie viel Geld gab es da?") asks about the entry just shown,
    not about one of its rounds."""
    if entry.id == before.id or _position(entry) is None:
        return False
    asks_number = any(w.isdigit() or w in ORDINALS or w in LAST for w in words)
    return not asks_number and bool(_series_words(before) & _series_words(entry))


def _new_words(question: str, before: Entry) -> str:
    """The question without the words naming the previous entry's topic (all neighbours share
    it, so only the rest tells them apart); the whole question if nothing else is left."""
    known = {w.casefold() for text in (before.title, *before.tags) for w in _WORD.findall(text)}
    rest = [w for w in _WORD.findall(question) if w.casefold() not in known]
    return " ".join(rest) if rest else question
