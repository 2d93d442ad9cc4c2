"""Helpers to build a case with a plan and a fund for budget tests."""

import datetime
from decimal import Decimal

from doorbraak.budget import services
from doorbraak.budget.models import Fund, Plan, PlanLine
from doorbraak.cases.models import Case, Household, Involvement
from doorbraak.core.models import Role
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory


class World:
    def __init__(self):
        self.municipality = MunicipalityFactory()
        self.team = TeamFactory(municipality=self.municipality)
        m, t = self.municipality, self.team
        self.professional = UserFactory(municipality=m, team=t, role=Role.PROFESSIONAL)
        self.lead = UserFactory(municipality=m, team=t, role=Role.LEAD)
        self.lead2 = UserFactory(municipality=m, team=t, role=Role.LEAD)
        self.approver = UserFactory(municipality=m, team=t, role=Role.APPROVER)
        self.approver2 = UserFactory(municipality=m, team=t, role=Role.APPROVER)
        self.outsider = UserFactory(municipality=m, team=TeamFactory(municipality=m), role=Role.PROFESSIONAL)

    def case(self, title="Jaarabonnement trein in plaats van boetes"):
        household = Household.objects.create(municipality=self.municipality, area="Zuidoost")
        case = Case.objects.create(
            municipality=self.municipality,
            household=household,
            team=self.team,
            title=title,
            question="Ik wil met de trein kunnen reizen.",
            created_by=self.professional,
        )
        Involvement.objects.create(
            municipality=self.municipality, case=case, user=self.professional, role_in_case="casusregisseur"
        )
        return case

    def fund(self, amount_cents=250_000_00, year=None):
        return services.create_fund(
            self.approver,
            team=self.team,
            year=year or datetime.date.today().year,
            name="Handgeld",
            amount_cents=amount_cents,
        )

    def train_pass_plan(self, case=None, submit=True):
        case = case or self.case()
        plan = services.start_plan(self.professional, case)
        for scenario, desc, unit, amount, qty, funder in (
            ("do_nothing", "Detentie", "year", 5_000_000, 1, "justice"),
            ("do_nothing", "Casusoverleg met zes professionals", "each", 150_000, 6, "wmo"),
            ("regular", "Begeleiding", "hour", 8_520, 104, "wmo"),
            ("custom", "NS-jaarabonnement", "year", 300_000, 1, "wmo"),
        ):
            services.add_line(
                self.professional,
                plan,
                scenario=scenario,
                description=desc,
                unit=unit,
                amount_cents=amount,
                quantity=Decimal(qty),
                duration=Decimal(1),
                funder=funder,
            )
        services.update_plan(
            self.professional,
            plan,
            justification_legality="Wmo maatwerk",
            justification_return="Justitie bespaart detentie",
            justification_engagement="Meneer koos zelf",
        )
        if submit:
            services.submit_plan(self.professional, plan)
        return Plan.objects.get(pk=plan.pk)


__all__ = ["World", "Fund", "PlanLine"]
