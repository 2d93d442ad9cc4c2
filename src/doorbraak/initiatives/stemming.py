"""A small Dutch stemmer for the SQLite full-text index and for prefix queries on PostgreSQL.

It is deliberately simple: strip accents, strip common inflection suffixes, undouble long vowels and
final consonants, and normalise z->s and v->f at the end. So "wonen", "woning", "woont" and "woon"
all become "won"; "huizen" and "huis" become "huis"; "leven" and "leeft" become "lef".
The same function runs on the indexed text and on the query, so both sides meet.
"""

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")
# Longest first. Only stripped when at least 3 letters remain.
_SUFFIXES = ("heden", "ingen", "ende", "ing", "end", "en", "es", "te", "de", "t", "s", "e")
_VOWELS = "aeiou"
# Very common Dutch words: left out of queries, so "wonen en school" does not need "en" in the text.
STOPWORDS = frozenset(
    "de het een en of in op te van voor met aan bij als is zijn er die dat dit om over naar door uit tot "
    "ook maar niet wel nog wat wie hoe waar u je we ze zij hij ik".split()
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def stem(word: str) -> str:
    word = _fold(word)
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("heid") or word.endswith("heden"):
        word = word[: -4 if word.endswith("heid") else -5]
        return stem(word) if len(word) > 3 else word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] not in "elrn":  # huis, crisis, onderwijs keep their s
                continue
            word = word[: -len(suffix)]
            break
    # Undouble long vowels (woon -> won) and double final consonants (zitt -> zit).
    word = re.sub(r"([aeou])\1", r"\1", word)
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    if word.endswith("z"):
        word = word[:-1] + "s"
    elif word.endswith("v"):
        word = word[:-1] + "f"
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(_fold(text or ""))


def stem_text(text: str) -> str:
    """Stem every word of a text; the result goes into the SQLite FTS5 index."""
    return " ".join(stem(w) for w in words(text))


def query_stems(query: str, limit: int = 12) -> list[str]:
    """Distinct stems of a visitor's query, in order, at most `limit` (a long query stays cheap)."""
    seen: list[str] = []
    for w in words(query):
        if w in STOPWORDS:
            continue
        s = stem(w)
        if s and s not in seen:
            seen.append(s)
    return seen[:limit]


def prefix_variants(stem_: str) -> list[str]:
    """Prefixes to look for in text stemmed by another stemmer (PostgreSQL's Dutch one keeps "woont" and
    "woonproject"): the stem itself and, for a short last vowel, its long spelling ("won" -> "woon")."""
    variants = [stem_]
    longer = re.sub(r"([aeou])([^aeiou]+)$", r"\1\1\2", stem_)
    if longer != stem_ and not re.search(r"[aeiou]" + r"([aeou])" + r"[^aeiou]+$", stem_):
        variants.append(longer)
    return variants
