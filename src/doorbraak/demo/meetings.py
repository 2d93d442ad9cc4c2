"""Demo programme meetings (issue 18): the 2018 programme day and the July 2018 meeting in The Hague from the seed
texts, with takeaways in our own words, plus one upcoming learning session to register for. Everything goes
through doorbraak.meetings.services as demo-moderator (the organiser). Idempotent: a meeting is matched by title."""

import datetime
import secrets

from django.utils import timezone

from doorbraak.core.models import User
from doorbraak.demo import data
from doorbraak.initiatives.models import Initiative
from doorbraak.meetings import services
from doorbraak.meetings.models import Meeting


def _at(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def load(stdout=None):
    organiser = User.objects.filter(username="demo-moderator").first()
    if organiser is None:
        return 0
    created = 0
    for entry in data("meetings", "meetings"):
        if Meeting.objects.filter(title=entry["title"]).exists():
            continue
        meeting = services.create_meeting(
            organiser,
            title=entry["title"],
            starts_at=_at(entry["starts_at"]),
            ends_at=_at(entry["ends_at"]),
            registration_deadline=_at(entry["deadline"]),
            capacity=entry["capacity"],
            place=entry["place"],
            summary=entry["summary"],
            organiser_name=entry["organiser_name"],
            report=entry["report"],
        )
        slugs = {i.slug: i for i in Initiative.objects.filter(is_published=True)}
        for item in entry["programme"]:
            services.add_programme_item(
                organiser,
                meeting,
                title=item["title"],
                speaker=item["speaker"],
                starts_at=datetime.time.fromisoformat(item["time"]),
                initiative=slugs.get(item["initiative"] or ""),
            )
        for t in entry["takeaways"]:
            takeaway, _new = services.submit_takeaway(
                meeting,
                form_token=secrets.token_hex(16),
                takeaway=t["takeaway"],
                need=t["need"],
                tags=t["tags"],
                initiative_ids=[slugs[s].pk for s in t["initiatives"] if s in slugs],
                consent_to_publish=True,
            )
            services.decide_takeaway(organiser, takeaway.pk, "approved")
        created += 1
    upcoming = data("meetings", "upcoming")
    if not Meeting.objects.filter(title=upcoming["title"]).exists():
        start = (timezone.now() + datetime.timedelta(days=upcoming["days_from_now"])).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        services.create_meeting(
            organiser,
            title=upcoming["title"],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            registration_deadline=start - datetime.timedelta(days=2),
            capacity=upcoming["capacity"],
            place=upcoming["place"],
            summary=upcoming["summary"],
            organiser_name=upcoming["organiser_name"],
        )
        created += 1
    if stdout is not None:
        stdout.write(f"meetings: {created} created\n")
    return created
