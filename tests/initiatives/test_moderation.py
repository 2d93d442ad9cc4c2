"""Moderation queue: who may use it, approve/edit/reject/spam, draft pages, retention of personal data."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from doorbraak.core.models import Role
from doorbraak.initiatives import services
from doorbraak.initiatives.models import Comment, Initiative, Moderation, Submission
from tests.factories import UserFactory

from .conftest import login_verified
from .factories import CommentFactory, InitiativeFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("initiatives:moderation")


@pytest.fixture
def moderator(client):
    user = UserFactory(role=Role.MODERATOR)
    login_verified(client, user)
    return user


def test_anonymous_is_sent_to_login_and_others_get_404(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    comment = CommentFactory()
    login_verified(client, UserFactory(role=Role.PROFESSIONAL))
    assert client.get(QUEUE).status_code == 404
    assert (
        client.post(reverse("initiatives:moderate_comment", args=[comment.pk]), {"action": "approve"}).status_code
        == 404
    )
    comment.refresh_from_db()
    assert comment.moderation == Moderation.PENDING


def test_queue_lists_pending_items_only(client, moderator):
    CommentFactory(body="Wacht nog")
    CommentFactory(body="Al goed", moderation=Moderation.APPROVED)
    SubmissionFactory(name="Nieuw initiatief")
    html = client.get(QUEUE).content.decode()
    assert "Wacht nog" in html and "Al goed" not in html
    assert "Nieuw initiatief" in html


def test_moderator_edits_and_approves_a_comment(client, moderator):
    comment = CommentFactory(body="Mooi initiatief, bel 06-12345678")
    url = reverse("initiatives:moderate_comment", args=[comment.pk])
    response = client.post(url, {"action": "approve", "body": "Mooi initiatief.", "reason": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.moderation == Moderation.APPROVED
    assert comment.body == "Mooi initiatief."
    assert comment.edited_by_moderator and comment.decided_by == moderator
    page = client.get(reverse("initiatives:detail", args=[comment.initiative.slug])).content.decode()
    assert "Mooi initiatief." in page and "06-12345678" not in page
    assert "aangepast door de moderator" in page


def test_reject_needs_a_reason(client, moderator):
    comment = CommentFactory(body="Onzin")
    url = reverse("initiatives:moderate_comment", args=[comment.pk])
    response = client.post(url, {"action": "reject", "body": "Onzin", "reason": ""})
    assert response.status_code == 400
    assert "Geef een reden om af te wijzen." in response.content.decode()
    client.post(url, {"action": "reject", "body": "Onzin", "reason": "Gaat niet over het initiatief"})
    comment.refresh_from_db()
    assert comment.moderation == Moderation.REJECTED
    assert comment.rejection_reason == "Gaat niet over het initiatief"
    # Decided items leave the queue; a second decision is not possible.
    assert client.get(url).status_code == 404


def test_spam_is_never_shown(client, moderator):
    comment = CommentFactory(body="Koop nu goedkope pillen")
    client.post(reverse("initiatives:moderate_comment", args=[comment.pk]), {"action": "spam", "body": comment.body})
    comment.refresh_from_db()
    assert comment.moderation == Moderation.SPAM
    assert "pillen" not in client.get(reverse("initiatives:detail", args=[comment.initiative.slug])).content.decode()


def test_approved_submission_becomes_a_draft_that_the_moderator_publishes(client, moderator):
    submission = SubmissionFactory(name="Samen Sterk", description="Buren helpen buren.")
    url = reverse("initiatives:moderate_submission", args=[submission.pk])
    response = client.post(
        url, {"action": "approve", "name": "Samen Sterk Zwolle", "place": "Zwolle", "description": "Buren helpen."}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    draft = submission.initiative
    assert draft.name == "Samen Sterk Zwolle" and not draft.is_published
    assert draft.links == [{"label": "Meer informatie", "url": "https://www.voorbeeld.nl"}]
    client.logout()
    assert client.get(reverse("initiatives:detail", args=[draft.slug])).status_code == 404
    assert "Samen Sterk" not in client.get(reverse("initiatives:list")).content.decode()
    login_verified(client, moderator)
    page = client.get(reverse("initiatives:detail", args=[draft.slug])).content.decode()
    assert "Dit is een concept" in page
    client.post(reverse("initiatives:publish", args=[draft.pk]))
    client.logout()
    assert client.get(reverse("initiatives:detail", args=[draft.slug])).status_code == 200
    assert "Samen Sterk Zwolle" in client.get(reverse("initiatives:list"), {"q": "buren"}).content.decode()


def test_rejected_submission_makes_no_page(client, moderator):
    submission = SubmissionFactory()
    client.post(
        reverse("initiatives:moderate_submission", args=[submission.pk]),
        {"action": "reject", "name": submission.name, "description": "x", "reason": "Geen zorginitiatief"},
    )
    submission.refresh_from_db()
    assert submission.moderation == Moderation.REJECTED and submission.initiative is None
    assert Initiative.objects.count() == 0


def test_rejection_without_reason_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    comment = CommentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(moderation=Moderation.REJECTED, rejection_reason="")


def test_service_refuses_non_moderators():
    from django.core.exceptions import PermissionDenied

    comment = CommentFactory()
    with pytest.raises(PermissionDenied):
        services.decide_comment(UserFactory(role=Role.ADMIN), comment.pk, Moderation.APPROVED)


def test_purge_submitter_data_after_retention_period():
    old_comment = CommentFactory(submitter_name="Anna", submitter_email="anna@example.org")
    fresh_submission = SubmissionFactory(submitter_name="Bert", submitter_email="bert@example.org")
    pending = SubmissionFactory(submitter_name="Cor", submitter_email="cor@example.org")
    moderator = UserFactory(role=Role.MODERATOR)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=100), tick=False):
        services.decide_comment(moderator, old_comment.pk, Moderation.APPROVED)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        services.decide_submission(moderator, fresh_submission.pk, Moderation.SPAM)
    call_command("purge_submitter_data")
    old_comment.refresh_from_db()
    fresh_submission.refresh_from_db()
    pending.refresh_from_db()
    assert (old_comment.submitter_name, old_comment.submitter_email) == ("", "")
    assert old_comment.personal_data_purged_at is not None
    assert old_comment.body == "Mooi initiatief."  # the public text stays
    assert fresh_submission.submitter_email == "bert@example.org"
    assert pending.submitter_email == "cor@example.org"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=61)):
        call_command("purge_submitter_data")
    fresh_submission.refresh_from_db()
    assert fresh_submission.submitter_email == ""
    assert Submission.objects.get(pk=pending.pk).submitter_email == "cor@example.org"


def test_submission_marked_as_spam_leaves_the_queue(client, moderator):
    submission = SubmissionFactory(name="Goedkope pillen")
    response = client.post(
        reverse("initiatives:moderate_submission", args=[submission.pk]),
        {"action": "spam", "name": submission.name, "description": submission.description},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.moderation == Moderation.SPAM and submission.initiative is None
    assert "Goedkope pillen" not in client.get(QUEUE).content.decode()


def test_publish_is_moderator_only(client):
    draft = InitiativeFactory(is_published=False)
    login_verified(client, UserFactory(role=Role.POLICY))
    assert client.post(reverse("initiatives:publish", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert not draft.is_published
