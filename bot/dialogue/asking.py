"""Whether free text is a question, for dialogues that wait for something else (a name).

Pure and cheap: a question mark, a question word or verb first ("Was ist …", "Gibt es …",
"Kann ich …"), or a sentence longer than any municipality name.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
LONGEST_NAME_WORDS = 5  # "Freiburg im Breisgau", "Stadt Villingen-Schwenningen": names are short
_OPENER_WORDS = """
    was wie wer wen wem wessen wo woher wohin wann warum wieso weshalb weswegen wozu wofür
    wofuer womit worum wodurch woran worauf wieviel wieviele welche welcher welches welchen
    welchem gibt gilt geht kann kannst können koennen könnte koennte muss müssen muessen darf
    dürfen duerfen soll sollen sollte ist sind hat haben habe brauche brauchen lohnt bekommen
    bekommt erkläre erklär erklaer erklaere zeig zeige nenne sag sage hilfe info infos
    """
OPENERS = frozenset(_OPENER_WORDS.split())


def looks_like_question(text: str) -> bool:
    """True for "Was ist das OZG", "gibt es förderung?", a long sentence; False for a name."""
    if "?" in text:
        return True
    words = _WORD.findall(text.casefold())
    if not words:
        return False
    return words[0] in OPENERS or len(words) > LONGEST_NAME_WORDS
