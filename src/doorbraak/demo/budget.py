"""Demo data of this app (manage.py load_demo). Idempotent.

Loads the default catalogue, mandates, a hand budget for "Sociaal team Noord", and the plan of every demo
story (cases/demo_stories.py). Five stories go all the way (plan -> submitted -> approved -> paid, the car
as a conditional loan); one waits for approval; the others stay a draft. Approved plans with "realised" rows in
their story get those realised costs (nazorg), once.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from doorbraak.budget import selectors, services
from doorbraak.budget.models import Fund, MandateRule, Plan, RealisedCost
from doorbraak.cases.models import Case, Household, Involvement
from doorbraak.core.models import Municipality, Role, Team, User
from doorbraak.demo import stories

FULL_STORIES = {"train_pass", "car_loan", "gym", "flower_beds", "assistance_dog"}
AWAITING_STORIES = {"treatment"}
PAYMENTS = {"train_pass": (300_000, "NS-jaarabonnement")}  # others: the whole custom plan


def _stories():
    return stories()


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _case_for(story, municipality, team, professional):
    case = Case.objects.filter(municipality=municipality, title=story["title"]).first()
    if case is not None:
        return case
    household = Household.objects.create(municipality=municipality, area=story.get("area", ""))
    case = Case.objects.create(
        municipality=municipality,
        household=household,
        team=team,
        title=story["title"],
        question=story.get("question", ""),
        tried=story.get("tried", ""),
        created_by=professional,
    )
    Involvement.objects.create(municipality=municipality, case=case, user=professional, role_in_case="casusregisseur")
    return case


def _load_plan(story, case, users):
    data = story["plan"]
    # The demo professional drafts the plans of the cases they work on; the team's lead drafts the others (the
    # services refuse a plan of a case its author cannot see).
    editor = users["professional"]
    if not Case.objects.visible_to(editor).filter(pk=case.pk).exists():
        editor = users["lead"]
    plan = services.start_plan(editor, case)
    services.update_plan(
        editor,
        plan,
        horizon_years=data["horizon_years"],
        outcome_do_nothing=data["do_nothing"]["outcome"],
        outcome_regular=data["regular"]["outcome"],
        outcome_custom=data["custom"]["outcome"],
        justification_legality=data["justification_legality"],
        justification_return=data["justification_return"],
        justification_engagement=data["justification_engagement"],
    )
    for scenario in ("do_nothing", "regular", "custom"):
        for line in data[scenario]["lines"]:
            services.add_line(
                editor,
                plan,
                scenario=scenario,
                description=line["description"],
                unit=line["unit"],
                amount_cents=int(line["amount_cents"]),
                quantity=Decimal(str(line["quantity"])),
                duration=Decimal(str(line["duration"])),
                funder=line["funder"],
                start_month=int(line.get("start_month") or 0),
                # care by the week or the day recurs over the plan; lines without one keep the unit's own meaning
                rhythm=line.get("rhythm"),
            )
    key = story["key"]
    if key not in FULL_STORIES | AWAITING_STORIES:
        return plan
    plan = services.submit_plan(editor, plan)
    if key in AWAITING_STORIES:
        return plan
    lead_may = editor != users["lead"] and plan.requested_cents <= selectors.mandate_of(users["lead"])
    approver = users["lead"] if lead_may else users["approver"]
    plan = services.approve_plan(approver, Plan.objects.get(pk=plan.pk))
    loan = story.get("loan")
    if loan:
        deadline = timezone.localdate() + datetime.timedelta(days=31 * int(loan.get("months") or 6))
        services.grant_loan(
            users["lead"],
            plan,
            int(loan["amount_cents"]),
            condition=loan["condition"],
            deadline=deadline,
            idempotency_key=f"demo-{key}-loan",
        )
    else:
        amount, what = PAYMENTS.get(key, (plan.requested_cents, story["title"]))
        services.pay(users["lead"], plan, amount, description=what, idempotency_key=f"demo-{key}-pay")
    return plan


def _load_realised(story, case, users):
    """Nazorg: the realised costs of an approved demo plan, up to today (once: skipped when any exist)."""
    plan = Plan.objects.filter(case=case, status=Plan.Status.APPROVED).first()
    rows = story["plan"].get("realised") or []
    if plan is None or not rows or RealisedCost.objects.filter(plan=plan).exists():
        return
    for row in rows:
        services.record_realised_cost(
            users["lead"],
            plan,
            funder=row["funder"],
            amount_cents=int(row["amount_cents"]),
            up_to=timezone.localdate(),
            note=row.get("note", ""),
        )


def load(stdout=None):
    municipality = Municipality.objects.filter(code="GM0796").first()
    if municipality is None:
        return None
    for m in Municipality.objects.all():
        services.ensure_default_catalogue(m)
    for role, cents in selectors.DEFAULT_MANDATES.items():
        MandateRule.objects.get_or_create(municipality=municipality, role=role, defaults={"max_amount_cents": cents})
    team = Team.objects.filter(municipality=municipality, name="Sociaal team Noord").first()
    users = {
        name: User.objects.filter(username=f"demo-{name}").first() for name in ("professional", "lead", "approver")
    }
    if team is None or not all(users.values()) or users["approver"].role != Role.APPROVER:
        return None
    year = timezone.localdate().year
    if not Fund.objects.filter(team=team, year=year, name="Handgeld").exists():
        services.create_fund(users["approver"], team=team, year=year, name="Handgeld", amount_cents=250_000_00)
    loaded = 0
    for story in _stories():
        if not story.get("plan"):
            continue
        case = _case_for(story, municipality, team, users["professional"])
        if not Plan.objects.filter(case=case).exists():
            _load_plan(story, case, users)
            loaded += 1
        _load_realised(story, case, users)
    _say(stdout, f"budget: {loaded} demo plans loaded\n")
    return None
