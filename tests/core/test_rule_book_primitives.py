"""Issue 11 groundwork: the one transition mechanism and the rule registry behave as their callers rely on."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from doorbraak.core import permissions, transitions
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role, RoleChangeRequest
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

FLOW = {"pending": {"approved", "rejected"}, "approved": set(), "rejected": set()}


@pytest.fixture
def change():
    municipality = MunicipalityFactory()
    user = UserFactory(municipality=municipality)
    admin = UserFactory(municipality=municipality, role=Role.ADMIN)
    return RoleChangeRequest.objects.create(
        municipality=municipality, user=user, requested_by=admin, old_role=Role.PROFESSIONAL, new_role=Role.LEAD
    )


def test_flow_helpers():
    assert transitions.sources(FLOW, "approved") == {"pending"}
    assert transitions.may_follow(FLOW, "pending", "rejected")
    assert not transitions.may_follow(FLOW, "approved", "pending")
    with pytest.raises(ValueError):
        transitions.check_flow({"pending": {"gone"}}, ["pending"])


def test_transition_changes_state_once_and_runs_on_change_once(change):
    decider = UserFactory(municipality=change.municipality, role=Role.ADMIN)
    calls = []
    stale = RoleChangeRequest.objects.get(pk=change.pk)  # a second request holding the old state
    transitions.transition(
        change, "approved", FLOW, updates={"decided_by": decider, "decided_at": timezone.now()}, on_change=calls.append
    )
    assert change.status == "approved" and calls == [change]
    with pytest.raises(RuleError, match="al gebeurd"):
        transitions.transition(stale, "approved", FLOW, on_change=calls.append)
    with pytest.raises(RuleError, match="kan niet meer"):
        transitions.transition(stale, "rejected", FLOW, on_change=calls.append)
    assert len(calls) == 1 and stale.status == "approved"
    assert RoleChangeRequest.objects.get(pk=change.pk).decided_by == decider


def test_rule_registry_require_and_unknown_names():
    permissions.define("tests.only_leads", permissions.has_role(Role.LEAD))
    lead = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.LEAD)
    professional = SimpleNamespace(is_authenticated=True, is_active=True, role=Role.PROFESSIONAL)
    assert permissions.allowed("tests.only_leads", lead)
    with pytest.raises(permissions.Refused) as refused:
        permissions.require("tests.only_leads", professional)
    assert refused.value.rule == "tests.only_leads"
    assert "tests.only_leads" in permissions.registered("tests.")
    with pytest.raises(KeyError):
        permissions.allowed("tests.no_such_rule", lead)


def test_rule_error_carries_field():
    error = RuleError("De datum ligt in de toekomst.", field="broke_on")
    assert str(error) == "De datum ligt in de toekomst." and error.field == "broke_on"
