"""The protected release layer (issue 13): the published perturbation table, the grid, record keys that never
change, and the refresh that builds the cells."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.learning.insights import analytics, facts, protected, protection
from doorbraak.learning.insights import report as reports
from doorbraak.learning.models import CaseFact, ProtectedCell, RecordKey
from tests.cases.factories import HouseholdFactory, login
from tests.factories import TeamFactory
from tests.learning.test_dashboard import bare_world, make_case

KEYS = range(protection.KEY_RANGE)


def test_the_published_table_has_mean_zero_variance_and_maximum_noise_as_documented():
    assert sorted(set(protection.GENERAL_ROW)) == [-3, -2, -1, 0, 1, 2, 3]
    assert sum(protection.GENERAL_ROW) == 0
    assert protection.VARIANCE == 2.25 and protection.MAX_NOISE == 3
    for n in range(1, 60):
        row = protection.row_for(n)
        assert sum(row) == 0, n  # mean 0 for every row
        assert max(abs(v) for v in row) == protection.max_noise_for(n) or protection.max_noise_for(n) == 0


def test_small_counts_stay_small_and_counts_of_ten_or_more_stay_ten_or_more():
    for n in range(1, 40):
        published = {protection.perturb(n, key) for key in KEYS}
        if n < 10:
            assert published <= set(range(1, 10)), n
        else:
            assert min(published) >= 10 and max(published) <= n + 3 and min(published) >= n - 3, n
    assert protection.perturb(0, 123) == 0
    assert protection.shown(protection.perturb(9, 77)) == "<10"


def test_the_same_records_give_the_same_value_and_other_records_noise():
    assert protection.perturb(40, 1000) == protection.perturb(40, 1000)
    values = {protection.perturb(40, key) for key in KEYS}
    assert values == set(range(37, 44))  # every value within ±3 occurs for some cell key


@pytest.mark.parametrize(
    ("code", "grain", "start"),
    [
        ("2025", "y", datetime.date(2025, 1, 1)),
        ("2025-K3", "q", datetime.date(2025, 7, 1)),
        ("2025-k1", "q", datetime.date(2025, 1, 1)),
        ("2025-07", "m", datetime.date(2025, 7, 1)),
    ],
)
def test_grid_codes(code, grain, start):
    cell = protection.parse_code(code)
    assert (cell.grain, cell.start) == (grain, start)
    assert protection.parse_code(cell.code) == cell


@pytest.mark.parametrize("code", ["", "2025-K5", "2025-13", "1999", "2025-06-2025-07", "alles", "x" * 500, "2025-K"])
def test_anything_else_is_not_a_grid_period(code):
    assert protection.parse_code(code) is None


def test_only_months_quarters_and_years_are_grid_cells():
    d = datetime.date
    assert protection.grid_cell(d(2025, 7, 1), d(2025, 7, 1)).grain == "m"
    assert protection.grid_cell(d(2025, 7, 1), d(2025, 9, 1)).grain == "q"
    assert protection.grid_cell(d(2025, 1, 1), d(2025, 12, 1)).grain == "y"
    assert protection.grid_cell(d(2025, 6, 1), d(2025, 7, 1)) is None  # the June–July
    assert protection.grid_cell(d(2025, 8, 1), d(2025, 10, 1)) is None  # not a calendar quarter


@pytest.mark.django_db
def test_record_keys_are_permanent_and_the_refresh_builds_the_cells():
    w = bare_world()
    for _ in range(12):
        make_case(w, days=5, blockers=["no_places"])
    facts.refresh_facts(w.municipality)
    keys = dict(RecordKey.objects.filter(municipality=w.municipality).values_list("pseudonym", "key"))
    assert len(keys) == 12
    assert dict(CaseFact.objects.filter(municipality=w.municipality).values_list("pseudonym", "record_key")) == keys
    before = sorted(ProtectedCell.objects.filter(municipality=w.municipality).values_list("measure", "count", "grain"))
    facts.refresh_facts(w.municipality, full=True)  # a full rebuild draws no new keys
    assert dict(RecordKey.objects.filter(municipality=w.municipality).values_list("pseudonym", "key")) == keys
    after = sorted(ProtectedCell.objects.filter(municipality=w.municipality).values_list("measure", "count", "grain"))
    assert before == after
    whole = protected.read(w.municipality, protection.ALL_TIME)
    assert abs(whole["cases"].count - 12) <= 3 and whole["b:no_places"].count == whole["cases"].count  # same cases


@pytest.mark.django_db
def test_team_and_area_breakdowns_are_protected_and_rare_values_are_not_offered(client):
    w = bare_world()
    small = TeamFactory(municipality=w.municipality, name="Klein team")
    cases = [make_case(w, days=5) for _ in range(25)]
    for case in cases[:4]:
        case.team = small
        case.save()
    for i, case in enumerate(cases):  # 16 in Noord, 9 in Zuid (not offered)
        case.household = HouseholdFactory(municipality=w.municipality, area="Noord" if 4 <= i < 20 else "Zuid")
        case.save()
    facts.refresh_facts(w.municipality)
    options = {code for _label, _param, values in analytics.breakdown_options(w.municipality) for code, _t in values}
    assert f"team:{w.team.pk}" in options and "gebied:Noord" in options
    assert f"team:{small.pk}" not in options and "gebied:Zuid" not in options  # 4 and 9 cases: not offered
    period = analytics.default_period(datetime.date.today() - datetime.timedelta(days=40))
    north = analytics.dashboard(w.municipality, period, breakdown=protected.Breakdown("area", "Noord"))
    assert abs(north["summary"]["cases"] - 16) <= 3
    login(client, w.policy)
    html = client.get(reverse("learning:home"), {"periode": period.code, "uitsplitsing": f"team:{small.pk}"}).content
    assert "Deze uitsplitsing bestaat niet of heeft te weinig casussen" in html.decode()
    html = client.get(reverse("learning:home"), {"periode": period.code, "uitsplitsing": "gebied:Noord"}).content
    assert (
        "Uitsplitsing: Gebied: Noord." in html.decode() and "Afgeronde en licht verstoorde aantallen" in html.decode()
    )
    # The open data of the same cell has the same value; the council report has a row per offered team.
    rows = reports.open_data_rows(w.municipality, "blokkades", period, protected.Breakdown("area", "Noord"))
    assert all(isinstance(r[2], int | str) for r in rows)
    teams = [row["team"] for row in analytics.team_table(w.municipality, period)]
    assert teams == [w.team.name]
    csv = client.get(reverse("open_data:csv", args=[w.municipality.code, "maanden"]), {"periode": period.code})
    assert csv.status_code == 200
    table = client.get(reverse("open_data:csv", args=[w.municipality.code, "verstoringstabel"])).content.decode()
    assert table.splitlines()[0] == "echt_aantal,celsleutel,verschuiving" and len(table.splitlines()) == 1 + 13 * 256
