"""Case.open_platform_since, the convening date of a case's oldest platform still at the table, stored on the case
by the platforms app (issue 15: the list's "drie weken voorbij" filter reads the case row). These tests keep it
true: through the services, a platform saved or deleted directly, a stale full save of the case, the migration that
filled it, and a random sequence of all of these checked against the platforms themselves after every step."""

import datetime
import importlib
import random

import pytest
from django.apps import apps
from django.db.models import Min

from doorbraak.cases.models import Case
from doorbraak.platforms import services
from doorbraak.platforms.models import Platform
from tests.cases.factories import CaseFactory, World, involve, login
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def stored(case):
    return Case.objects.with_scopes_disabled().values_list("open_platform_since", flat=True).get(pk=case.pk)


def expected(case):
    return (
        Platform.objects.with_scopes_disabled()
        .filter(case=case, status="convened")
        .aggregate(d=Min("convened_on"))["d"]
    )


def convene(w, case, days_ago):
    return services.convene(
        w.lead,
        case,
        convened_on=TODAY - days_ago * DAY,
        first_problem="Geen plek om te wonen.",
        client_present=True,
        experience_expert_present=False,
        invited=[],
    )


def break_through(w, platform):
    return services.record_breakthrough(
        w.lead, platform, breakthrough_on=TODAY, breakthrough="Een kamer bij de corporatie.", solution_kind="housing"
    )


def overdue_titles(client, user):
    login(client, user)
    html = client.get("/casussen/?platform=voorbij").content.decode()
    return html


def test_the_services_keep_the_oldest_platform_at_the_table_and_the_filter_follows(client):
    w = World()
    assert stored(w.case) is None
    older = convene(w, w.case, 30)
    assert stored(w.case) == TODAY - 30 * DAY
    assert w.case.title in overdue_titles(client, w.lead)
    newer = convene(w, w.case, 5)  # a second platform for the same case: the oldest still counts
    assert stored(w.case) == TODAY - 30 * DAY
    break_through(w, older)  # the old one broke through: the case has been at the table for 5 days
    assert stored(w.case) == TODAY - 5 * DAY
    assert w.case.title not in overdue_titles(client, w.lead)
    break_through(w, newer)
    assert stored(w.case) is None


def test_a_stale_full_save_of_the_case_does_not_put_the_old_date_back():
    w = World()
    stale = Case.objects.with_scopes_disabled().get(pk=w.case.pk)  # loaded before the platform
    make_platform(w.case, w.lead, convened_on=TODAY - 25 * DAY)
    stale.title = "Nieuwe titel"
    stale.save()
    assert stored(w.case) == TODAY - 25 * DAY
    assert Case.objects.with_scopes_disabled().get(pk=w.case.pk).title == "Nieuwe titel"


def test_a_platform_saved_or_deleted_directly_updates_the_case():
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 10 * DAY)
    platform.convened_on = TODAY - 40 * DAY
    platform.save()
    assert stored(w.case) == TODAY - 40 * DAY
    Platform.objects.with_scopes_disabled().filter(pk=platform.pk).delete()
    assert stored(w.case) is None
    other = make_platform(w.case, w.lead, convened_on=TODAY - 3 * DAY)
    other.delete()
    assert stored(w.case) is None


def test_deleting_a_case_with_a_platform_at_the_table_works():
    w = World()
    case = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    make_platform(case, w.lead, convened_on=TODAY - 3 * DAY)
    case.delete()
    assert not Platform.objects.with_scopes_disabled().filter(case_id=case.pk).exists()


def test_the_migration_fills_the_date_for_platforms_already_at_the_table():
    w = World()
    make_platform(w.case, w.lead, convened_on=TODAY - 30 * DAY)
    make_platform(w.case, w.lead, convened_on=TODAY - 50 * DAY).delete()
    make_platform(w.case, w.lead, convened_on=TODAY - 20 * DAY)
    broke = make_platform(w.case, w.lead, convened_on=TODAY - 60 * DAY)
    broke.breakthrough_on, broke.breakthrough = TODAY - 40 * DAY, "Kamer"
    broke.save()
    without = CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead)
    Case.objects.with_scopes_disabled().update(open_platform_since=None)  # as before the migration
    importlib.import_module("doorbraak.platforms.migrations.0008_fill_open_platform_since").fill(apps, None)
    assert stored(w.case) == TODAY - 30 * DAY
    assert stored(without) is None


def test_a_random_history_of_platforms_keeps_every_case_true(client):
    rng = random.Random(15)
    w = World()
    cases = [w.case] + [CaseFactory(municipality=w.municipality, team=w.team, created_by=w.lead) for _ in range(5)]
    for case in cases[1:]:
        involve(case, w.pro)
    for _step in range(60):
        case = rng.choice(cases)
        at_table = list(Platform.objects.with_scopes_disabled().filter(case=case, status="convened"))
        action = rng.choice(["convene", "convene", "break", "move", "delete", "save_case"])
        if action == "convene" or not at_table:
            convene(w, case, rng.choice([0, 5, 20, 21, 22, 40]))
        elif action == "break":
            break_through(w, rng.choice(at_table))
        elif action == "move":
            platform = rng.choice(at_table)
            platform.convened_on = TODAY - rng.randint(0, 60) * DAY
            platform.save()
        elif action == "delete":
            rng.choice(at_table).delete()
        else:
            Case.objects.with_scopes_disabled().get(pk=case.pk).save()
        for c in cases:
            assert stored(c) == expected(c), (action, c.pk)
    # and the lead's filtered list shows exactly the cases whose oldest platform at the table is past three weeks
    html = overdue_titles(client, w.lead)
    for c in cases:
        since = expected(c)
        shown = f">{c.title}</a>" in html
        assert shown == (since is not None and since < TODAY - 21 * DAY), c.pk
