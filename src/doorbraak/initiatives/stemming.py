"""Dutch stemming for search: the Snowball Dutch stemmer, the same one PostgreSQL's `dutch` configuration uses.

* `stem()` is Snowball's (original, Porter-style) Dutch algorithm, `snowballstemmer.stemmer("dutch_porter")`.
  Since snowballstemmer 3.0 the name "dutch" is a *new* Dutch algorithm (wonen -> woon, school -> school);
  PostgreSQL 15's `dutch` text-search configuration is the original one, which snowballstemmer 3.x calls
  "dutch_porter" (wonen -> won, woning -> woning, school -> schol). `tests/initiatives/test_search.py` checks on
  PostgreSQL that both give the same lexemes, so the SQLite index (FTS5, filled with `stem_text()`) holds exactly
  the lexemes of PostgreSQL's tsvector.
* Snowball is conservative: "woning" and "woont" stay apart from "won" (wonen). A visitor who types one form
  should find the others, so a query word is looked up as a few *prefixes* (`prefix_variants()`): its stem, the
  stem without a verb or noun ending Snowball keeps (-ing, -t), and the long/short vowel and final s/z, f/v
  spellings ("woning" -> won*, woon*; "huizen" -> huiz*, huis*). Prefix matching is deliberately broad.
Visitor input never reaches the search syntax: stems are folded to [0-9a-z] only.
"""

import re
import unicodedata

import snowballstemmer

ALGORITHM = "dutch_porter"  # = PostgreSQL's `dutch` configuration (see above)
_STEMMER = snowballstemmer.stemmer(ALGORITHM)
_TOKEN = re.compile(r"[^\W_]+")
_ASCII = re.compile(r"[0-9a-z]+")
# Very common Dutch words: left out of queries, so "wonen en school" does not need "en" in the text.
STOPWORDS = frozenset(
    "de het een en of in op te van voor met aan bij als is zijn er die dat dit om over naar door uit tot "
    "ook maar niet wel nog wat wie hoe waar u je we ze zij hij ik".split()
)
_MIN_PREFIX = 3  # a shorter prefix would match nearly everything


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def stem(word: str) -> str:
    """The Snowball Dutch stem of one word, lower case, folded to [0-9a-z]."""
    return "".join(_ASCII.findall(_fold(_STEMMER.stemWord(word.lower()))))


def words(text: str) -> list[str]:
    """The words of a text, lower case (accents kept: Snowball handles them as PostgreSQL does)."""
    return _TOKEN.findall((text or "").lower())


def stem_text(text: str) -> str:
    """Stem every word of a text; the result goes into the SQLite FTS5 index."""
    return " ".join(s for s in (stem(w) for w in words(text)) if s)


def query_stems(query: str, limit: int = 12) -> list[str]:
    """Distinct stems of a visitor's query, in order, at most `limit` (a long query stays cheap)."""
    seen: list[str] = []
    for w in words(query):
        if _fold(w) in STOPWORDS:
            continue
        s = stem(w)
        if s and s not in seen:
            seen.append(s)
    return seen[:limit]


def _root(stem_: str) -> str:
    """The stem without an ending Snowball keeps: woning -> won(ing), woont -> woon(t)."""
    for ending in ("ing", "t"):
        if stem_.endswith(ending) and len(stem_) - len(ending) >= _MIN_PREFIX:
            return stem_[: -len(ending)]
    return stem_


def prefix_variants(stem_: str) -> list[str]:
    """Prefixes to look for (stems of the same word family): the stem, its root, and the root's other spellings
    (long vowel undoubled or doubled, final z/s and v/f swapped). Never shorter than three letters."""
    root = _root(stem_)
    spellings = [root]
    short = re.sub(r"([aeou])\1([^aeiou]+)$", r"\1\2", root)  # woon -> won
    long = re.sub(r"(^|[^aeiou])([aeou])([^aeiou]+)$", r"\1\2\2\3", root)  # won -> woon
    spellings += [short, long]
    swapped = {"z": "s", "s": "z", "v": "f", "f": "v"}
    spellings += [s[:-1] + swapped[s[-1]] for s in list(spellings) if s and s[-1] in swapped]
    candidates = [c for c in dict.fromkeys([stem_, *spellings]) if len(c) >= _MIN_PREFIX]
    # A prefix that starts with another prefix adds nothing ("woning" is covered by "won").
    variants = [c for c in candidates if not any(o != c and c.startswith(o) for o in candidates)]
    return variants or [stem_]
