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
