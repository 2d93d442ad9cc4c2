"""Issue 15 point 4: the access-log changelist at tens of millions of rows shows the newest events first and never
counts the whole log (the count stops at CappedCountPaginator.CAP; no second, unfiltered count)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorbraak.core import admin as core_admin
from doorbraak.core import services_admin
from doorbraak.core.audit import log_access
from doorbraak.core.models import Role
from tests.cases.factories import World, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_newest_first_and_the_count_is_capped(client, monkeypatch):
    w = World()
    admin = UserFactory(municipality=w.municipality, team=None, role=Role.ADMIN, is_staff=True)
    admin.groups.add(services_admin.administrators_group())
    for user in (w.lead, w.pro, w.uninvolved, w.approver):
        log_access(user, "case.read", obj=w.case)
    monkeypatch.setattr(core_admin.CappedCountPaginator, "CAP", 3)
    login(client, admin)
    url = reverse("admin:core_accessevent_changelist")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    # the four reads (and the admin's own logged read) exist; the page counts at most 3 of them
    assert "3 toegangslogregels" in page or "3 toegangslog" in page
    assert page.index(w.approver.username) < page.index(w.lead.username)  # newest first
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql.upper() for sql in counts), counts


def test_the_search_box_finds_a_person_a_user_or_an_object_exactly_and_reads_one_index(client):
    from doorbraak.core.pseudonyms import pseudonym

    w = World()
    admin = UserFactory(municipality=w.municipality, team=None, role=Role.ADMIN, is_staff=True)
    admin.groups.add(services_admin.administrators_group())
    subject = ("household", w.case.household_id)
    log_access(w.pro, "case.read", obj=w.case, subject=subject)
    log_access(w.lead, "case.read", object_type="cases.case", object_id=987654)
    login(client, admin)
    url = reverse("admin:core_accessevent_changelist")

    def rows(term):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url, {"q": term}).content.decode()
        body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
        return body, [q["sql"] for q in ctx.captured_queries if "core_accessevent" in q["sql"] and "SELECT" in q["sql"]]

    body, _sql = rows(pseudonym(*subject))  # who read this household's file
    assert w.pro.username in body and w.lead.username not in body
    body, _sql = rows("987654")  # an object's id
    assert w.lead.username in body and w.pro.username not in body
    body, sql = rows(w.lead.username)
    assert "987654" in body and w.pro.username not in body
    assert all("LIKE" not in s.upper() for s in sql)  # exact, so an index, never a scan of the log
    body, _sql = rows(w.lead.username[:-2])  # part of a name: nothing (the help text says so)
    assert w.lead.username not in body
    assert "Een deel van een naam vindt niets" in client.get(url).content.decode()
    if connection.vendor == "postgresql":
        search = core_admin.selectors_admin.search_access_events
        events = core_admin.AccessEvent.objects.order_by("-seq")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask which index, not the cost
            plans = {
                index: search(events, term)[:100].explain()
                for index, term in [
                    ("core_access_subject_seq", pseudonym(*subject)),
                    ("core_access_object_seq", "987654"),
                    ("core_access_actor_name_seq", w.lead.username),
                ]
            }
        assert all(index in plan and "Sort" not in plan for index, plan in plans.items()), plans
