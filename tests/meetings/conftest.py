import datetime

import pytest
from django.utils import timezone

from doorbraak.core.models import Role
from doorbraak.meetings import services
from tests.factories import UserFactory


@pytest.fixture
def organiser(db):
    return UserFactory(role=Role.MODERATOR, first_name="Olga", last_name="Organisator")


def make_meeting(organiser, *, days=14, capacity=30, deadline_days=None, title="Leren van de regio", **kw):
    start = (timezone.now() + datetime.timedelta(days=days)).replace(hour=13, minute=0, second=0, microsecond=0)
    deadline = start - datetime.timedelta(days=1 if deadline_days is None else deadline_days)
    return services.create_meeting(
        organiser,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        registration_deadline=deadline,
        capacity=capacity,
        place=kw.pop("place", "Den Haag, Koninklijke Bibliotheek"),
        summary=kw.pop("summary", "Tussenresultaten van het bibliotheekonderzoek."),
        **kw,
    )


@pytest.fixture
def meeting(organiser):
    return make_meeting(organiser)


@pytest.fixture
def past_meeting(organiser):
    return make_meeting(organiser, days=-30, title="Programmadag 2018")


def solve(html: str) -> dict:
    from tests.initiatives.conftest import solve as registry_solve

    token, answer = registry_solve(html)
    return {"challenge": token, "challenge_answer": answer}
