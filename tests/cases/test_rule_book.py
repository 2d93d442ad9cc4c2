"""Issue 11 probes of the case file and the case platform, each a regression test: rules only forms enforced are
checked by the services, Case and Platform change state through their flow tables, platforms writes case rows
through the cases services, and the form token lives in core."""

import datetime
import uuid

import pytest
from django.urls import reverse

from doorbraak.cases import services
from doorbraak.cases.models import Case, Involvement, Person, TimelineEntry
from doorbraak.core import form_tokens
from doorbraak.core.errors import RuleError
from doorbraak.core.models import FormToken
from doorbraak.platforms import services as platform_services
from doorbraak.platforms.models import Platform
from tests.cases.factories import World, consent, login
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_breakthrough_thirty_days_ahead_is_refused_by_the_service():
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 5 * DAY, participants=[w.pro])
    with pytest.raises(RuleError, match="toekomst") as error:
        platform_services.record_breakthrough(
            w.pro, platform, breakthrough_on=TODAY + 30 * DAY, breakthrough="Een kamer", solution_kind="housing"
        )
    assert error.value.field == "breakthrough_on"
    platform.refresh_from_db()
    assert platform.breakthrough_on is None and platform.status == Platform.Status.CONVENED


def test_consent_and_birth_dates_in_the_future_are_refused_by_the_services():
    w = World()
    with pytest.raises(RuleError, match="toestemming ligt in de toekomst"):
        services.record_consent(w.pro, w.case, organisation=w.pro.organisation, scope="alles", given_on=TODAY + DAY)
    with pytest.raises(RuleError, match="geboortedatum ligt in de toekomst"):
        services.add_member(
            w.pro, w.case, first_name="Kim", last_name="Jansen", date_of_birth=TODAY + DAY, bsn="", relation="child"
        )
    with pytest.raises(RuleError, match="geboortedatum ligt in de toekomst"):
        services.open_case(
            w.pro,
            title="T",
            team=w.team,
            area="",
            question="Q",
            tried="",
            stuck_since=None,
            funders=[],
            scores={},
            member={"first_name": "A", "last_name": "B", "date_of_birth": TODAY + DAY, "bsn": ""},
        )
    assert not w.case.consents.exists() and Person.objects.filter(first_name__in=["Kim", "A"]).count() == 0


def test_follow_up_beyond_two_years_is_refused_by_the_service():
    w = World()
    with pytest.raises(RuleError, match="binnen twee jaar"):
        services.add_follow_up(w.pro, w.case, due_on=TODAY + 800 * DAY)
    assert services.add_follow_up(w.pro, w.case, due_on=TODAY + 700 * DAY)
    assert w.case.follow_ups.count() == 1


def test_other_form_rules_are_checked_by_the_services():
    w = World()
    with pytest.raises(RuleError, match="elfproef"):
        services.add_member(
            w.pro,
            w.case,
            first_name="Kim",
            last_name="Jansen",
            date_of_birth=TODAY - 900 * DAY,
            bsn="123456789",
            relation="child",
        )
    with pytest.raises(RuleError, match="minstens één score"):
        services.rescore(w.pro, w.case, {})
    with pytest.raises(RuleError, match="1 tot en met 5"):
        services.rescore(w.pro, w.case, {"finances": 9})
    with pytest.raises(RuleError, match="trede"):
        services.record_measurement(w.pro, w.case, measured_on=TODAY, participation_step=7)
    with pytest.raises(RuleError, match="hoort niet bij uw gemeente"):  # a policy officer is not offered either
        services.involve(w.pro, w.case, w.policy, "beleid")
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 30 * DAY, participants=[w.pro])
    with pytest.raises(RuleError, match="1 tot en met 10"):
        platform_services.evaluate(
            w.pro,
            platform,
            helped="x",
            blocked="",
            blocker_tags=[],
            client_satisfaction=11,
            professional_satisfaction=5,
        )
    with pytest.raises(RuleError, match="uit de lijst"):
        platform_services.evaluate(
            w.pro,
            platform,
            helped="x",
            blocked="",
            blocker_tags=["made_up"],
            client_satisfaction=5,
            professional_satisfaction=5,
        )
    with pytest.raises(RuleError, match="Kies een niveau"):  # was a ValueError (500)
        platform_services.escalate(w.lead, platform, level="galactic", reason="x")
    assert not platform.escalations.exists() and not Involvement.objects.filter(user=w.policy).exists()


