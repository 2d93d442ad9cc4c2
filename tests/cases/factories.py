"""Factories for case files: a case in a municipality with a team, a household and a main person."""

import datetime

import factory
from django.conf import settings

from doorbraak.cases.models import Case, Consent, DomainScore, Household, Involvement, Person
from doorbraak.core.models import Role
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory
from tests.helpers.browser import session_cookie_for


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    area = "Noord"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = datetime.date(2001, 5, 17)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    team = factory.LazyAttribute(lambda c: TeamFactory(municipality=c.municipality))
    household = factory.LazyAttribute(lambda c: HouseholdFactory(municipality=c.municipality))
    title = factory.Sequence(lambda n: f"Casus {n}")
    question = "Ik wil een eigen plek om te wonen."
    created_by = factory.LazyAttribute(lambda c: UserFactory(municipality=c.municipality))

    @factory.post_generation
    def main_person(obj, create, extracted, **kwargs):
        if create:
            PersonFactory(household=obj.household, municipality=obj.municipality, relation="main")


def involve(case, user, role="casusregisseur"):
    return Involvement.objects.create(
        municipality=case.municipality, case=case, user=user, organisation=user.organisation, role_in_case=role
    )


def consent(case, organisation, by):
    return Consent.objects.create(
        municipality=case.municipality,
        case=case,
        organisation=organisation,
        scope="hulpvraag en woonsituatie",
        given_on=datetime.date.today(),
        recorded_by=by,
    )


def score(case, domain, value, by, on=None):
    return DomainScore.objects.create(
        municipality=case.municipality,
        case=case,
        domain=domain,
        score=value,
        scored_by=by,
        scored_on=on or datetime.date.today(),
    )


class World:
    """One municipality with a lead, an involved professional, an uninvolved one, and a stranger elsewhere."""

    def __init__(self):
        self.municipality = MunicipalityFactory()
        self.team = TeamFactory(municipality=self.municipality)
        self.lead = UserFactory(municipality=self.municipality, team=self.team, role=Role.LEAD)
        self.pro = UserFactory(municipality=self.municipality, team=self.team)
        self.uninvolved = UserFactory(municipality=self.municipality, team=self.team)
        self.approver = UserFactory(municipality=self.municipality, role=Role.APPROVER)
        self.policy = UserFactory(municipality=self.municipality, role=Role.POLICY)
        self.other_lead = UserFactory(municipality=self.municipality, role=Role.LEAD)  # lead of another team
        self.stranger = UserFactory(role=Role.LEAD)  # another municipality
        self.case = CaseFactory(municipality=self.municipality, team=self.team, created_by=self.lead)
        involve(self.case, self.pro)


def login(client, user):
    cookie = session_cookie_for(user)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie["value"]
    return client
