"""Database invariants of the learning models."""

import pytest
from django.db import IntegrityError, transaction

from doorbraak.learning.models import PolicyProposal, Story, Theme, ThemeBlocker
from tests.cases.factories import CaseFactory
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    return Theme.objects.create(municipality=MunicipalityFactory(), name="Regels", description="Regels die knellen")


def test_policy_proposal_status_is_checked_in_the_database(theme):
    PolicyProposal.objects.create(municipality=theme.municipality, theme=theme, text="Maatwerkbudget")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyProposal.objects.create(municipality=theme.municipality, theme=theme, text="x", status="maybe")


def test_a_blocker_code_maps_to_one_theme_per_municipality(theme):
    ThemeBlocker.objects.create(municipality=theme.municipality, theme=theme, code="rules_clash")
    other = Theme.objects.create(municipality=theme.municipality, name="Geld")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeBlocker.objects.create(municipality=theme.municipality, theme=other, code="rules_clash")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeBlocker.objects.create(municipality=theme.municipality, theme=other, code="not_a_code")


def test_story_cannot_be_approved_without_an_approver():
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.create(municipality=case.municipality, case=case, text="x", status=Story.Status.APPROVED)
    approver = UserFactory(municipality=case.municipality)
    with pytest.raises(IntegrityError), transaction.atomic():  # published needs a publisher too
        Story.objects.create(
            municipality=case.municipality, case=case, text="x", status=Story.Status.PUBLISHED, approved_by=approver
        )
    assert not Story.objects.filter(case=case).exists()  # refused by the check constraints, not by one-per-case
    story = Story.objects.create(
        municipality=case.municipality,
        case=case,
        text="x",
        status=Story.Status.PUBLISHED,
        approved_by=approver,
        published_by=approver,
    )
    assert story.get_status_display() == "Gepubliceerd"


def test_the_database_allows_one_story_per_case():
    """Issue 11 probe: two stories for one case were possible; the constraint story_one_per_case refuses it."""
    case = CaseFactory()
    Story.objects.create(municipality=case.municipality, case=case, text="Eerste")
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.create(municipality=case.municipality, case=case, text="Tweede")
    assert Story.objects.filter(case=case).count() == 1
    other = CaseFactory(municipality=case.municipality)
    Story.objects.create(municipality=case.municipality, case=other, text="Van een andere casus")
