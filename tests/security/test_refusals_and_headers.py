"""Issue 10, parts 4 and 6: refused reads are access events; responses that protect personal data.

Each test fails on the code before issue 10: refusals wrote no event, there was no no-store and no
Permissions-Policy, the public themes CSV carried formulas as-is, and the case search put the name in the URL.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.budget.models import Loan
from doorbraak.cases.models import Case, Consent
from doorbraak.core.csv_safe import neutralise
from doorbraak.core.models import AccessEvent, Role
from doorbraak.core.pseudonyms import pseudonym
from doorbraak.learning.models import Story, Theme
from tests.cases.factories import CaseFactory, World, consent, involve, login
from tests.factories import MunicipalityFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

UNKNOWN = 987654
NAME_IN_SEARCH = "Verhoef"


def denials():
    return list(AccessEvent.objects.filter(outcome=AccessEvent.Outcome.DENIED).order_by("seq"))


def only_denial():
    rows = denials()
    assert len(rows) == 1, [(r.event, r.reason, r.object_type, r.object_id) for r in rows]
    return rows[0]


def assert_refused(client, url, *, event, reason, object_type, object_id, actor, subject=None, method="get"):
    before = AccessEvent.objects.filter(outcome=AccessEvent.Outcome.DENIED).count()
    response = getattr(client, method)(url)
    assert response.status_code == 404
    rows = denials()[before:]
    assert len(rows) == 1, [(r.event, r.reason) for r in rows]
    row = rows[0]
    assert (row.event, row.reason, row.object_type, row.object_id) == (event, reason, object_type, str(object_id))
    assert row.action == AccessEvent.Action.READ and row.actor_id == actor.pk
    assert row.network_address == "127.0.0.1"  # written with the request, not just the user
    if subject is not None:
        assert row.subject_pseudonym == pseudonym(*subject)
    return response


# --- cases ------------------------------------------------------------------------------------------------------


def test_case_of_another_municipality_is_a_tenancy_refusal(client):
    w = World()
    login(client, w.stranger)
    response = assert_refused(
        client,
        reverse("cases:detail", args=[w.case.pk]),
        event="case.read",
        reason="tenancy",
        object_type="cases.case",
        object_id=w.case.pk,
        actor=w.stranger,
        subject=("household", w.case.household_id),
    )
    assert w.case.title not in response.content.decode()


def test_case_of_an_uninvolved_colleague_is_a_need_to_know_refusal(client):
    w = World()
    login(client, w.uninvolved)
    for url in (
        reverse("cases:detail", args=[w.case.pk]),
        reverse("cases:member_add", args=[w.case.pk]),
        reverse("platforms:index", args=[w.case.pk]),
    ):
        assert_refused(
            client,
            url,
            event="case.read",
            reason="need_to_know",
            object_type="cases.case",
            object_id=w.case.pk,
            actor=w.uninvolved,
            subject=("household", w.case.household_id),
        )


def test_unknown_case_is_the_same_404_and_logged_as_not_found(client):
    w = World()
    login(client, w.uninvolved)
    hidden = client.get(reverse("cases:detail", args=[w.case.pk]))
    unknown = assert_refused(
        client,
        reverse("cases:detail", args=[UNKNOWN]),
        event="case.read",
        reason="not_found",
        object_type="cases.case",
        object_id=UNKNOWN,
        actor=w.uninvolved,
    )
    assert AccessEvent.objects.get(reason="not_found").subject_pseudonym == ""
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.templates[0].name == unknown.templates[0].name == "404.html"


def test_consent_of_another_case_is_refused_on_a_visible_case(client):
    w = World()
    other = CaseFactory(municipality=w.municipality, team=w.team)
    organisation = OrganisationFactory(municipality=w.municipality)
    hidden = consent(other, organisation, w.lead)
    login(client, w.pro)
    assert_refused(
        client,
        reverse("cases:consent_withdraw", args=[w.case.pk, hidden.pk]),
        method="post",
        event="consent.read",
        reason="need_to_know",
        object_type="cases.consent",
        object_id=hidden.pk,
        actor=w.pro,
        subject=("household", other.household_id),
    )
    assert Consent.objects.get(pk=hidden.pk).withdrawn_on is None


def test_a_refusal_that_succeeds_logs_nothing_denied(client):
    w = World()
    login(client, w.pro)
    assert client.get(reverse("cases:detail", args=[w.case.pk])).status_code == 200
    assert denials() == []


# --- platforms --------------------------------------------------------------------------------------------------


def test_platform_refusals(client):
    w = World()
    platform = make_platform(w.case, w.lead)
    other_case = CaseFactory(municipality=w.municipality, team=TeamFactory(municipality=w.municipality))
    other_platform = make_platform(other_case, UserFactory(municipality=w.municipality, role=Role.LEAD))
    login(client, w.pro)
    # A platform of a case the professional does not see, reached through a case they do see.
    assert_refused(
        client,
        reverse("platforms:detail", args=[w.case.pk, other_platform.pk]),
        event="platform.read",
        reason="need_to_know",
        object_type="platforms.platform",
        object_id=other_platform.pk,
        actor=w.pro,
        subject=("household", other_case.household_id),
    )
    # The printable summary is for the people at the table: the involved professional is not one of them.
    assert_refused(
        client,
        reverse("platforms:summary", args=[w.case.pk, platform.pk]),
        event="platform.print",
        reason="need_to_know",
        object_type="platforms.platform",
        object_id=platform.pk,
        actor=w.pro,
        subject=("household", w.case.household_id),
    )
    login(client, w.stranger)
    assert_refused(
        client,
        reverse("platforms:detail", args=[w.case.pk, platform.pk]),
        event="case.read",
        reason="tenancy",
        object_type="cases.case",
        object_id=w.case.pk,
        actor=w.stranger,
    )


def test_lead_only_page_is_a_403_with_reason_role(client):
    w = World()
    login(client, w.pro)
    response = client.get(reverse("platforms:convene", args=[w.case.pk]))
    assert response.status_code == 403
    row = only_denial()
    assert (row.event, row.reason, row.object_type, row.object_id) == ("page.read", "role", "page", "platforms:convene")


def test_permission_denied_from_a_service_is_logged_as_forbidden(client):
    w = World()
    involve(w.case, w.other_lead)  # a lead of another team, involved: sees the case, may not close it
    login(client, w.other_lead)
    response = client.post(reverse("cases:close", args=[w.case.pk]))
    assert response.status_code == 403
    row = only_denial()
    assert (row.event, row.reason, row.object_id, row.action) == (
        "page.write",
        "forbidden",
        "cases:close",
        AccessEvent.Action.EXECUTE,
    )
    assert Case.objects.get(pk=w.case.pk).status != Case.Status.CLOSED


# --- budget -----------------------------------------------------------------------------------------------------


def _plan_world():
    from tests.budget.factories import World as BudgetWorld

    w = BudgetWorld()
    plan = w.train_pass_plan()
    return w, plan


def test_plan_of_a_hidden_case_and_a_loan_of_another_plan_are_refusals(client):
    w, plan = _plan_world()
    login(client, w.outsider)
    assert_refused(
        client,
        reverse("plan:detail", args=[plan.case_id]),
        event="case.read",
        reason="need_to_know",
        object_type="cases.case",
        object_id=plan.case_id,
        actor=w.outsider,
        subject=("household", plan.case.household_id),
    )
    assert_refused(
        client,
        reverse("plan:pdf", args=[plan.case_id]),
        event="case.read",
        reason="need_to_know",
        object_type="cases.case",
        object_id=plan.case_id,
        actor=w.outsider,
    )
    stranger = UserFactory(role=Role.APPROVER)
    login(client, stranger)
    assert_refused(
        client,
        reverse("plan:detail", args=[plan.case_id]),
        event="case.read",
        reason="tenancy",
        object_type="cases.case",
        object_id=plan.case_id,
        actor=stranger,
    )
    # A loan id of another plan, posted on a plan the professional may work on.
    other_case = w.case(title="Tweede casus")
    own_plan = w.train_pass_plan(case=other_case, submit=False)
    loan = Loan.objects.create(
        municipality=w.municipality,
        plan=plan,
        fund=w.fund(),
        amount_cents=100_00,
        condition="Werk gevonden",
        deadline=datetime.date.today() + datetime.timedelta(days=90),
    )
    login(client, w.professional)
    assert_refused(
        client,
        reverse("plan:loan_outcome", args=[own_plan.case_id, loan.pk]),
        method="post",
        event="loan.read",
        reason="need_to_know",
        object_type="budget.loan",
        object_id=loan.pk,
        actor=w.professional,
        subject=("household", plan.case.household_id),
    )


def test_budget_overview_for_a_professional_is_a_role_refusal(client):
    w, _plan = _plan_world()
    login(client, w.professional)
    assert_refused(
        client,
        reverse("budget:overview"),
        event="page.read",
        reason="role",
        object_type="page",
        object_id="budget:overview",
        actor=w.professional,
    )


# --- learning ---------------------------------------------------------------------------------------------------


def test_learning_for_a_professional_is_a_role_refusal(client):
    w = World()
    login(client, w.pro)
    assert_refused(
        client,
        reverse("learning:home"),
        event="page.read",
        reason="role",
        object_type="page",
        object_id="learning:home",
        actor=w.pro,
    )


def test_theme_of_another_municipality_is_a_tenancy_refusal(client):
    w = World()
    theme = Theme.objects.create(municipality=MunicipalityFactory(), name="Elders")
    own = Theme.objects.create(municipality=w.municipality, name="Hier")
    login(client, w.policy)
    assert client.get(reverse("learning:theme_detail", args=[own.pk])).status_code == 200
    assert_refused(
        client,
        reverse("learning:theme_detail", args=[theme.pk]),
        event="theme.read",
        reason="tenancy",
        object_type="learning.theme",
        object_id=theme.pk,
        actor=w.policy,
    )


def test_story_of_another_case_is_a_need_to_know_refusal(client):
    w = World()
    w.case.status, w.case.closed_at = Case.Status.CLOSED, timezone.now()
    w.case.save()
    other = CaseFactory(municipality=w.municipality, team=TeamFactory(municipality=w.municipality))
    story = Story.objects.create(municipality=w.municipality, case=other, text="Concept")
    login(client, w.lead)
    assert_refused(
        client,
        reverse("story:detail", args=[w.case.pk, story.pk]),
        event="story.read",
        reason="need_to_know",
        object_type="learning.story",
        object_id=story.pk,
        actor=w.lead,
        subject=("household", other.household_id),
    )


def test_refused_publish_of_a_story_is_logged(client):
    w = World()
    story = Story.objects.create(
        municipality=w.municipality, case=w.case, text="Goedgekeurd", status=Story.Status.APPROVED, approved_by=w.pro
    )
    login(client, w.lead)  # a lead reads approved stories but only a policy officer publishes
    response = client.post(reverse("learning:story_publish", args=[story.pk]))
    assert response.status_code == 302
    row = only_denial()
    assert (row.event, row.reason, row.object_id) == ("page.write", "forbidden", "learning:story_publish")
    assert Story.objects.get(pk=story.pk).status == Story.Status.APPROVED


# --- headers ----------------------------------------------------------------------------------------------------


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_pages_with_personal_data_are_never_stored(client):
    w = World()
    platform = make_platform(w.case, w.lead)
    login(client, w.lead)
    for url in (
        reverse("cases:detail", args=[w.case.pk]),
        reverse("cases:list"),
        reverse("platforms:detail", args=[w.case.pk, platform.pk]),
        reverse("platforms:summary", args=[w.case.pk, platform.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and _no_store(response), url
        assert "private" in response["Cache-Control"] and response.has_header("Expires")
    refused = client.get(reverse("cases:detail", args=[UNKNOWN]))
    assert refused.status_code == 404 and _no_store(refused)


def test_plan_page_and_pdf_are_never_stored(client):
    w, plan = _plan_world()
    login(client, w.professional)
    page = client.get(reverse("plan:detail", args=[plan.case_id]))
    pdf = client.get(reverse("plan:pdf", args=[plan.case_id]))
    assert page.status_code == 200 and _no_store(page)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and _no_store(pdf)


def test_csv_download_of_a_logged_in_user_is_never_stored(client):
    w = World()
    login(client, w.policy)
    response = client.get(reverse("learning:open_data_csv", args=["themas"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv") and _no_store(response)


def test_public_pages_keep_their_caching_and_every_response_has_a_permissions_policy(client):
    municipality = MunicipalityFactory()
    public = [
        client.get(reverse("open_data:index", args=[municipality.code])),
        client.get(reverse("open_data:csv", args=[municipality.code, "themas"])),
        client.get(reverse("precedents:list")),
    ]
    for response in public:
        assert response.status_code == 200 and not _no_store(response)
    w = World()
    login(client, w.lead)
    private = client.get(reverse("cases:list"))
    login_page = client.get(reverse("core:login"))  # Django's login view is never_cache anyway
    for response in [*public, private, login_page, client.get("/bestaat-niet/")]:
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


# --- CSV formula injection --------------------------------------------------------------------------------------


def test_theme_named_as_a_formula_is_neutralised_in_the_public_csv(client):
    municipality = MunicipalityFactory()
    formula = '=HYPERLINK("http://x","y")'
    Theme.objects.create(municipality=municipality, name=formula)
    Theme.objects.create(municipality=municipality, name="@SUM(A1)")
    Theme.objects.create(municipality=municipality, name="Gewoon thema")
    response = client.get(reverse("open_data:csv", args=[municipality.code, "themas"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = {row[4] for row in rows[1:]}  # issue 13: after the column "uitsplitsing"
    assert "'" + formula in names and "'@SUM(A1)" in names and "Gewoon thema" in names
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-2+3", "'-2+3"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12", "-12"),
        ("-0,5", "-0,5"),
        (-3, -3),
        (2.5, 2.5),
        ("", ""),
        ("tekst", "tekst"),
        (None, None),
    ],
)
def test_neutralise_keeps_numbers_and_quotes_formulas(value, expected):
    assert neutralise(value) == expected


# --- case search without names in URLs ---------------------------------------------------------------------------


def _search_world():
    w = World()
    for i in range(27):
        case = CaseFactory(municipality=w.municipality, team=w.team, title=f"Woonvraag {i}")
        case.household.members.update(last_name="Verhoef")
    return w


def test_search_is_posted_and_no_name_reaches_a_url(client):
    w = _search_world()
    login(client, w.lead)
    url = reverse("cases:list")
    response = client.post(url, {"q": "Verhoef", "status": "open", "team": w.team.pk})
    assert response.status_code == 302 and "Verhoef" not in response["Location"]
    assert response["Location"] == f"{url}?status=open&team={w.team.pk}"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.context["page"].paginator.count == 27 and "Volgende pagina" in body
    assert 'value="Verhoef"' in body  # the form shows what is searched
    assert "Verhoef" not in "".join(part.split('"')[0] for part in body.split('href="')[1:])
    second = client.get(url, {"status": "open", "team": w.team.pk, "pagina": 2})
    assert len(second.context["page"].object_list) == 2  # pagination keeps the search from the session


def test_search_text_in_a_get_url_is_dropped_not_searched(client):
    w = _search_world()
    login(client, w.lead)
    response = client.get(reverse("cases:list"), {"q": "Verhoef", "status": "open"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:list") + "?status=open"
    page = client.get(response["Location"])
    assert page.context["page"].paginator.count == 28  # not filtered by the name
    assert not client.session.get("cases.list.q")


def test_search_can_be_cleared_and_needs_csrf(client):
    w = _search_world()
    login(client, w.lead)
    url = reverse("cases:list")
    client.post(url, {"q": "Verhoef"})
    assert client.get(url).context["page"].paginator.count == 27
    client.post(url, {"q": "Verhoef", "wissen": "1"})
    assert client.get(url).context["page"].paginator.count == 28
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login(strict, w.lead)
    assert strict.post(url, {"q": "Verhoef"}).status_code == 403
    row = only_denial()  # a refused write of a logged-in user is an access event too
    assert (row.event, row.reason, row.object_id, row.actor_id) == ("page.write", "csrf", "cases:list", w.lead.pk)


def test_search_held_in_the_session_keeps_the_query_count_fixed(client):
    from tests.helpers.queries import assert_constant_queries

    w = World()
    login(client, w.lead)
    url = reverse("cases:list")
    client.post(url, {"q": NAME_IN_SEARCH})
    client.get(url)  # warm up the session (the first request after the post saves it)

    def make(n):
        for _ in range(n):
            case = CaseFactory(municipality=w.municipality, team=w.team)
            case.household.members.update(last_name=NAME_IN_SEARCH)

    count = assert_constant_queries(make, lambda: client.get(url))
    assert count <= 20
    assert client.get(url).context["page"].paginator.count == 14


def test_a_bad_search_is_a_dutch_error_not_a_redirect(client):
    w = World()
    login(client, w.lead)
    response = client.post(reverse("cases:list"), {"q": "x" * 101, "stuck_weeks": "-1"})
    assert response.status_code == 400
    assert "x" * 101 not in response.get("Location", "")
    assert not client.session.get("cases.list.q")
