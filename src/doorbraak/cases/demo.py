"""Demo data of this app (manage.py load_demo): the story cases of product.md (demo_stories.STORIES).

demo-lead's team (Sociaal team Noord) holds every story case; demo-professional is involved in about half;
partner professionals are involved where their organisation sits at the table; demo-other (Leeuwarden) in
none. Idempotent: a story whose case title exists is skipped."""

import datetime

from django.utils import timezone

from doorbraak.core.models import Municipality, Team, User

from .demo_stories import STORIES
from .models import Case, CaseFunder, DomainScore, Household, Involvement, Person, TimelineEntry

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
    for index, story in enumerate(STORIES):
        if Case.objects.filter(municipality=municipality, title=story["title"]).exists():
            continue
        household = Household.objects.create(municipality=municipality, area=story.get("area", ""))
        for member in story["members"]:
            Person.objects.create(municipality=municipality, household=household, first_name=member["first_name"],
                                  last_name=member["last_name"], bsn=member.get("bsn", ""),
                                  date_of_birth=datetime.date.fromisoformat(member["date_of_birth"]),
                                  relation=member.get("relation", "main"))
        opened = today - datetime.timedelta(days=60 + 7 * index)
        case = Case.objects.create(
            municipality=municipality, household=household, team=team, title=story["title"],
            question=story["question"], tried=story.get("tried", ""), created_by=lead,
            opened_at=timezone.make_aware(datetime.datetime.combine(opened, datetime.time(9, 0))),
            stuck_since=opened - datetime.timedelta(weeks=8 + index),
        )
        for funder in dict.fromkeys(story.get("funders", [])):
            CaseFunder.objects.create(municipality=municipality, case=case, funder=funder)
        for row in story.get("domains", []):
            DomainScore.objects.create(municipality=municipality, case=case, domain=row["domain"],
                                       score=row["score"], scored_on=opened, scored_by=lead)
        involved = [(lead, "doorbraakregisseur")]
        if index % 2 == 0:
            involved.append((professional, "casusregisseur"))
        for participant in (story.get("platform") or {}).get("participants", []):
            username = partner_username(participant["organisation"])
            if username in users and all(u.username != username for u, _r in involved):
                involved.append((users[username], participant.get("role", "")[:120]))
        for user, role in involved:
            Involvement.objects.create(municipality=municipality, case=case, user=user,
                                       organisation=user.organisation, role_in_case=role)
        TimelineEntry.objects.create(municipality=municipality, case=case, actor=lead, kind="case.opened",
                                     summary="Casus geopend", at=case.opened_at)
        created += 1
    if stdout:
        stdout.write(f"Casussen: {created} demoverhalen aangemaakt.")
