"""What kind of free text arrived, before it is read as a question: words, only links, English,
or a question at all (for dialogues that wait for something else, such as a name).

Pure and cheap. A message with no letters or digits ("?!?", "🤔") or only links is answered
with a hint instead of a knowledge-base search (and is not recorded as a gap for editors).
"""

from __future__ import annotations

import re

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_ENGLISH_WORDS = (
    "the what is are how do does can could we our you your and of for to with which who when "
    "where why please there this that it apply funding municipality help"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
ENGLISH_SHARE = 0.4  # this share of the words in the English list: written in English
MIN_ENGLISH_WORDS = 3


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit."""
    return _WORD.search(text) is not None


def only_links(text: str) -> bool:
    """Whether ``text`` is one or more links and nothing else worth reading."""
    return bool(_LINK.search(text)) and not has_words(_LINK.sub(" ", text))


def looks_english(text: str) -> bool:
    """Whether ``text`` is plainly English ("What is the OZG and how do we apply?")."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < MIN_ENGLISH_WORDS:
        return False
    return sum(w in _ENGLISH for w in words) / len(words) >= ENGLISH_SHARE


_LETTERS = re.compile(r"[^\W\d_]+")
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
    words = _LETTERS.findall(text.casefold())
    if not words:
        return False
    return words[0] in OPENERS or len(words) > LONGEST_NAME_WORDS
