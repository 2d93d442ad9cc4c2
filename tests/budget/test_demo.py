"""The budget demo: five stories from plan to payment (car as a loan), idempotent."""

import pytest

from doorbraak.budget import selectors
from doorbraak.budget.models import EntryKind, Fund, LedgerEntry, Loan, Plan
from doorbraak.cases.models import Case
from doorbraak.demo import budget as demo
from doorbraak.demo import core as core_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_five_stories_and_is_idempotent(settings):
    core_demo.load()
    demo.load()
    demo.load()
    for title in (
        "Jaarabonnement trein in plaats van boetes",
        "Sportschool als hulpverlener",
        "Plantenbakken in eigen tuin in plaats van dagbesteding ver weg",
        "Hulphond in plaats van verpleeghuis",
    ):
        plan = Plan.objects.get(case__title=title)
        assert plan.status == Plan.Status.APPROVED
        assert LedgerEntry.objects.filter(plan=plan, kind=EntryKind.PAYMENT).count() == 1
    car = Plan.objects.get(case__title="Auto op lening om bij een nieuwe baan te komen")
    assert Loan.objects.get(plan=car).amount_cents == 800_000
    assert Plan.objects.filter(status=Plan.Status.SUBMITTED).count() == 1
    assert Case.objects.filter(title="Jaarabonnement trein in plaats van boetes").count() == 1
    fund = Fund.objects.get(name="Handgeld")
    assert fund.available_cents == selectors.recompute_balance(fund) > 0
    train = Plan.objects.get(case__title="Jaarabonnement trein in plaats van boetes")
    assert selectors.plan_money(train)["paid"] == 300_000
