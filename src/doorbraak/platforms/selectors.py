"""Reads of the case platform, through the case's need-to-know gate."""

from django.db.models import Prefetch, prefetch_related_objects

from doorbraak.cases.selectors import case_id_subject, case_subject, get_case_for
from doorbraak.core.access import NEED_TO_KNOW, deny, get_visible_or_404

from .models import Platform, PlatformEvaluation, PlatformParticipant


def get_platform_for(user, case_id, pk):
    case = get_case_for(user, case_id)
    platform = get_visible_or_404(
        user,
        Platform.objects.select_related("convened_by"),
        pk,
        case=case,
        subject=lambda row: case_id_subject(row.case_id),
    )
    platform.case = case
    return platform


def platform_detail(platform):
    """What the platform page shows. The participants are prefetched onto the platform, so the rule that asks
    whether the user sits at the table (permissions.at_the_table) reads them from there in the same request."""
    prefetch_related_objects(
        [platform],
        Prefetch("participants", queryset=PlatformParticipant.objects.select_related("user", "organisation")),
    )
    return {
        "participants": list(platform.participants.all()),
        "actions": list(platform.actions.select_related("owner__user", "owner__organisation")),
        "decisions": list(platform.decisions.select_related("decided_by")),
        "evaluation": PlatformEvaluation.objects.filter(platform=platform).prefetch_related("blockers").first(),
        "escalations": list(platform.escalations.all()),
    }


def printable_platform_for(user, case_id, pk):
    """Only the participants at the table (and the team's lead) may print; everyone else gets 404."""
    from .services import is_participant_or_lead

    platform = get_platform_for(user, case_id, pk)
    if not is_participant_or_lead(user, platform):
        raise deny(
            user,
            reason=NEED_TO_KNOW,
            event="platform.print",
            object_type="platforms.platform",
            object_id=platform.pk,
            subject=case_subject(platform.case),
        )
    return platform
