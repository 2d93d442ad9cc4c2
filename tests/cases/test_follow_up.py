"""Nazorg on the case: evaluation schedule, due/overdue markers, the list of evaluations that are due, outcome
measurements over time, need-to-know, closed cases, double submits and the demo."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.cases import selectors, services
from doorbraak.cases.models import Case, DomainScore, FollowUpMoment, OutcomeMeasurement, TimelineEntry
from doorbraak.core import dates
from doorbraak.core.errors import RuleError
from tests.cases.factories import CaseFactory, World, involve, login, score
from tests.helpers.queries import assert_constant_queries
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def moment(case, due_on, done_on=None, by=None):
    return FollowUpMoment.objects.create(
        municipality=case.municipality, case=case, due_on=due_on, done_on=done_on, done_by=by
    )


# -- the schedule ---------------------------------------------------------------------------------------------


def test_default_schedule_is_every_four_weeks_for_three_months():
    start = datetime.date(2025, 3, 3)
    assert services.schedule_dates(start, 4, 3) == [
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 28),
        datetime.date(2025, 5, 26),
    ]
    assert len(services.schedule_dates(start, 2, 6)) == 13  # every two weeks for half a year
    assert dates.add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert dates.add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


def test_schedule_starts_at_the_latest_breakthrough_else_today():
    w = World()
    assert services.default_follow_up_start(w.case) == TODAY
    first = make_platform(w.case, w.lead, convened_on=TODAY - 60 * DAY)
    first.breakthrough_on = TODAY - 50 * DAY
    first.save()
    second = make_platform(w.case, w.lead, convened_on=TODAY - 30 * DAY)
    second.breakthrough_on = TODAY - 20 * DAY
    second.save()
    make_platform(w.case, w.lead, convened_on=TODAY - 5 * DAY)  # no breakthrough yet
    assert services.default_follow_up_start(w.case) == TODAY - 20 * DAY


def test_professional_plans_the_default_schedule_and_the_case_goes_into_nazorg(client):
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 40 * DAY)
    platform.breakthrough_on = TODAY - 30 * DAY
    platform.save()
    Case.objects.filter(pk=w.case.pk).update(status=Case.Status.BREAKTHROUGH)
    login(client, w.pro)
    form_page = client.get(reverse("cases:follow_up_plan", args=[w.case.pk])).content.decode()
    assert f'value="{(TODAY - 30 * DAY).isoformat()}"' in form_page  # start defaults to the breakthrough
    response = client.post(
        reverse("cases:follow_up_plan", args=[w.case.pk]),
        {
            "start": (TODAY - 30 * DAY).isoformat(),
            "interval_weeks": "4",
            "months": "3",
            "form_token": "5f0c1f63-49a4-4e0e-9d0c-8e7b1b2e0a01",
        },
    )
    assert response.status_code == 302
    dues = list(FollowUpMoment.objects.filter(case=w.case).values_list("due_on", flat=True))
    assert dues == [TODAY - 2 * DAY, TODAY + 26 * DAY, TODAY + 54 * DAY]
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.FOLLOW_UP
    assert TimelineEntry.objects.filter(case=w.case, kind="follow_up.planned").count() == 1
    # Same again: nothing planned twice.
    again = client.post(
        reverse("cases:follow_up_plan", args=[w.case.pk]),
        {"start": (TODAY - 30 * DAY).isoformat(), "interval_weeks": "4", "months": "3"},
    )
    assert again.status_code == 400 and "staan al gepland" in again.content.decode()
    assert FollowUpMoment.objects.filter(case=w.case).count() == 3


@pytest.mark.parametrize(
    "weeks,months,message",
    [
        ("0", "3", "Kies een aantal weken van 1 tot en met 26."),
        ("27", "3", "Kies een aantal weken van 1 tot en met 26."),
        ("vier", "3", "Kies een aantal weken van 1 tot en met 26."),
        ("4", "25", "Kies een aantal maanden van 1 tot en met 24."),
        ("4", "0", "Kies een aantal maanden van 1 tot en met 24."),
        ("26", "1", "Er past geen evaluatie in deze periode"),
    ],
)
def test_bad_schedule_input_gets_a_dutch_message_and_keeps_the_input(client, weeks, months, message):
    w = World()
    login(client, w.pro)
    response = client.post(
        reverse("cases:follow_up_plan", args=[w.case.pk]),
        {"start": "2025-05-01", "interval_weeks": weeks, "months": months},
    )
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert 'value="2025-05-01"' in body and f'value="{months}"' in body
    assert not FollowUpMoment.objects.filter(case=w.case).exists()


def test_service_refuses_out_of_range_schedule_too():
    w = World()
    with pytest.raises(RuleError):
        services.plan_follow_up(w.pro, w.case, interval_weeks=27)
    with pytest.raises(RuleError):
        services.plan_follow_up(w.pro, w.case, months=25)


def test_closed_case_gets_no_new_moments():
    w = World()
    services.close_case(w.lead, w.case)
    for call in (
        lambda: services.plan_follow_up(w.lead, w.case),
        lambda: services.add_follow_up(w.lead, w.case, due_on=TODAY + 7 * DAY),
    ):
        with pytest.raises(RuleError, match="afgesloten"):
            call()
    assert not FollowUpMoment.objects.filter(case=w.case).exists()


def test_closed_case_page_says_no_new_moments_and_the_form_refuses(client):
    w = World()
    services.close_case(w.lead, w.case)
    login(client, w.lead)
    page = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert "er kunnen geen evaluatiemomenten meer bij" in page and "Evaluaties plannen" not in page
    response = client.post(reverse("cases:follow_up_add", args=[w.case.pk]), {"due_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Deze casus is afgesloten; er kunnen geen evaluatiemomenten meer bij." in response.content.decode()


def test_only_professionals_who_see_the_case_reach_the_follow_up_pages(client):
    w = World()
    m = moment(w.case, TODAY)
    urls = [
        reverse("cases:follow_up_plan", args=[w.case.pk]),
        reverse("cases:follow_up_add", args=[w.case.pk]),
        reverse("cases:follow_up_hold", args=[w.case.pk, m.pk]),
        reverse("cases:measurement_add", args=[w.case.pk]),
    ]
    for user in (w.uninvolved, w.stranger, w.other_lead):
        client.cookies.clear()
        login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert (
                client.post(
                    url,
                    {
                        "due_on": TODAY.isoformat(),
                        "done_on": TODAY.isoformat(),
                        "measured_on": TODAY.isoformat(),
                        "participation_step": "3",
                    },
                ).status_code
                == 404
            )
    assert FollowUpMoment.objects.filter(case=w.case).count() == 1 and m.done_on is None
    assert not OutcomeMeasurement.objects.exists()
    with pytest.raises(Exception):
        services.add_follow_up(w.uninvolved, w.case, due_on=TODAY)
    # A moment of another case cannot be reached through this case.
    other = CaseFactory(municipality=w.municipality, team=w.team)
    involve(other, w.pro)
    client.cookies.clear()
    login(client, w.pro)
    assert client.get(reverse("cases:follow_up_hold", args=[other.pk, m.pk])).status_code == 404


# -- due and overdue ------------------------------------------------------------------------------------------


def test_case_page_marks_overdue_and_upcoming_moments_in_words(client):
    w = World()
    moment(w.case, TODAY - 3 * DAY)
    moment(w.case, TODAY + 2 * DAY)
    moment(w.case, TODAY + 40 * DAY)
    moment(w.case, TODAY - 30 * DAY, done_on=TODAY - 29 * DAY, by=w.pro)
    login(client, w.pro)
    html = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    section = html.split('id="nazorg"')[1].split('id="uitkomsten"')[0]
    assert section.count("te laat") == 1 and section.count("binnenkort") == 1
    assert section.count(">gepland<") == 1 and "gehouden op" in section


def test_follow_ups_for_lists_only_open_due_moments_of_visible_open_cases():
    w = World()
    overdue = moment(w.case, TODAY - 3 * DAY)
    soon = moment(w.case, TODAY + 7 * DAY)
    moment(w.case, TODAY + 8 * DAY)  # not yet
    moment(w.case, TODAY - 9 * DAY, done_on=TODAY - 9 * DAY, by=w.pro)  # held
    hidden = CaseFactory(municipality=w.municipality, team=w.team)  # pro not involved
    moment(hidden, TODAY - 1 * DAY)
    closed = CaseFactory(municipality=w.municipality, team=w.team)
    involve(closed, w.pro)
    moment(closed, TODAY - 1 * DAY)
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    assert list(selectors.follow_ups_for(w.pro)) == [overdue, soon]
    assert list(selectors.follow_ups_for(w.uninvolved)) == []
    assert len(selectors.follow_ups_for(w.lead)) == 3  # the lead sees the team's (open) cases


def test_case_list_shows_due_evaluations_in_words_with_constant_queries(client):
    w = World()
    login(client, w.pro)
    created = []

    def make(n):
        while len(created) < n:
            case = CaseFactory(municipality=w.municipality, team=w.team)
            involve(case, w.pro)
            moment(case, TODAY - DAY if len(created) % 2 else TODAY + DAY)
            created.append(case)

    client.get(reverse("cases:list"))  # warm up the session (first request loads and saves it)
    assert_constant_queries(make, lambda: client.get(reverse("cases:list")), sizes=(2, 14))
    html = client.get(reverse("cases:list")).content.decode()
    listing = html.split('id="follow-up-list"')[1].split("</ul>")[0]
    assert listing.count("<li") == 10  # ten per page
    assert "te laat" in listing and "binnenkort" in listing
    assert "Volgende evaluaties" in html
    page2 = client.get(reverse("cases:list"), {"evaluaties": "2"}).content.decode()
    assert page2.split('id="follow-up-list"')[1].split("</ul>")[0].count("<li") == 4


def test_case_list_without_due_evaluations_has_no_list(client):
    w = World()
    moment(w.case, TODAY + 30 * DAY)
    login(client, w.pro)
    html = client.get(reverse("cases:list")).content.decode()
    assert "Evaluaties die eraan komen of te laat zijn" not in html


# -- holding a moment ---------------------------------------------------------------------------------------


def test_hold_a_moment_with_note_and_not_in_the_future(client):
    w = World()
    m = moment(w.case, TODAY - 3 * DAY)
    login(client, w.pro)
    url = reverse("cases:follow_up_hold", args=[w.case.pk, m.pk])
    bad = client.post(url, {"done_on": (TODAY + DAY).isoformat(), "note": "Gaat goed"})
    assert bad.status_code == 400 and "De datum ligt in de toekomst" in bad.content.decode()
    assert "Gaat goed" in bad.content.decode()
    client.post(url, {"done_on": TODAY.isoformat(), "note": "Gaat goed, geen nieuwe boetes."})
    m.refresh_from_db()
    assert (m.done_on, m.done_by, m.note) == (TODAY, w.pro, "Gaat goed, geen nieuwe boetes.")
    assert TimelineEntry.objects.filter(case=w.case, kind="follow_up.held").count() == 1
    again = client.post(url, {"done_on": TODAY.isoformat(), "note": "Nog eens"})
    assert again.status_code == 400 and "al gehouden" in again.content.decode()
    m.refresh_from_db()
    assert m.note == "Gaat goed, geen nieuwe boetes."


def test_add_single_moment_and_double_submit_plans_once(client):
    w = World()
    login(client, w.pro)
    payload = {"due_on": (TODAY + 10 * DAY).isoformat(), "form_token": "7d1f4c9a-3b6e-4a8f-9f31-2a3b4c5d6e7f"}
    client.post(reverse("cases:follow_up_add", args=[w.case.pk]), payload)
    second = client.post(reverse("cases:follow_up_add", args=[w.case.pk]), payload, follow=True)
    assert "Dit formulier was al verstuurd" in second.content.decode()
    assert FollowUpMoment.objects.filter(case=w.case).count() == 1
    far = client.post(reverse("cases:follow_up_add", args=[w.case.pk]), {"due_on": (TODAY + 800 * DAY).isoformat()})
    assert far.status_code == 400 and "binnen twee jaar" in far.content.decode()


# -- outcome measurements ---------------------------------------------------------------------------------


def measurement_payload(**overrides):
    data = {
        "measured_on": TODAY.isoformat(),
        "participation_step": "3",
        "client_satisfaction": "8",
        "professional_satisfaction": "7",
        "note": "Werkt twee ochtenden als vrijwilliger.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("client_satisfaction", "11", "Kies een cijfer van 1 tot en met 10."),
        ("professional_satisfaction", "0", "Kies een cijfer van 1 tot en met 10."),
        ("participation_step", "7", "Kies een trede van 1 tot en met 6."),
        ("participation_step", "", "Kies een trede van de participatieladder."),
        ("measured_on", (TODAY + DAY).isoformat(), "De datum van de meting ligt in de toekomst."),
        ("score_housing", "6", "Kies een score van 1 tot en met 5."),
        ("follow_up", "999999", "Kies een evaluatiemoment van deze casus."),
    ],
)
def test_bad_measurement_gets_a_dutch_message_and_keeps_the_input(client, field, value, message):
    w = World()
    login(client, w.pro)
    response = client.post(reverse("cases:measurement_add", args=[w.case.pk]), measurement_payload(**{field: value}))
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "Werkt twee ochtenden als vrijwilliger." in body
    assert not OutcomeMeasurement.objects.exists()


def test_measurement_of_another_cases_moment_is_refused(client):
    w = World()
    other = CaseFactory(municipality=w.municipality, team=w.team)
    involve(other, w.pro)
    foreign = moment(other, TODAY)
    login(client, w.pro)
    response = client.post(
        reverse("cases:measurement_add", args=[w.case.pk]), measurement_payload(follow_up=str(foreign.pk))
    )
    assert response.status_code == 400 and "Kies een evaluatiemoment van deze casus." in response.content.decode()
    with pytest.raises(RuleError):
        services.record_measurement(w.pro, w.case, measured_on=TODAY, participation_step=3, follow_up=foreign)
    foreign.refresh_from_db()
    assert foreign.done_on is None


def test_measurement_linked_to_a_moment_holds_it_adds_scores_and_shows_change(client):
    w = World()
    score(w.case, "housing", 1, w.pro, on=TODAY - 60 * DAY)
    score(w.case, "finances", 2, w.pro, on=TODAY - 60 * DAY)
    OutcomeMeasurement.objects.create(
        municipality=w.municipality,
        case=w.case,
        measured_on=TODAY - 60 * DAY,
        participation_step=1,
        client_satisfaction=5,
        recorded_by=w.pro,
    )
    m = moment(w.case, TODAY - 2 * DAY)
    login(client, w.pro)
    form = client.get(reverse("cases:measurement_add", args=[w.case.pk]), {"moment": m.pk}).content.decode()
    assert f'<option value="{m.pk}" selected>' in form
    response = client.post(
        reverse("cases:measurement_add", args=[w.case.pk]), measurement_payload(follow_up=str(m.pk), score_housing="3")
    )
    assert response.status_code == 302 and response["Location"].endswith("#uitkomsten")
    latest = OutcomeMeasurement.objects.latest("measured_on")
    assert (latest.participation_step, latest.client_satisfaction, latest.follow_up) == (3, 8, m)
    m.refresh_from_db()
    assert (m.done_on, m.done_by) == (TODAY, w.pro)
    assert list(DomainScore.objects.filter(case=w.case, domain="housing").values_list("score", flat=True)) == [3, 1]
    assert TimelineEntry.objects.filter(case=w.case, kind="measurement.recorded").exists()
    html = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    table = html.split('id="measurement-table"')[1].split("</table>")[0]
    assert "1 – Geïsoleerd" in table and "3 – Deelname aan georganiseerde activiteiten" in table
    assert "Werkt twee ochtenden als vrijwilliger." in table
    assert "van trede 1 naar trede 3" in html and "2 treden hoger" in html
    changes = html.split('id="domain-change-table"')[1].split("</table>")[0]
    housing = changes.split("Huisvesting")[1].split("</tr>")[0]
    assert "+2 (beter)" in housing
    finances = changes.split("Financiën")[1].split("</tr>")[0]
    assert "één score, nog geen verandering" in finances
    nazorg = html.split('id="nazorg"')[1].split('id="uitkomsten"')[0]
    assert "te laat" not in nazorg and "gehouden op" in nazorg


def test_measurement_on_an_already_held_moment_leaves_the_moment_as_it_was():
    w = World()
    m = moment(w.case, TODAY - 5 * DAY, done_on=TODAY - 4 * DAY, by=w.lead)
    services.record_measurement(w.pro, w.case, measured_on=TODAY, participation_step=2, follow_up=m)
    m.refresh_from_db()
    assert (m.done_on, m.done_by) == (TODAY - 4 * DAY, w.lead)
    assert OutcomeMeasurement.objects.get().follow_up == m


def test_case_page_query_count_does_not_grow_with_measurements(client):
    w = World()
    login(client, w.pro)

    def make(n):
        for i in range(n - OutcomeMeasurement.objects.count()):
            m = moment(w.case, TODAY - (i + 1) * DAY)
            OutcomeMeasurement.objects.create(
                municipality=w.municipality,
                case=w.case,
                follow_up=m,
                measured_on=TODAY,
                participation_step=2,
                recorded_by=w.pro,
            )
            score(w.case, "housing", 2, w.pro)

    client.get(reverse("cases:detail", args=[w.case.pk]))  # warm up the session
    assert_constant_queries(make, lambda: client.get(reverse("cases:detail", args=[w.case.pk])))


# -- demo ---------------------------------------------------------------------------------------------------


def test_demo_has_follow_up_with_overdue_and_upcoming_moment_and_measurements():
    from doorbraak.demo import cases as cases_demo
    from doorbraak.demo import core as core_demo
    from doorbraak.demo import platforms as platforms_demo
    from doorbraak.demo import stories
    from doorbraak.platforms.models import Platform

    STORIES = stories()

    for _ in range(2):  # idempotent
        core_demo.load()
        cases_demo.load()
        platforms_demo.load()
    title = next(s["title"] for s in STORIES if s["key"] == "family_plan")
    case = Case.objects.get(title=title)
    moments = list(FollowUpMoment.objects.filter(case=case))
    assert len(moments) == 5
    assert sum(m.is_overdue for m in moments) == 1 and sum(m.is_due for m in moments) == 1
    assert sum(m.done_on is not None for m in moments) == 1
    assert OutcomeMeasurement.objects.filter(case=case).count() == 2
    assert case.status == Case.Status.FOLLOW_UP
    assert FollowUpMoment.objects.filter(case__title__in=[s["title"] for s in STORIES]).count() == 10
    broken_through = Platform.objects.filter(breakthrough_on__isnull=False)
    assert broken_through.exists() and not broken_through.filter(solution_kind="").exists()
    assert Platform.objects.get(case=case).solution_kind == "network"


# -- kind of custom solution at the breakthrough (platforms) --------------------------------------------------


def test_breakthrough_needs_a_solution_kind_shown_on_the_platform_page(client):
    from doorbraak.platforms import services as platform_services

    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 5 * DAY, participants=[w.pro])
    login(client, w.pro)
    url = reverse("platforms:breakthrough", kwargs={"case_id": w.case.pk, "pk": platform.pk})
    assert "Soort maatwerkoplossing" in client.get(url).content.decode()
    missing = client.post(url, {"breakthrough_on": TODAY.isoformat(), "breakthrough": "Een kamer gevonden."})
    assert missing.status_code == 400
    assert "Kies wat voor maatwerkoplossing de doorbraak bracht." in missing.content.decode()
    assert "Een kamer gevonden." in missing.content.decode()
    platform.refresh_from_db()
    assert platform.breakthrough_on is None
    with pytest.raises(RuleError):
        platform_services.record_breakthrough(
            w.pro, platform, breakthrough_on=TODAY, breakthrough="x", solution_kind=""
        )
    client.post(
        url, {"breakthrough_on": TODAY.isoformat(), "breakthrough": "Een kamer gevonden.", "solution_kind": "housing"}
    )
    platform.refresh_from_db()
    assert platform.solution_kind == "housing"
    detail = client.get(reverse("platforms:detail", kwargs={"case_id": w.case.pk, "pk": platform.pk}))
    assert "Soort maatwerkoplossing: Wonen: een woning of woonplek" in detail.content.decode()
