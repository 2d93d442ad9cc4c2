"""Demo data of this app (manage.py load_demo): the story cases of product.md (demo/data/stories.json).

demo-lead's team (Sociaal team Noord) holds every story case; demo-professional is involved in about half;
partner professionals are involved where their organisation sits at the table; demo-other (Leeuwarden) in
none. Idempotent: a story whose case title exists is skipped."""

import datetime

from django.utils import timezone

from doorbraak.cases import services
from doorbraak.cases.models import (
    Case,
    CaseFunder,
    DomainScore,
    FollowUpMoment,
    Household,
    Involvement,
    Person,
    TimelineEntry,
)
from doorbraak.core.models import Municipality, Team, User
from doorbraak.demo import stories

# Which demo partner account stands for a story organisation (by a word in its name).
PARTNER_BY_KEYWORD = [
    ("woningcorporatie", "demo-corporatie"),
    ("ggz", "demo-ggz"),
    ("reclassering", "demo-reclassering"),
    ("ervaringsdeskundig", "demo-ervaring"),
    ("verslavingszorg", "demo-zorg"),
    ("wijkverpleging", "demo-zorg"),
]


def partner_username(organisation_name: str) -> str | None:
    lowered = organisation_name.lower()
    return next((user for word, user in PARTNER_BY_KEYWORD if word in lowered), None)


def load(stdout=None):
    municipality = Municipality.objects.filter(code="GM0796").first()
    if municipality is None:
        return
    team = Team.objects.get(municipality=municipality, name="Sociaal team Noord")
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    lead, professional = users["demo-lead"], users["demo-professional"]
    today = timezone.localdate()
    created = 0
    for index, story in enumerate(stories()):
        if Case.objects.filter(municipality=municipality, title=story["title"]).exists():
            continue
        household = Household.objects.create(municipality=municipality, area=story.get("area", ""))
        for member in story["members"]:
            Person.objects.create(
                municipality=municipality,
                household=household,
                first_name=member["first_name"],
                last_name=member["last_name"],
                bsn=member.get("bsn", ""),
                date_of_birth=datetime.date.fromisoformat(member["date_of_birth"]),
                relation=member.get("relation", "main"),
            )
        opened = today - datetime.timedelta(days=60 + 7 * index)
        case = Case.objects.create(
            municipality=municipality,
            household=household,
            team=team,
            title=story["title"],
            question=story["question"],
            tried=story.get("tried", ""),
            created_by=lead,
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9, 0))),
            stuck_since=opened - datetime.timedelta(weeks=8 + index),
        )
        for funder in dict.fromkeys(story.get("funders", [])):
            CaseFunder.objects.create(municipality=municipality, case=case, funder=funder)
        for row in story.get("domains", []):
            DomainScore.objects.create(
                municipality=municipality,
                case=case,
                domain=row["domain"],
                score=row["score"],
                scored_on=opened,
                scored_by=lead,
            )
        involved = [(lead, "doorbraakregisseur")]
        if index % 2 == 0:
            involved.append((professional, "casusregisseur"))
        for participant in (story.get("platform") or {}).get("participants", []):
            username = partner_username(participant["organisation"])
            if username in users and all(u.username != username for u, _r in involved):
                involved.append((users[username], participant.get("role", "")[:120]))
        for user, role in involved:
            Involvement.objects.create(
                municipality=municipality, case=case, user=user, organisation=user.organisation, role_in_case=role
            )
        TimelineEntry.objects.create(
            municipality=municipality,
            case=case,
            actor=lead,
            kind="case.opened",
            summary="Casus geopend",
            at=case.opened_at,
        )
        created += 1
    if stdout:
        stdout.write(f"Casussen: {created} demoverhalen aangemaakt.")


def load_follow_up(stdout=None):
    """Nazorg of the stories with a "follow_up" key: the default schedule (every four weeks for three months
    from the breakthrough), extra moments and measurements over time, written through the services as the
    demo lead. Runs after the platforms are loaded (platforms/demo.py calls it), so the schedule starts at the
    real breakthrough date. Idempotent: a case that already has evaluation moments is skipped."""
    municipality = Municipality.objects.filter(code="GM0796").first()
    lead = User.objects.filter(username="demo-lead").first()
    if municipality is None or lead is None:
        return
    loaded = 0
    for story in stories():
        data = story.get("follow_up")
        case = Case.objects.filter(municipality=municipality, title=story["title"]).first()
        if not data or case is None or FollowUpMoment.objects.filter(case=case).exists():
            continue
        start = services.default_follow_up_start(case)
        services.plan_follow_up(lead, case, start=start)
        moments = {}
        for row in data.get("extra_moments", []):
            moment = services.add_follow_up(
                lead, case, due_on=start + datetime.timedelta(days=row["days_after_breakthrough"])
            )
            if "measurement" in row:
                moments[row["measurement"]] = moment
        for index, row in enumerate(data.get("measurements", [])):
            services.record_measurement(
                lead,
                case,
                measured_on=start + datetime.timedelta(days=row["days_after_breakthrough"]),
                participation_step=row["participation_step"],
                client_satisfaction=row.get("client_satisfaction"),
                professional_satisfaction=row.get("professional_satisfaction"),
                note=row.get("note", ""),
                scores=row.get("scores", {}),
                follow_up=moments.get(index),
            )
        loaded += 1
    if stdout:
        stdout.write(f"Nazorg: {loaded} casussen met evaluatieschema en metingen.")
