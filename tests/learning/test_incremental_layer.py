"""The incremental refresh of the protected layer (issue 13): only the cells whose tally moved are rebuilt, from
the stored tallies, and after any mix of changes the layer equals a full rebuild cell for cell (perturbed count
and stats), so the same cell shows the same noise whatever refresh built it."""

import datetime
import random

import pytest
from django.utils import timezone

from doorbraak.cases.models import Case
from doorbraak.learning.insights import facts, protected
from doorbraak.learning.models import CellTally, FactRefresh, ProtectedCell, Theme, ThemeBlocker
from tests.learning.test_dashboard import make_case
from tests.learning.test_incremental_refresh import TODAY, base_world, random_change, snapshot

pytestmark = pytest.mark.django_db(transaction=False)


def cells_with_ids(municipality):
    return {
        (c.grain, c.period, c.dimension, c.value, c.measure): (c.pk, c.count, repr(c.stats))
        for c in ProtectedCell.objects.filter(municipality=municipality)
    }


def no_full_layer_build(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the incremental refresh rebuilt the whole layer")

    monkeypatch.setattr(protected, "build_cells", refuse)


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15, 16])
def test_the_incremental_layer_equals_a_full_rebuild_after_random_changes(seed, monkeypatch):
    rng = random.Random(seed)
    w = base_world(rng)
    facts.refresh_facts(w.municipality)
    build_cells = protected.build_cells
    for round_ in range(4):
        done = [random_change(w, rng) for _ in range(rng.randint(1, 8))]
        no_full_layer_build(monkeypatch)
        facts.refresh_facts(w.municipality)
        assert FactRefresh.objects.filter(municipality=w.municipality).first().kind == FactRefresh.Kind.INCREMENTAL
        incremental = snapshot(w.municipality)["cells"]
        monkeypatch.setattr(protected, "build_cells", build_cells)
        facts.refresh_facts(w.municipality, full=True)
        full = snapshot(w.municipality)["cells"]
        assert incremental == full, f"cells differ after round {round_}: {done}"
        # Every released cell has its tally, and no tally is left without a cell.
        ids = set(ProtectedCell.objects.filter(municipality=w.municipality).values_list("pk", flat=True))
        assert set(CellTally.objects.filter(cell__municipality=w.municipality).values_list("cell_id", flat=True)) == ids


def test_only_the_cells_of_the_changed_case_are_rebuilt_and_the_rest_keep_their_rows(monkeypatch):
    w = base_world(random.Random(5))
    old = make_case(w, opened=TODAY.replace(day=1) - datetime.timedelta(days=400), days=5)
    facts.refresh_facts(w.municipality)
    before = cells_with_ids(w.municipality)
    no_full_layer_build(monkeypatch)
    Case.objects.filter(pk=old.pk).update(status=Case.Status.OPEN)  # "closed" loses one case in its periods
    facts.refresh_facts(w.municipality)
    after = cells_with_ids(w.municipality)
    rebuilt = {key for key in after if key not in before or after[key][0] != before[key][0]}
    gone = set(before) - set(after)
    assert rebuilt | gone  # its "closed" cells moved
    month = old.opened_at.date().replace(day=1)
    periods = {
        (p.grain, p.start) for p in protected.protection.cells_of_month(month)
    }  # its month, quarter, year, all time
    assert {(grain, start) for grain, start, *_ in rebuilt | gone} <= periods
    assert {measure for *_, measure in rebuilt | gone} == {"closed"}
    untouched = set(before) - rebuilt - gone
    assert len(untouched) > 10 * len(rebuilt | gone)
    assert all(after[key] == before[key] for key in untouched)


def test_days_passing_move_cases_into_the_judged_cells_as_a_full_rebuild_would(monkeypatch):
    w = base_world(random.Random(7))
    for days_ago in (19, 20, 21, 22):
        make_case(w, opened=TODAY - datetime.timedelta(days=days_ago + 2), days=None, client=True)
    facts.refresh_facts(w.municipality)
    later = TODAY + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    build_cells = protected.build_cells
    no_full_layer_build(monkeypatch)
    facts.refresh_facts(w.municipality)
    incremental = snapshot(w.municipality)["cells"]
    monkeypatch.setattr(protected, "build_cells", build_cells)
    facts.refresh_facts(w.municipality, full=True)
    assert snapshot(w.municipality)["cells"] == incremental


def test_a_theme_change_or_a_layer_out_of_step_rebuilds_the_layer_whole():
    rng = random.Random(9)
    w = base_world(rng)
    facts.refresh_facts(w.municipality)
    theme = Theme.objects.create(municipality=w.municipality, name="Regels")
    ThemeBlocker.objects.create(municipality=w.municipality, theme=theme, code="pinching_rules")
    facts.refresh_facts(w.municipality)  # no case changed, but the theme cells must appear
    assert ProtectedCell.objects.filter(municipality=w.municipality, measure=f"t:{theme.pk}").exists()
    with_theme = snapshot(w.municipality)["cells"]
    facts.refresh_facts(w.municipality, full=True)
    assert snapshot(w.municipality)["cells"] == with_theme
    # A tally that no longer matches the facts (say, after a manual edit): taken below zero by the next change,
    # so the refresh rebuilds the layer whole instead of publishing from it.
    closed = ProtectedCell.objects.get(municipality=w.municipality, grain="a", dimension="", measure="closed")
    CellTally.objects.filter(cell=closed).update(n=1)
    Case.objects.filter(municipality=w.municipality).update(status=Case.Status.OPEN)
    facts.refresh_facts(w.municipality)
    assert not ProtectedCell.objects.filter(municipality=w.municipality, measure="closed").exists()
    repaired = snapshot(w.municipality)["cells"]
    facts.refresh_facts(w.municipality, full=True)
    assert snapshot(w.municipality)["cells"] == repaired
