"""The moderation queue in pages (issue 15 point 4): 25 pending comments and 25 pending submissions at a time,
oldest first, each section with its own next link (a seek on (created_at, id)), the exact number waiting, and after
a decision the moderator is back at the same place in the queue."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from doorbraak.core.models import Role
from doorbraak.initiatives.models import Comment, Moderation, Submission
from tests.factories import UserFactory

from .conftest import login_verified
from .factories import CommentFactory, InitiativeFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("initiatives:moderation")
BASE = timezone.now() - datetime.timedelta(days=30)


@pytest.fixture
def moderator(client):
    user = UserFactory(role=Role.MODERATOR)
    login_verified(client, user)
    return user


def add_comments(n, start=0):
    """`n` pending comments; every three share a time (the id decides). Returns their ids, oldest first."""
    initiative = InitiativeFactory()
    made = [CommentFactory(initiative=initiative, body=f"Reactie nummer {i}") for i in range(start, start + n)]
    for i, comment in enumerate(made, start):
        Comment.objects.filter(pk=comment.pk).update(created_at=BASE + datetime.timedelta(minutes=i // 3))
    return [c.pk for c in made]


def add_submissions(n, start=0):
    made = [SubmissionFactory(name=f"Aanmelding nummer {i}") for i in range(start, start + n)]
    for i, submission in enumerate(made, start):
        Submission.objects.filter(pk=submission.pk).update(created_at=BASE + datetime.timedelta(minutes=i // 3))
    return [s.pk for s in made]


def comments_shown(html):
    return [int(pk) for pk in re.findall(r'href="/initiatieven/moderatie/reactie/(\d+)/', html)]


def submissions_shown(html):
    return [int(pk) for pk in re.findall(r'href="/initiatieven/moderatie/aanmelding/(\d+)/', html)]


def next_link(html, label):
    found = re.search(rf'rel="next" href="([^"]+)">{label}<', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_each_section_pages_on_its_own_oldest_first_without_gaps(client, moderator):
    comments = add_comments(60)
    submissions = add_submissions(30)
    CommentFactory(moderation=Moderation.APPROVED, body="Al goedgekeurd")
    url, seen, pages = QUEUE, [], 0
    while url:
        html = client.get(url).content.decode()
        assert "Reacties die wachten (60)" in html and "Aanmeldingen die wachten (30)" in html
        assert "Al goedgekeurd" not in html
        seen.append(comments_shown(html))
        if pages == 0:
            assert submissions_shown(html) == submissions[:25]
        nxt = next_link(html, "Volgende reacties")
        url = QUEUE + nxt if nxt else None
        pages += 1
    assert [len(ids) for ids in seen] == [25, 25, 10]
    assert [pk for ids in seen for pk in ids] == comments  # oldest first, none twice, none missing
    # The submissions' next link keeps the comments' place, and the other way round.
    html = client.get(QUEUE).content.decode()
    to_submissions = next_link(html, "Volgende aanmeldingen")
    second = client.get(QUEUE + to_submissions).content.decode()
    assert submissions_shown(second) == submissions[25:]
    assert comments_shown(second) == comments[:25]
    both = client.get(QUEUE + next_link(second, "Volgende reacties")).content.decode()
    assert comments_shown(both) == comments[25:50] and submissions_shown(both) == submissions[25:]
    assert "Naar de oudste reacties" in both and "Naar de oudste aanmeldingen" in both


def test_after_a_decision_the_moderator_is_back_at_the_same_place(client, moderator):
    comments = add_comments(60)
    html = client.get(QUEUE).content.decode()
    second_page = QUEUE + next_link(html, "Volgende reacties")
    html = client.get(second_page).content.decode()
    assert comments_shown(html) == comments[25:50]
    review = re.search(rf'href="(/initiatieven/moderatie/reactie/{comments[30]}/[^"]*)"', html).group(1)
    review = review.replace("&amp;", "&")
    assert "reacties_na=" in review
    response = client.post(review, {"action": "approve", "body": "Mooi.", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == second_page.split("#")[0]
    html = client.get(response["Location"]).content.decode()
    assert "Reactie: Goedgekeurd." in html
    assert comments_shown(html) == comments[25:30] + comments[31:51]
    assert "Reacties die wachten (59)" in html


def test_a_malformed_return_position_is_dropped(client, moderator):
    comments = add_comments(3)
    response = client.post(
        reverse("initiatives:moderate_comment", args=[comments[0]]) + "?reacties_na=https://elders.example&x=1",
        {"action": "spam", "body": "Mooi.", "reason": ""},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE


@pytest.mark.parametrize(
    "query", ["reacties_na=abc", "aanmeldingen_na=-1-2", "reacties_na=1-", "reacties_na=" + "9" * 30 + "-1"]
)
def test_a_malformed_position_shows_the_oldest(client, moderator, query):
    comments = add_comments(30)
    submissions = add_submissions(30)
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert comments_shown(html) == comments[:25] and submissions_shown(html) == submissions[:25]


def test_the_queue_runs_the_same_queries_with_30_and_with_60_pending(client, moderator, django_assert_num_queries):
    add_comments(30)
    add_submissions(30)
    assert client.get(QUEUE).status_code == 200  # warms per-process caches
    # session, user, its devices; per section the 26 rows and the count; the draft pages (no session save: an
    # active session is saved at most once a minute)
    with django_assert_num_queries(8):
        html = client.get(QUEUE).content.decode()
    assert len(comments_shown(html)) == 25 and len(submissions_shown(html)) == 25
    add_comments(30, start=30)
    add_submissions(30, start=30)
    with django_assert_num_queries(8):
        html = client.get(QUEUE).content.decode()
    assert "Reacties die wachten (60)" in html and "Aanmeldingen die wachten (60)" in html
    with django_assert_num_queries(8):
        html = client.get(QUEUE + next_link(html, "Volgende reacties")).content.decode()
    assert len(comments_shown(html)) == 25
