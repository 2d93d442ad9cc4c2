import datetime

from doorbraak.platforms.models import Platform, PlatformParticipant


def make_platform(case, lead, convened_on=None, participants=()):
    platform = Platform.objects.create(
        municipality=case.municipality,
        case=case,
        convened_by=lead,
        convened_on=convened_on or datetime.date.today(),
        first_problem="Ik heb geen plek om te wonen.",
    )
    for user in (lead, *participants):
        PlatformParticipant.objects.create(
            municipality=case.municipality,
            platform=platform,
            user=user,
            organisation=user.organisation,
            role="deelnemer",
        )
    return platform
