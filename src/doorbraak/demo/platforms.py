"""Demo data of this app (manage.py load_demo): the case platform of every story case that has one, and then
the nazorg of the stories that have it (cases.demo.load_follow_up needs the breakthrough dates).

Participants of story organisations without a demo account are recorded by organisation and role only.
Idempotent: a case that already has a platform is skipped."""

import datetime

from django.utils import timezone

from doorbraak.cases import services as case_services
from doorbraak.cases.models import Case
from doorbraak.core.models import Municipality, Organisation, User
from doorbraak.demo import stories
from doorbraak.demo.cases import load_follow_up, partner_username
from doorbraak.platforms.models import (
    Platform,
    PlatformAction,
    PlatformBlocker,
    PlatformDecision,
    PlatformEvaluation,
    PlatformParticipant,
)


def load(stdout=None):
    municipality = Municipality.objects.filter(code="GM0796").first()
    if municipality is None:
        return
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    lead = users["demo-lead"]
    today = timezone.localdate()
    created = 0
    for story in stories():
        data = story.get("platform")
        case = Case.objects.filter(municipality=municipality, title=story["title"]).first()
        if data and case is not None and data.get("solution_kind"):
            # Also fills in demo platforms loaded before solution kinds existed.
            Platform.objects.filter(case=case, breakthrough_on__isnull=False, solution_kind="").update(
                solution_kind=data["solution_kind"]
            )
        if not data or case is None or Platform.objects.filter(case=case).exists():
            continue
        days = data.get("days_to_breakthrough")
        # The table met three weeks (plus the story's "weeks_earlier") before the breakthrough's days: the stories'
        # breakthrough dates differ, as real ones do.
        convened_on = today - datetime.timedelta(days=(days or 0) + 21 + 7 * int(data.get("weeks_earlier") or 0))
        platform = Platform.objects.create(
            municipality=municipality,
            case=case,
            convened_on=convened_on,
            convened_by=lead,
            first_problem=data["first_problem"],
            client_present=data.get("client_present", False),
            experience_expert_present=data.get("experience_expert_present", False),
            breakthrough=data.get("breakthrough", "") if days is not None else "",
            breakthrough_on=convened_on + datetime.timedelta(days=days) if days is not None else None,
            solution_kind=data.get("solution_kind", "") if days is not None else "",
        )
        by_org = {}
        for row in data.get("participants", []):
            role = row.get("role", "")[:120]
            chair = "doorbraakregisseur" in role or "voorzitter" in role
            username = "demo-lead" if chair else partner_username(row["organisation"])
            user = users.get(username) if username else None
            if user is not None and PlatformParticipant.objects.filter(platform=platform, user=user).exists():
                user = None
            organisation = user.organisation if user is not None and user.organisation_id else None
            if organisation is None:
                organisation, _c = Organisation.objects.get_or_create(
                    municipality=municipality, name=row["organisation"][:160]
                )
            participant = PlatformParticipant.objects.create(
                municipality=municipality, platform=platform, user=user, organisation=organisation, role=role
            )
            by_org.setdefault(row["organisation"], participant)
        if not PlatformParticipant.objects.filter(platform=platform, user=lead).exists():
            participant = PlatformParticipant.objects.create(
                municipality=municipality,
                platform=platform,
                user=lead,
                organisation=lead.organisation,
                role="doorbraakregisseur (voorzitter)",
            )
            by_org.setdefault("__lead__", participant)
        first = next(iter(by_org.values()))
        for row in data.get("actions", []):
            due = convened_on + datetime.timedelta(days=row.get("days_after_meeting", 7))
            PlatformAction.objects.create(
                municipality=municipality,
                platform=platform,
                what=row["what"][:300],
                owner=by_org.get(row.get("owner_organisation"), first),
                due_on=due,
                created_by=lead,
                done_on=min(due, today) if row.get("done") else None,
            )
        for row in data.get("decisions", []):
            PlatformDecision.objects.create(
                municipality=municipality,
                platform=platform,
                text=row["text"],
                by_lead=row.get("by_lead", False),
                decided_by=lead,
                decided_on=convened_on,
            )
        evaluation = data.get("evaluation")
        if evaluation:
            saved = PlatformEvaluation.objects.create(
                municipality=municipality,
                platform=platform,
                helped=evaluation["helped"],
                blocked=evaluation.get("blocked", ""),
                client_satisfaction=evaluation["client_satisfaction"],
                professional_satisfaction=evaluation["professional_satisfaction"],
                evaluated_by=lead,
                evaluated_on=min(today, (platform.breakthrough_on or convened_on) + datetime.timedelta(days=7)),
            )
            for code in dict.fromkeys(evaluation.get("blocker_tags", [])):
                PlatformBlocker.objects.create(municipality=municipality, evaluation=saved, code=code)
        # The case's status and timeline through the cases service (CASE_FLOW), dated as the story tells it.
        at = timezone.make_aware(datetime.datetime.combine(convened_on, datetime.time(10, 0)))
        case_services.set_status(lead, case, Case.Status.PLATFORM, "Casusplatform bijeengeroepen", at=at)
        if platform.breakthrough_on:
            case_services.set_status(
                lead,
                case,
                Case.Status.BREAKTHROUGH,
                f"Doorbraak na {days} dagen",
                at=timezone.make_aware(datetime.datetime.combine(platform.breakthrough_on, datetime.time(16, 0))),
            )
        created += 1
    if stdout:
        stdout.write(f"Casusplatforms: {created} aangemaakt.")
    load_follow_up(stdout)
