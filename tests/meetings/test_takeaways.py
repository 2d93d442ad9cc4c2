"""Takeaways and needs: moderated publication with consent, escaped text, the initiative page, follow-ups."""

import pytest
from django.urls import reverse

from doorbraak.core.errors import RuleError
from doorbraak.core.permissions import Refused
from doorbraak.meetings import services
from doorbraak.meetings.models import FollowUp, Takeaway
from tests.factories import UserFactory
from tests.helpers.browser import session_cookie_for
from tests.initiatives.factories import InitiativeFactory

from .conftest import make_meeting, solve

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script><b>vet</b> '


def _login(client, user):
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie_for(user)["value"]


def _send(client, meeting, **fields):
    url = reverse("meetings:takeaway", args=[meeting.pk])
    data = {
        "takeaway": "Casusbesprekingen ga ik informeel en formeel gebruiken.",
        "need": "Mijn leidinggevende en het netwerk informele zorg.",
        "tags": ["people", "mandate"],
        "consent_to_publish": "on",
        "show_name": "name",
        "name": "Els",
        "organisation": "Gemeente Utrecht",
        **solve(client.get(url).content.decode()),
    }
    data.update(fields)
    return client.post(url, data)


def test_takeaway_moderated_then_on_meeting_and_initiative_page(client, past_meeting, organiser):
    initiative = InitiativeFactory(name="Ambassadeurs informele zorg")
    response = _send(client, past_meeting, initiatives=[str(initiative.pk)], takeaway=MARKUP + "meenemen")
    assert response.status_code == 302
    item = Takeaway.objects.get()
    assert item.moderation == "pending" and item.tags == ["people", "mandate"]
    detail = reverse("meetings:detail", args=[past_meeting.pk])
    assert "meenemen" not in client.get(detail).content.decode()  # not before moderation
    services.decide_takeaway(organiser, item.pk, "approved")
    html = client.get(detail).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt; meenemen" in html
    assert "<script>alert" not in html
    assert "Els, Gemeente Utrecht" in html
    page = client.get(reverse("initiatives:detail", args=[initiative.slug])).content.decode()
    assert "Wat deelnemers van bijeenkomsten meenemen" in page and "meenemen" in page
    assert past_meeting.title in page


def test_too_long_takeaway_with_markup_keeps_the_text(client, past_meeting):
    long_text = (MARKUP * 200)[:5000]
    response = _send(client, past_meeting, takeaway=long_text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze tekst is te lang: gebruik hoogstens 2000 tekens (u gebruikte er 5000)." in html
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html  # kept, escaped
    assert not Takeaway.objects.exists()


def test_anonymous_and_without_consent(client, past_meeting, organiser):
    _send(client, past_meeting, show_name="anonymous", takeaway="Anoniem meegenomen.")
    _send(client, past_meeting, consent_to_publish="", takeaway="Alleen voor de organisator.")
    anonymous, private = Takeaway.objects.order_by("pk")
    services.decide_takeaway(organiser, anonymous.pk, "approved")
    with pytest.raises(RuleError, match="geen toestemming"):
        services.decide_takeaway(organiser, private.pk, "approved")
    html = client.get(reverse("meetings:detail", args=[past_meeting.pk])).content.decode()
    assert "Anoniem meegenomen." in html and "Een deelnemer" in html and "Els" not in html
    assert "Alleen voor de organisator." not in html
    with pytest.raises(RuleError, match="al besloten"):  # a second decision
        services.decide_takeaway(organiser, anonymous.pk, "rejected", reason="dubbel")


def test_takeaway_not_before_the_meeting_and_name_needed_when_shown(client, organiser):
    future = make_meeting(organiser)
    response = _send(client, future)
    assert response.status_code == 400 and "tijdens of na de bijeenkomst" in response.content.decode()
    past = make_meeting(organiser, days=-3)
    response = _send(client, past, name="")
    assert (
        response.status_code == 400 and "Vul uw naam in, of kies om anoniem te publiceren." in response.content.decode()
    )


def test_only_organisers_moderate_and_follow_up(client, past_meeting, organiser):
    _send(client, past_meeting)
    item = Takeaway.objects.get()
    professional = UserFactory(role="professional")
    with pytest.raises(Refused):
        services.decide_takeaway(professional, item.pk, "approved")
    with pytest.raises(Refused):
        services.create_follow_up(professional, kind="introduction", need="people", title="x", takeaway_ids=[item.pk])
    _login(client, professional)
    assert client.get(reverse("meetings:needs")).status_code == 404
    assert client.get(reverse("meetings:moderate", args=[item.pk])).status_code == 404


def test_recurring_need_becomes_a_follow_up_with_status(client, past_meeting, organiser):
    _send(client, past_meeting)
    _send(client, past_meeting, tags=["budget"], need="Budget voor Life Goals.")
    people = Takeaway.objects.get(need_people=True)
    _login(client, organiser)
    page = client.get(reverse("meetings:needs")).content.decode()
    assert "Nodig: mensen (1)" in page and "Nodig: budget (1)" in page
    response = client.post(
        reverse("meetings:follow_up_create"),
        {"need": "people", "kind": "introduction", "title": "Kennismaking met het netwerk", "takeaways": [people.pk]},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    people.refresh_from_db()
    assert people.follow_up == follow_up
    wrong = client.post(
        reverse("meetings:follow_up_create"),
        {"need": "budget", "kind": "budget_request", "title": "x", "takeaways": [people.pk]},
    )
    assert "Kies alleen opbrengsten met deze behoefte." in client.get(wrong["Location"]).content.decode()
    client.post(reverse("meetings:follow_up_status", args=[follow_up.pk]), {"status": "done"})
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.done_at is not None
    figures = client.get(reverse("meetings:programme")).content.decode()
    assert "1 van 1" in figures


def test_moderation_page_publishes(client, past_meeting, organiser):
    _send(client, past_meeting)
    item = Takeaway.objects.get()
    _login(client, organiser)
    assert "Beoordeel opbrengst 1" in client.get(reverse("meetings:moderation")).content.decode()
    url = reverse("meetings:moderate", args=[item.pk])
    missing_reason = client.post(url, {"action": "reject", "reason": ""})
    assert missing_reason.status_code == 400 and "Geef een reden om af te wijzen." in missing_reason.content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 302
    item.refresh_from_db()
    assert item.moderation == "approved" and item.decided_by == organiser
