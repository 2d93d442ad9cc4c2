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
# A name is replaced by what the person is in the story ("de bewoner", "de wijkagent"), not by a placeholder;
# a name the system cannot place becomes "iemand", a genitive ("Jans moeder") becomes "diens".
SOMEONE = "iemand"
GENITIVE = "diens"
ROLE_WORDS = ("de bewoner", "de partner", "het kind", "een gezinslid", "de professional", "een deelnemer")
# Forms of address that go with the name they precede ("mevrouw Jansen" -> "de bewoner").
TITLES = ("mevrouw", "meneer", "mevr.", "mw.", "dhr.", "de heer", "mijnheer", "juffrouw", "meester")

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
                SOMEONE,
                GENITIVE,
                " ".join(ROLE_WORDS),
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
    return [term for term, _role, _surname in role_terms(members)]


def _squash(text: str) -> str:
    return re.sub(r"[\s'-]+", "", text)


def role_terms(people: list[dict]) -> list[tuple[str, str, bool]]:
    """(term, role word, is a surname part) for every way a person's name can be written, longest first.

    Each person is a dict with first_name, last_name and optionally `role_word` ("de bewoner"). The terms are the
    full name, first name, last name, every part that is not a particle, and the last name written together
    ("de Vries" -> "Devries", "el Amrani" -> "Elamrani"). A term two people share gets the neutral "iemand"."""
    found: dict[str, tuple[str, str, bool]] = {}

    def add(term: str, role: str, surname: bool):
        term = term.strip()
        if len(term) < 2 or term.lower() in PARTICLES:
            return
        key = term.lower()
        if key in found and found[key][1] != role:
            role = SOMEONE
        found[key] = (term, role, surname or (key in found and found[key][2]))

    for person in people:
        first, last = (person.get("first_name") or "").strip(), (person.get("last_name") or "").strip()
        role = (person.get("role_word") or "").strip() or SOMEONE
        add(f"{first} {last}", role, False)
        add(first, role, False)
        add(last, role, True)
        if last and _squash(last) != last:
            add(_squash(last), role, True)
        for part in re.split(r"[\s-]+", first):
            add(part, role, False)
        for part in re.split(r"[\s-]+", last):
            add(part, role, True)
    return sorted(found.values(), key=lambda t: (-len(t[0]), t[0].lower()))


_TITLE_ALT = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in TITLES)
_PARTICLE_ALT = "|".join(re.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))


def _name_pattern(term: str, surname: bool) -> re.Pattern:
    """A term with an optional form of address before it, for a surname also the particles before it
    ("mevrouw van der Berg", "El-Amrani"), and a genitive after it ("Jans", "Kees'")."""
    body = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", term))
    particles = rf"(?:(?:{_PARTICLE_ALT})[\s-]+)*" if surname else ""
    return re.compile(
        rf"(?<![\w'-])(?P<title>(?:{_TITLE_ALT})\s+)?{particles}{body}(?P<gen>'s|’s|s|')?(?![\w-])", re.IGNORECASE
    )


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(' \t("“')
    return not before or before[-1] in ".!?:\n"


def replace_names(text: str, terms: list[tuple[str, str, bool]]) -> tuple[str, int]:
    """Every known name in the text replaced by its role word; returns the text and how many were replaced."""
    count = 0
    for term, role, surname in terms:

        def repl(m, role=role):
            nonlocal count
            count += 1
            word = GENITIVE if m["gen"] else role
            return word.capitalize() if _sentence_start(m.string, m.start()) else word

        text = _name_pattern(term, surname).sub(repl, text)
    # A spelling variant ("Janssen" for "Jansen", "Amrany"): a capitalised word one edit away from a name of
    # five letters or more is that name too.
    long_terms = {term.lower(): role for term, role, _s in terms if len(term) >= 5 and " " not in term}

    def variant(m):
        nonlocal count
        word = m[0]
        role = next((r for t, r in long_terms.items() if _one_edit(word.lower(), t)), None)
        if role is None or word.lower() in VOCABULARY:
            return word
        count += 1
        return role.capitalize() if _sentence_start(m.string, m.start()) else role

    if long_terms:
        text = re.sub(r"(?<![\w'-])[A-ZÀ-Ý][\w'-]{3,}", variant, text)
    return text, count


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def scrub_text(
    text: str, *, names: list = (), places: list[str] = (), region: str = DEFAULT_REGION, on: date | None = None
) -> str:
    """Remove direct identifiers from free text and coarsen dates, ages and places. `names` are `role_terms`
    tuples (a plain string is a name without a known role: it becomes "iemand")."""
    text = text or ""
    terms = [t if isinstance(t, tuple) else (t, SOMEONE, True) for t in names]
    text, _count = replace_names(text, sorted(terms, key=lambda t: -len(t[0])))
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


def role_word(member: dict) -> str:
    """What a household member is called in the story instead of their name: "de moeder", "het kind"."""
    if member.get("role_word"):
        return member["role_word"]
    role = (member.get("role") or "").strip().lower()
    if not role:
        return SOMEONE
    return f"het {role}" if role in NEUTER_ROLES else f"de {role}"


NEUTER_ROLES = {"kind", "gezinslid", "familielid"}


def anonymise_story(data: dict) -> str:
    """An anonymised story draft from a household's plain data (see the module docstring). A part that would
    read "onbekend" (no stuck-since date, no question, nothing tried yet) is left out."""
    members = list(data.get("members") or [])
    on = data.get("reference_date") or date.today()
    region = (data.get("region") or "").strip() or DEFAULT_REGION
    names = role_terms([{**m, "role_word": role_word(m)} for m in members])
    places = [data.get("area") or "", data.get("place") or ""]
    # Free-text roles could hold a name too: scrub everything that came from the input.
    scrub = lambda text: scrub_text(text, names=names, places=places, region=region, on=on)  # noqa: E731
    member_lines = [scrub(_member_line(m, on)) for m in members] or [DEFAULT_MEMBER]
    size = len(members)
    parts = [
        f"Een huishouden van {size} {'persoon' if size == 1 else 'personen'} in {region}.",
        "; ".join(member_lines).capitalize() + ".",
    ]
    if data.get("stuck_since"):
        parts.append(f"Vastgelopen sinds {coarse_date(data['stuck_since'])}.")
    question, tried = scrub(data.get("question") or ""), scrub(data.get("tried") or "")
    if question:
        parts.append(f"Vraag: {question}")
    if tried:
        parts.append(f"Geprobeerd: {tried}")
    return " ".join(parts)
