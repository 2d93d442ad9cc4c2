"""How the notifications app learns of events without touching the other apps' services: post_save receivers on
the rows those services already write. Each receiver only stores Notification rows (services.notify); the e-mail
goes out after the transaction commits, through the task queue."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_save
from django.urls import reverse

from doorbraak.budget.models import PlanEvent
from doorbraak.cases.models import Involvement
from doorbraak.core.models import Role, User
from doorbraak.learning.models import Story
from doorbraak.platforms.models import Escalation, PlatformAction, PlatformParticipant

from .models import Kind
from .services import notify


def platform_link(case_id, platform_id) -> str:
    return reverse("platforms:detail", kwargs={"case_id": case_id, "pk": platform_id})


def plan_link(case_id) -> str:
    return reverse("plan:detail", kwargs={"case_id": case_id})


def participant_invited(sender, instance: PlatformParticipant, created, raw=False, **kwargs):
    if not created or raw or instance.user_id is None:
        return
    platform = instance.platform
    if instance.user_id == platform.convened_by_id:  # the chair convened it themselves
        return
    notify(
        instance.user,
        Kind.INVITED,
        link=platform_link(platform.case_id, platform.pk),
        key=f"platform:{platform.pk}",
        platform_id=platform.pk,
    )


def action_assigned(sender, instance: PlatformAction, created, raw=False, **kwargs):
    if not created or raw:
        return
    owner = instance.owner
    if owner.user_id is None or owner.user_id == instance.created_by_id:
        return
    notify(
        owner.user,
        Kind.ACTION_ASSIGNED,
        link=platform_link(instance.platform.case_id, instance.platform_id),
        key=f"action:{instance.pk}",
    )


PLAN_KINDS = {"submitted": Kind.PLAN_SUBMITTED, "approved": Kind.PLAN_APPROVED, "returned": Kind.PLAN_RETURNED}


def plan_event(sender, instance: PlanEvent, created, raw=False, **kwargs):
    kind = PLAN_KINDS.get(instance.kind)
    if not created or raw or kind is None:
        return
    plan = instance.plan
    link = plan_link(plan.case_id)
    key = f"plan:{plan.pk}:{instance.pk}"
    if kind == Kind.PLAN_SUBMITTED:
        approvers = User.objects.filter(municipality_id=plan.municipality_id, role=Role.APPROVER, is_active=True)
        for approver in approvers.exclude(pk=instance.actor_id):
            notify(approver, kind, link=link, key=key)
        return
    submitter = plan.submitted_by or plan.created_by
    if submitter is not None and submitter.pk != instance.actor_id:
        notify(submitter, kind, link=link, key=key)


def escalation_recorded(sender, instance: Escalation, created, raw=False, **kwargs):
    if not created or raw:
        return
    platform = instance.platform
    case = platform.case
    at_table = PlatformParticipant.objects.filter(platform=platform, user__isnull=False).values("user_id")
    people = User.objects.filter(
        Q(pk__in=at_table) | Q(role=Role.LEAD, team_id=case.team_id),
        is_active=True,
        municipality_id=case.municipality_id,
    )
    for user in people.exclude(pk=instance.recorded_by_id):
        notify(user, Kind.ESCALATION, link=platform_link(case.pk, platform.pk), key=f"escalation:{instance.pk}")


def story_written(sender, instance: Story, created, raw=False, **kwargs):
    """A new draft story waits for a second person on the case to approve it (four eyes)."""
    if not created or raw or instance.status != Story.Status.DRAFT:
        return
    involved = Involvement.objects.filter(case_id=instance.case_id, ended_at__isnull=True).values("user_id")
    writers = User.objects.filter(pk__in=involved, is_active=True, role__in=[Role.PROFESSIONAL, Role.LEAD])
    link = reverse("story:detail", kwargs={"case_id": instance.case_id, "pk": instance.pk})
    for user in writers.exclude(pk=instance.created_by_id):
        notify(user, Kind.STORY_TO_APPROVE, link=link, key=f"story:{instance.pk}")


def connect() -> None:
    post_save.connect(participant_invited, sender=PlatformParticipant, dispatch_uid="notifications_invited")
    post_save.connect(action_assigned, sender=PlatformAction, dispatch_uid="notifications_action")
    post_save.connect(plan_event, sender=PlanEvent, dispatch_uid="notifications_plan_event")
    post_save.connect(escalation_recorded, sender=Escalation, dispatch_uid="notifications_escalation")
    post_save.connect(story_written, sender=Story, dispatch_uid="notifications_story")