def test_set_status_follows_the_flow_table():
    w = World()
    with pytest.raises(RuleError):  # open -> in nazorg is not a step of the table
        services.set_status(w.pro, w.case, Case.Status.FOLLOW_UP, "x")
    services.close_case(w.lead, w.case)
    with pytest.raises(RuleError, match="Afgesloten"):
        services.set_status(w.lead, w.case, Case.Status.OPEN, "weer open")
    w.case.refresh_from_db()
    assert w.case.status == Case.Status.CLOSED
    assert not TimelineEntry.objects.filter(case=w.case, kind__startswith="status.").exists()


def test_close_case_twice_is_refused_and_keeps_closed_at():
    w = World()
    services.close_case(w.lead, w.case)
    w.case.refresh_from_db()
    first = w.case.closed_at
    with pytest.raises(RuleError, match="al gebeurd"):
        services.close_case(w.lead, Case.objects.get(pk=w.case.pk))
    w.case.refresh_from_db()
    assert w.case.closed_at == first
    assert TimelineEntry.objects.filter(case=w.case, kind="case.closed").count() == 1


def test_double_close_on_the_page_is_a_message_not_an_error(client):
    w = World()
    login(client, w.lead)
    url = reverse("cases:close", args=[w.case.pk])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert second.status_code == 200 and "al gebeurd" in second.content.decode()


def test_breakthrough_once_and_not_on_a_closed_case():
    w = World()
    platform = make_platform(w.case, w.lead, convened_on=TODAY - 5 * DAY, participants=[w.pro])
    stale = Platform.objects.get(pk=platform.pk)
    platform_services.record_breakthrough(
        w.pro, platform, breakthrough_on=TODAY, breakthrough="Een kamer", solution_kind="housing"
    )
    stale.case = w.case
    stale.breakthrough_on = None  # a second tab that still shows the form: the flow refuses it
    with pytest.raises(RuleError, match="al vastgelegd"):
        platform_services.record_breakthrough(
            w.pro, stale, breakthrough_on=TODAY - DAY, breakthrough="Anders", solution_kind="income_debt"
        )
    platform.refresh_from_db()
    assert (platform.status, platform.breakthrough_on, platform.solution_kind) == ("breakthrough", TODAY, "housing")
    assert TimelineEntry.objects.filter(case=w.case, kind="status.breakthrough").count() == 1
    other = World()
    closed_platform = make_platform(other.case, other.lead, convened_on=TODAY - 5 * DAY, participants=[other.pro])
    services.close_case(other.lead, other.case)
    with pytest.raises(RuleError, match="afgesloten"):
        platform_services.record_breakthrough(
            other.lead, closed_platform, breakthrough_on=TODAY, breakthrough="x", solution_kind="housing"
        )


def test_invited_professional_is_involved_through_the_cases_service():
    w = World()
    newcomer = UserFactory(municipality=w.municipality, team=w.team)
    consent(w.case, newcomer.organisation, w.pro)
    platform = make_platform(w.case, w.lead, convened_on=TODAY, participants=[w.pro])
    platform_services.invite(w.lead, platform, newcomer, "woonconsulent")
    platform_services.invite(w.lead, make_platform(w.case, w.lead, convened_on=TODAY), newcomer, "")
    assert Involvement.objects.filter(case=w.case, user=newcomer, ended_at__isnull=True).count() == 1


def test_form_token_lives_in_core_on_the_old_table():
    w = World()
    token = uuid.uuid4()
    services.rescore(w.pro, w.case, {"finances": 3}, token=token)
    with pytest.raises(form_tokens.DuplicateSubmission):
        services.rescore(w.pro, w.case, {"finances": 4}, token=token)
    assert FormToken._meta.db_table == "cases_formtoken" and FormToken.objects.filter(token=token).exists()
    FormToken.objects.filter(token=token).update(
        used_at=FormToken.objects.get(token=token).used_at - datetime.timedelta(days=3)
    )
    assert form_tokens.purge_expired() == 1
