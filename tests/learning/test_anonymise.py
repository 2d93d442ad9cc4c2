"""Anonymised story drafts: no name, BSN, exact date, contact detail or neighbourhood survives."""

import re
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from doorbraak.learning.stories.anonymise import (
    MONTHS,
    VOCABULARY,
    age_band,
    anonymise_story,
    coarse_date,
    scrub_text,
)

REGION = "Noordoost-Brabant"
FILLER = [
    "wil",
    "graag",
    "een",
    "woning",
    "schulden",
    "school",
    "hulp",
    "sinds",
    "en",
    "met",
    "bij",
    "zoon",
    "moeder",
    "vader",
    "huur",
    "toeslag",
    "op",
    "voor",
]
EXCLUDED = VOCABULARY | {w.lower() for w in FILLER} | {w.lower() for w in re.findall(r"\w+", REGION)}


def word_in(term, text):
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def date_forms(d):
    return {
        d.isoformat(),
        f"{d.day}-{d.month}-{d.year}",
        f"{d.day:02d}-{d.month:02d}-{d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    }


words = st.from_regex(r"[A-Z][a-zéë]{3,9}", fullmatch=True).filter(lambda w: w.lower() not in EXCLUDED)
dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 1, 1))
member = st.fixed_dictionaries(
    {
        "first_name": words,
        "last_name": st.one_of(words, words.map(lambda w: f"van der {w}")),
        "birth_date": dates,
        "bsn": st.from_regex(r"[1-9]\d{8}", fullmatch=True),
        "role": st.sampled_from(["moeder", "vader", "zoon", "dochter", ""]),
    }
)
household = st.fixed_dictionaries(
    {
        "members": st.lists(member, min_size=1, max_size=4),
        "area": words,
        "place": words,
        "stuck_since": dates,
    }
)


def _free_text(draw, hh):
    pieces = []
    for m in hh["members"]:
        d = m["birth_date"]
        pieces += [
            draw(st.sampled_from([m["first_name"], m["first_name"].upper(), m["first_name"].lower()])),
            m["last_name"],
            draw(st.sampled_from(FILLER)),
            m["bsn"],
            draw(st.sampled_from(sorted(date_forms(d)))),
            draw(st.sampled_from(FILLER)),
        ]
    pieces += [hh["area"].lower(), hh["place"], draw(st.sampled_from(sorted(date_forms(hh["stuck_since"]))))]
    order = draw(st.permutations(pieces))
    return " ".join(order) + "."


@settings(max_examples=60, deadline=None)
@given(st.data(), household)
def test_no_identifier_survives(data, hh):
    names = {m["first_name"] for m in hh["members"]} | {m["last_name"].split()[-1] for m in hh["members"]}
    assume(not ({hh["area"].lower(), hh["place"].lower()} & {n.lower() for n in names}))
    hh = {
        **hh,
        "region": REGION,
        "reference_date": date(2026, 1, 5),
        "question": _free_text(data.draw, hh),
        "tried": _free_text(data.draw, hh),
    }
    out = anonymise_story(hh)
    for m in hh["members"]:
        assert not word_in(m["first_name"], out), out
        assert not word_in(m["last_name"].split()[-1], out), out
        assert m["bsn"] not in out
        for form in date_forms(m["birth_date"]):
            assert not word_in(form, out), (form, out)
    for form in date_forms(hh["stuck_since"]):
        assert not word_in(form, out)
    assert not word_in(hh["area"], out)
    assert not word_in(hh["place"], out)
    assert REGION in out


def test_story_keeps_the_story_but_not_the_person():
    hh = {
        "members": [
            {"first_name": "Fatima", "last_name": "el Amrani", "birth_date": date(1988, 4, 2), "role": "moeder"},
            {"first_name": "Youssef", "last_name": "el Amrani", "birth_date": date(2011, 9, 30), "role": "zoon"},
        ],
        "area": "Graafsewijk",
        "place": "'s-Hertogenbosch",
        "region": REGION,
        "stuck_since": date(2025, 4, 14),
        "reference_date": date(2026, 1, 5),
        "question": (
            "FATIMA wil dat Youssef weer naar school gaat. Bel 06-12345678 of mail fatima@example.nl. "
            "Adres 5211 AB in de Graafsewijk, BSN 123456782. De 14-jarige is sinds 3 maart 2025 thuis."
        ),
        "tried": "Gesprek op 12-02-2025 met school in 's-Hertogenbosch; vader (52 jaar oud) belt 010 123 4567.",
    }
    out = anonymise_story(hh)
    for leaked in [
        "Fatima",
        "FATIMA",
        "Youssef",
        "Amrani",
        "06-12345678",
        "fatima@example.nl",
        "5211 AB",
        "Graafsewijk",
        "123456782",
        "14-jarige",
        "3 maart",
        "12-02-2025",
        "'s-Hertogenbosch",
        "52 jaar",
        "010 123 4567",
        "1988",
        "2011",
    ]:
        assert leaked not in out, leaked
    assert "Moeder in de dertig; zoon in de tienerjaren" in out
    assert "voorjaar 2025" in out
    assert "maart 2025" in out and "februari 2025" in out
    assert "weer naar school" in out
    assert "in de vijftig" in out


def test_coarsening_helpers():
    assert coarse_date(date(2025, 4, 1)) == "voorjaar 2025"
    assert coarse_date(date(2024, 12, 20)) == "winter 2025"
    assert age_band(34) == "in de dertig"
    assert age_band(7) == "jonger dan tien"
    assert age_band(97) == "negentig of ouder"
    assert scrub_text("Bel +31 6 12345678, BSN 1234.56.782") == "Bel [telefoon], BSN [nummer]"
    assert scrub_text("in 2025 en later") == "in 2025 en later"  # a year is not a postcode
