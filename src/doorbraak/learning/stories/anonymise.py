"""Anonymised story drafts for learning (AVG-09). Pure functions on plain data, no Django, no database.

Input is a plain dict, for example::

    {
        "members": [{"first_name": "Fatima", "last_name": "el Amrani", "birth_date": date(1988, 4, 2),
                     "bsn": "111222333", "role": "moeder"}],
        "area": "Graafsewijk", "place": "'s-Hertogenbosch", "region": "Noordoost-Brabant",
        "question": "...", "tried": "...", "stuck_since": date(2025, 3, 14), "reference_date": date(2026, 1, 5),
    }

The draft keeps the story (what was asked, what was tried) but drops or coarsens everything that points at a
person: names (also inside the free text, case-insensitive), BSN-like numbers, e-mail addresses, phone numbers,
postcodes, exact dates (-> season and year, or month and year inside text), ages (-> ten-year bands) and places
(-> the region). A human still approves every draft (Story.status) before it is published.
"""

from __future__ import annotations

import re
from datetime import date

NAME = "[naam]"
NUMBER = "[nummer]"
EMAIL = "[e-mail]"
PHONE = "[telefoon]"
POSTCODE = "[postcode]"
DEFAULT_REGION = "de regio"
DEFAULT_MEMBER = "een gezinslid"

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
SEASONS = {
    12: "winter",
    1: "winter",
    2: "winter",
    3: "voorjaar",
    4: "voorjaar",
    5: "voorjaar",
    6: "zomer",
    7: "zomer",
    8: "zomer",
    9: "najaar",
    10: "najaar",
    11: "najaar",
}
BANDS = [
    "jonger dan tien",
    "in de tienerjaren",
    "in de twintig",
    "in de dertig",
    "in de veertig",
    "in de vijftig",
    "in de zestig",
    "in de zeventig",
    "in de tachtig",
    "negentig of ouder",
]
# Dutch surname particles: never removed on their own (they are ordinary words).
PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ter",
    "ten",
    "te",
    "op",
    "in",
    "el",
    "al",
    "la",
    "le",
    "du",
    "da",
    "di",
    "von",
    "'t",
    "'s",
    "d'",
    "vd",
}

TEMPLATE = (
    "Een huishouden van {size} in {region}. {members}. Vastgelopen sinds {stuck}. Vraag: {question} Geprobeerd: {tried}"
)
# Every word this module can emit by itself; callers (and tests) use it to tell our words from input words.
VOCABULARY = frozenset(
    w.lower()
    for w in re.findall(
        r"\w+",
        " ".join(
            [
                TEMPLATE,
                NAME,
                NUMBER,
                EMAIL,
                PHONE,
                POSTCODE,
                DEFAULT_REGION,
                DEFAULT_MEMBER,
                "persoon personen",
                "onbekend",
                " ".join(MONTHS),
                " ".join(SEASONS.values()),
                " ".join(BANDS),
            ]
        ),
    )
)

_MONTH_ALT = "|".join(MONTHS)
_DATE_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), lambda m: _month_year(int(m[2]), int(m[1]))),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"), lambda m: _month_year(int(m[2]), int(m[3]))),
    (
        re.compile(rf"(?<!\d)\d{{1,2}}\s+({_MONTH_ALT})(\s+\d{{4}})?(?!\w)", re.IGNORECASE),
        lambda m: m[1].lower() + (m[2] or ""),
    ),
]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)(?:[\s-]?\d){9}(?!\d)")
_BSN = re.compile(r"(?<!\d)(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3})(?!\d)")
_POSTCODE = re.compile(r"(?<![\w])[1-9]\d{3}\s?[A-Z]{2}(?![\w])")
_AGE = re.compile(r"(?<!\d)(\d{1,3})(?:\s*jaar oud|-?jarige?)(?!\w)", re.IGNORECASE)


def _month_year(month: int, year: int) -> str:
    if 1 <= month <= 12:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def coarse_date(value: date | None) -> str:
    """An exact date -> season and year ("voorjaar 2025"). December counts as the winter of the next year."""
    if value is None:
        return "onbekend"
    year = value.year + 1 if value.month == 12 else value.year
    return f"{SEASONS[value.month]} {year}"


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_band(age: int) -> str:
    """Ten-year band in plain Dutch: 34 -> "in de dertig"."""
    if age < 0:
        raise ValueError("age cannot be negative")
    return BANDS[min(age // 10, len(BANDS) - 1)]


def _word(term: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def name_terms(members: list[dict]) -> list[str]:
    """Full names and their separate parts (not the particles), longest first so full names go first."""
    terms: set[str] = set()
    for member in members:
        first, last = (member.get("first_name") or "").strip(), (member.get("last_name") or "").strip()
        for full in (f"{first} {last}".strip(), first, last):
            if full:
                terms.add(full)
        for part in re.split(r"[\s-]+", f"{first} {last}"):
            if len(part) >= 2 and part.lower() not in PARTICLES:
                terms.add(part)
    return sorted(terms, key=len, reverse=True)


def scrub_text(
    text: str, *, names: list[str] = (), places: list[str] = (), region: str = DEFAULT_REGION, on: date | None = None
) -> str:
    """Remove direct identifiers from free text and coarsen dates, ages and places."""
    text = text or ""
    for term in sorted(names, key=len, reverse=True):
        text = _word(term).sub(NAME, text)
    for term in sorted((p for p in places if p and p.strip()), key=len, reverse=True):
        text = _word(term.strip()).sub(region, text)
    text = _EMAIL.sub(EMAIL, text)
    for pattern, repl in _DATE_PATTERNS:
        text = pattern.sub(repl, text)
    text = _PHONE.sub(PHONE, text)
    text = _BSN.sub(NUMBER, text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _AGE.sub(lambda m: age_band(int(m[1])), text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _member_line(member: dict, on: date) -> str:
    role = (member.get("role") or "").strip() or DEFAULT_MEMBER
    birth = member.get("birth_date")
    if birth is None:
        return role
    return f"{role} {age_band(max(age_on(birth, on), 0))}"


def anonymise_story(data: dict) -> str:
    """An anonymised story draft from a household's plain data (see the module docstring)."""
    members = list(data.get("members") or [])
    on = data.get("reference_date") or date.today()
    region = (data.get("region") or "").strip() or DEFAULT_REGION
    names = name_terms(members)
    places = [data.get("area") or "", data.get("place") or ""]
    # Free-text roles could hold a name too: scrub everything that came from the input.
    scrub = lambda text: scrub_text(text, names=names, places=places, region=region, on=on)  # noqa: E731
    member_lines = [scrub(_member_line(m, on)) for m in members] or [DEFAULT_MEMBER]
    size = len(members)
    return TEMPLATE.format(
        size=f"{size} {'persoon' if size == 1 else 'personen'}",
        region=region,
        members="; ".join(member_lines).capitalize() if member_lines else "",
        stuck=coarse_date(data.get("stuck_since")),
        question=scrub(data.get("question") or ""),
        tried=scrub(data.get("tried") or ""),
    )
