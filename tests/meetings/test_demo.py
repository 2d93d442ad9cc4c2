"""The demo meetings load through the services, are published with their takeaways, and load once."""

import pytest
from django.urls import reverse

from doorbraak.core.models import Role
from doorbraak.demo import initiatives as demo_initiatives
from doorbraak.demo import meetings as demo_meetings
from doorbraak.meetings.models import Meeting, Takeaway
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_meetings_from_the_seeds(client):
    demo_initiatives.load()
    UserFactory(username="demo-moderator", role=Role.MODERATOR)
    assert demo_meetings.load() == 3
    assert demo_meetings.load() == 0  # idempotent
    july = Meeting.objects.get(starts_at__date="2018-07-05")
    assert july.place == "Den Haag" and july.programme.filter(initiative__slug="bibliotheken-informatie-dichtbij")
    assert Takeaway.objects.filter(moderation="approved").count() == 7
    html = client.get(reverse("meetings:detail", args=[july.pk])).content.decode()
    assert "vraag achter de vraag" in html
    page = client.get(reverse("initiatives:detail", args=["life-goals"])).content.decode()
    assert "Programmadag Zorg en Sociaal Samen 2018" in page
    listing = client.get(reverse("meetings:list")).content.decode()
    assert "Leersessie: casusbespreking met informele zorg" in listing
