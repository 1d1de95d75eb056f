"""What a typed query becomes: plain words, never the search engines' own syntax.

Quotes, operators (AND, NEAR, -, *, :, &, |, !, <->) and any other punctuation are dropped;
each engine's query is then built from the words alone (see the engines), so no input can
make a query fail.
"""

from __future__ import annotations

import re

MAX_WORDS = 20
MAX_WORD_LENGTH = 40  # longer "words" match nothing anyway; this bounds the work
# A one-letter prefix matches nearly every row and is slow to expand: it stays a word.
MIN_PREFIX_LENGTH = 2
# Letters and digits of any script; "_" is a word character to `\w` but not to us.
WORD = re.compile(r"[^\W_]+")

# PostgreSQL's `english` stop words. PostgreSQL drops them from documents and queries;
# SQLite's FTS5 keeps them, so without this "methadone in texas" would require "in".
_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into
    is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own s same she should so some such t than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with you your
    yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def query_words(text: str) -> list[str]:
    """The words to search for: at most 20, lower-cased, without duplicates or stop words.

    Stop words are kept only when the query has nothing else ("who"), so that it can still
    match something where the engine indexes them.
    """
    words: list[str] = []
    for match in WORD.finditer(text):
        words.append(match.group().lower()[:MAX_WORD_LENGTH])
        if len(words) == MAX_WORDS:
            break
    unique = list(dict.fromkeys(words))
    meaningful = [word for word in unique if word not in STOP_WORDS]
    return meaningful or unique


def is_prefix(word: str) -> bool:
    """Whether the last word is searched as a prefix ("metha" for "methadone")."""
    return len(word) >= MIN_PREFIX_LENGTH


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word quoted, the last one also as a prefix.

    Words hold only letters and digits, so quoting them leaves no syntax to interpret.
    """
    quoted = [f'"{word}"' for word in words]
    if is_prefix(words[-1]):
        quoted[-1] += "*"
    return " ".join(quoted)
