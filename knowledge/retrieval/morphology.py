"""Verb forms whose stem differs from the noun's: "gefördert", "fördern" → "Förderung".

The Snowball stemmer leaves participles ("gefördert", "umgesetzt", "digitalisiert") and some
infinitives ("fördern" → "ford", "entwickeln" → "entwickel") apart from the nouns and other forms
of the same verb ("Förderung" → "forder", "Entwicklung" → "entwickl"). :func:`verb_bases` lists
the candidate stems of a folded word, best first; a query word the knowledge base does not know
takes the first candidate it does know (so "ge" is only ever stripped where that yields a known
stem: "Gemeinde" is known as it stands).
"""

from __future__ import annotations

from collections.abc import Iterator

# Separable verb prefixes: the participle's "ge" follows them ("umgesetzt", "zugestimmt").
SEPARABLE = (
    "ab", "an", "auf", "aus", "bei", "dar", "ein", "fest", "frei", "her", "hin", "los", "mit",
    "nach", "teil", "um", "vor", "weiter", "zu", "zuruck",
)  # fmt: skip
IER = ("ierten", "iertes", "ierter", "ierte", "ieren", "iert")  # keep "ier": Digitalisierung
PARTICIPLE = ("et", "t", "en")  # after "ge": "gefördert", "ausgebildet", "angebunden"
EL_ER = ("eln", "ern", "elt", "ert")  # "fördern", "entwickelt": the noun keeps "el"/"er"
MIN_BASE = 4  # shortest candidate stem worth looking up


def verb_bases(surface: str) -> Iterator[str]:
    """Candidate stems of a folded verb form, most likely first; nothing for other words."""
    for ending in IER:
        if surface.endswith(ending) and len(surface) - len(ending) >= MIN_BASE:
            yield surface[: -len(ending)] + "ier"
            return
    for base in (surface, *_without_ge(surface)):
        endings = EL_ER if base == surface else (*EL_ER, *PARTICIPLE)
        for ending in endings:
            if base.endswith(ending) and len(base) - len(ending) >= MIN_BASE - 1:
                core = base[: -len(ending)] + (ending[:-1] if ending in EL_ER else "")
                yield from (core, core[:-2] + core[-1]) if core.endswith(("el", "er")) else (core,)


def _without_ge(surface: str) -> Iterator[str]:
    """The word without a participle's "ge" (at the start or after a separable prefix)."""
    if surface.startswith("ge"):
        yield surface[2:]
    for prefix in SEPARABLE:
        if surface.startswith(prefix + "ge"):
            yield prefix + surface[len(prefix) + 2 :]
