"""The daily scan (tasks.scan_due_work): actions due tomorrow, evaluation moments due tomorrow, loan terms missed.

Loans: the loan's own `deadline` (the date by which its condition must be met) while it is still outstanding.
(A loan repayment schedule is being added in another branch; its terms can be added here when it lands.)"""

from __future__ import annotations

import datetime

from django.urls import reverse

from doorbraak.budget.models import Loan
from doorbraak.cases.models import Case, FollowUpMoment, Involvement
from doorbraak.core.models import User
from doorbraak.platforms.models import PlatformAction

from .models import Kind
from .receivers import plan_link, platform_link
from .services import notify


def scan(today: datetime.date) -> int:
    tomorrow = today + datetime.timedelta(days=1)
    made = 0
    actions = (
        PlatformAction.objects.filter(done_on__isnull=True, due_on=tomorrow, owner__user__isnull=False)
        .exclude(platform__case__status=Case.Status.CLOSED)
        .select_related("owner__user", "platform")
    )
    for action in actions.iterator():
        made += bool(
            notify(
                action.owner.user,
                Kind.ACTION_DUE,
                link=platform_link(action.platform.case_id, action.platform_id),
                key=f"action_due:{action.pk}:{action.due_on.isoformat()}",
            )
        )
    moments = FollowUpMoment.objects.filter(done_on__isnull=True, due_on=tomorrow).exclude(
        case__status=Case.Status.CLOSED
    )
    for moment in moments.iterator():
        involved = Involvement.objects.filter(case_id=moment.case_id, ended_at__isnull=True).values("user_id")
        for user in User.objects.filter(pk__in=involved, is_active=True):
            made += bool(
                notify(
                    user,
                    Kind.EVALUATION_DUE,
                    link=reverse("cases:detail", kwargs={"case_id": moment.case_id}),
                    key=f"evaluation:{moment.pk}:{moment.due_on.isoformat()}",
                )
            )
    loans = Loan.objects.filter(status=Loan.Status.OUTSTANDING, deadline__lt=today).select_related(
        "plan__submitted_by", "plan__created_by"
    )
    for loan in loans.iterator():
        who = loan.plan.submitted_by or loan.plan.created_by
        made += bool(
            notify(
                who,
                Kind.LOAN_TERM_MISSED,
                link=plan_link(loan.plan.case_id),
                key=f"loan:{loan.pk}:{loan.deadline.isoformat()}",
            )
        )
    return made
