"""Every URL of the case file and case platform, for every role, an uninvolved professional, a lead of another
team and a lead of another municipality: the status each gets. Unseen cases are 404 everywhere."""

import datetime

import pytest
from django.urls import reverse

from doorbraak.core.models import Role
from doorbraak.platforms.models import Escalation, PlatformAction
from tests.cases.factories import World, consent, login
from tests.factories import UserFactory
from tests.platforms.factories import make_platform

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "lead", "pro", "uninvolved", "other_lead", "stranger", "approver", "policy", "moderator", "admin"]
SEES_CASE = {"lead", "pro"}
LIST_ROLES = {"lead", "pro", "uninvolved", "other_lead", "stranger", "approver"}


def build():
    w = World()
    w.moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    w.admin = UserFactory(municipality=w.municipality, role=Role.ADMIN)
    w.platform = make_platform(
        w.case, w.lead, convened_on=datetime.date.today() - datetime.timedelta(days=30), participants=[w.pro]
    )
    owner = w.platform.participants.get(user=w.pro)
    w.action = PlatformAction.objects.create(
        municipality=w.municipality,
        platform=w.platform,
        what="Bellen",
        owner=owner,
        due_on=datetime.date.today(),
        created_by=w.pro,
    )
    w.escalation = Escalation.objects.create(
        municipality=w.municipality, platform=w.platform, level="local", reason="Geen doorbraak", recorded_by=w.lead
    )
    w.consent = consent(w.case, w.uninvolved.organisation, w.pro)
    w.involvement = w.case.involvements.get(user=w.pro)
    return w


def expected_case_page(who, lead_only=False):
    if who == "anonymous":
        return 302
    if who not in SEES_CASE:
        return 404
    return 403 if lead_only and who != "lead" else 200


def get_urls(w):
    c, p = w.case.pk, w.platform.pk
    kw = {"case_id": c, "pk": p}
    return [
        (reverse("cases:list"), "list"),
        (reverse("cases:create"), "create"),
        (reverse("cases:list") + "?status=open&team=1", "list"),
        (reverse("cases:detail", args=[c]), "case"),
        (reverse("cases:member_add", args=[c]), "case"),
        (reverse("cases:scores_add", args=[c]), "case"),
        (reverse("cases:involvement_add", args=[c]), "case"),
        (reverse("cases:consent_add", args=[c]), "case"),
        (reverse("platforms:index", args=[c]), "case"),
        (reverse("platforms:convene", args=[c]), "lead"),
        (reverse("platforms:detail", kwargs=kw), "case"),
        (reverse("platforms:invite", kwargs=kw), "lead"),
        (reverse("platforms:action_add", kwargs=kw), "case"),
        (reverse("platforms:decision_add", kwargs=kw), "case"),
        (reverse("platforms:breakthrough", kwargs=kw), "case"),
        (reverse("platforms:evaluation", kwargs=kw), "case"),
        (reverse("platforms:escalate", kwargs=kw), "lead"),
        (reverse("platforms:escalation_outcome", kwargs={**kw, "escalation_id": w.escalation.pk}), "lead"),
        (reverse("platforms:summary", kwargs=kw), "case"),
    ]


def post_urls(w):
    c, p = w.case.pk, w.platform.pk
    return [
        (reverse("platforms:action_done", kwargs={"case_id": c, "pk": p, "action_id": w.action.pk}), "case"),
        (reverse("cases:consent_withdraw", args=[c, w.consent.pk]), "case"),
        (reverse("cases:involvement_end", args=[c, w.involvement.pk]), "case"),
        (reverse("cases:close", args=[c]), "lead"),
    ]


@pytest.mark.parametrize("who", WHO)
def test_every_url_for_every_role(client, who):
    w = build()
    if who != "anonymous":
        login(client, getattr(w, who))
    failures = []
    for url, kind in get_urls(w):
        if kind in ("list", "create"):
            allowed = LIST_ROLES - {"approver"} if kind == "create" else LIST_ROLES
            expected = 302 if who == "anonymous" else (200 if who in allowed else 403)
        else:
            expected = expected_case_page(who, lead_only=kind == "lead")
        status = client.get(url).status_code
        if status != expected:
            failures.append(f"GET {url}: {status} != {expected}")
    for url, kind in post_urls(w):
        expected = expected_case_page(who, lead_only=kind == "lead")
        expected = 302 if expected == 200 else expected
        status = client.post(url).status_code
        if status != expected:
            failures.append(f"POST {url}: {status} != {expected}")
        if who == "pro" and "beeindigen" in url:
            break  # the professional just left the case; what follows is covered by the other roles
    assert not failures, "\n".join(failures)


def test_other_municipality_search_and_list_never_show_the_case(client):
    w = build()
    login(client, w.stranger)
    response = client.post(reverse("cases:list"), {"q": w.case.title}, follow=True)
    assert list(response.context["page"].object_list) == []
    assert "Geen casussen gevonden." in response.content.decode()
    assert reverse("cases:detail", args=[w.case.pk]) not in response.content.decode()
