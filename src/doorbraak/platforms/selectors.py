"""Reads of the case platform, through the case's need-to-know gate."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from doorbraak.cases.selectors import get_case_for

from .models import Platform, PlatformEvaluation


def get_platform_for(user, case_id, pk):
    case = get_case_for(user, case_id)
    platform = get_object_or_404(Platform.objects.select_related("convened_by"), pk=pk, case=case)
    platform.case = case
    return platform


def platform_detail(platform):
    return {
        "participants": list(platform.participants.select_related("user", "organisation")),
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
        raise Http404
    return platform
