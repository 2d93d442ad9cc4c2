"""Public suggestion and comment forms: challenge, honeypot, rate limit, double submit, kept input."""

import time

import pytest
import time_machine
from django.urls import reverse

from doorbraak.initiatives.models import Comment, Moderation, Submission
from doorbraak.initiatives.protection import RATE_LIMIT

from .factories import CommentFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("initiatives:submit")


def _submission_data(client, solver, **overrides):
    token, answer = solver(client.get(SUBMIT).content.decode())
    data = {
        "name": "Buurtkamer Oost",
        "place": "Zwolle",
        "link": "https://www.buurtkamer.example",
        "description": "Bewoners helpen elkaar met papieren.",
        "submitter_name": "Anna",
        "submitter_email": "anna@example.org",
        "challenge": token,
        "challenge_answer": answer,
        "website": "",
    }
    data.update(overrides)
    return data


def test_submission_page_asks_a_dutch_sum_and_says_what_happens(client):
    html = client.get(SUBMIT).content.decode()
    assert "Hoeveel is " in html and " plus " in html
    assert "Een moderator leest uw aanmelding" in html
    assert 'class="db-hp"' in html


def test_valid_submission_waits_for_moderation(client, solver):
    response = client.post(SUBMIT, _submission_data(client, solver))
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:submit_thanks")
    submission = Submission.objects.get()
    assert submission.moderation == Moderation.PENDING
    assert submission.submitter_email == "anna@example.org"
    assert submission.initiative is None


def test_double_submit_stores_one_submission(client, solver):
    data = _submission_data(client, solver)
    client.post(SUBMIT, data)
    second = client.post(SUBMIT, data)
    assert second.status_code == 302
    assert Submission.objects.count() == 1


def test_wrong_answer_keeps_everything_typed_and_asks_a_new_sum(client, solver):
    data = _submission_data(client, solver)
    data["challenge_answer"] = "99"
    response = client.post(SUBMIT, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dat antwoord is niet goed. Probeer de nieuwe rekenvraag." in html
    assert 'value="Buurtkamer Oost"' in html
    assert "Bewoners helpen elkaar met papieren." in html
    assert 'value="anna@example.org"' in html
    new_token, _ = solver(html)
    assert new_token != data["challenge"]
    assert Submission.objects.count() == 0


def test_missing_fields_give_dutch_errors_and_keep_the_answer(client, solver):
    data = _submission_data(client, solver, name="", link="geen-link met spaties")
    response = client.post(SUBMIT, data)
    html = response.content.decode()
    assert "Vul de naam van het initiatief in." in html
    assert "Dit is geen goed webadres" in html
    assert f'value="{data["challenge_answer"]}"' in html  # the correct sum is not asked again
    data.update(name="Buurtkamer Oost", link="https://www.buurtkamer.example")
    assert client.post(SUBMIT, data).status_code == 302
    assert Submission.objects.count() == 1


def test_forged_or_expired_challenge_is_refused(client, solver):
    data = _submission_data(client, solver)
    response = client.post(SUBMIT, {**data, "challenge": data["challenge"][:-3] + "abc"})
    assert "De rekenvraag klopt niet" in response.content.decode()
    with time_machine.travel("2099-01-01"):
        response = client.post(SUBMIT, data)
    assert "De rekenvraag is verlopen" in response.content.decode()
    assert Submission.objects.count() == 0


def test_honeypot_filled_stores_nothing_but_looks_fine(client, solver):
    response = client.post(SUBMIT, _submission_data(client, solver, website="http://spam.example"))
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_rate_limit_per_address_answers_429_in_dutch(client, solver):
    for n in range(RATE_LIMIT):
        assert client.post(SUBMIT, _submission_data(client, solver, name=f"Init {n}")).status_code == 302
    response = client.post(SUBMIT, _submission_data(client, solver, name="Te veel"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Wacht tien minuten" in html
    assert 'value="Te veel"' in html  # what was typed is kept
    assert Submission.objects.count() == RATE_LIMIT
    # Another address may still post.
    other = client.post(SUBMIT, _submission_data(client, solver, name="Ander adres"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    # Ten minutes later the address may post again.
    with time_machine.travel(time.time() + 11 * 60):
        assert client.post(SUBMIT, _submission_data(client, solver, name="Later")).status_code == 302


def test_comment_is_hidden_until_approved(client, solver):
    initiative = InitiativeFactory(name="Wijkkamer")
    url = reverse("initiatives:detail", args=[initiative.slug])
    page = client.get(url).content.decode()
    assert "Uw reactie verschijnt pas op deze pagina als de moderator haar heeft goedgekeurd." in page
    token, answer = solver(page)
    response = client.post(url, {"body": "Goed voorbeeld!", "challenge": token, "challenge_answer": answer})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.moderation == Moderation.PENDING
    follow = client.get(url).content.decode()
    assert "Bedankt voor uw reactie" in follow
    assert "Goed voorbeeld!" not in follow
    comment.moderation = Moderation.APPROVED
    comment.save()
    assert "Goed voorbeeld!" in client.get(url).content.decode()


def test_comment_is_plain_text_and_names_are_never_shown(client):
    initiative = InitiativeFactory()
    CommentFactory(
        initiative=initiative,
        body="<script>alert(1)</script> **vet**",
        submitter_name="Geheime Naam",
        submitter_email="geheim@example.org",
        moderation=Moderation.APPROVED,
    )
    html = client.get(reverse("initiatives:detail", args=[initiative.slug])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **vet**" in html
    assert "Geheime Naam" not in html and "geheim@example.org" not in html


def test_comment_errors_keep_the_text(client, solver):
    initiative = InitiativeFactory()
    url = reverse("initiatives:detail", args=[initiative.slug])
    token, _ = solver(client.get(url).content.decode())
    response = client.post(url, {"body": "Mijn lange verhaal", "challenge": token, "challenge_answer": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beantwoord de rekenvraag." in html
    assert "Mijn lange verhaal" in html
    assert Comment.objects.count() == 0


def test_no_comments_on_drafts_and_drafts_are_not_public(client, solver):
    draft = InitiativeFactory(is_published=False)
    url = reverse("initiatives:detail", args=[draft.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "x"}).status_code == 404


def test_comment_rate_limit_keeps_the_text(client, solver):
    initiative = InitiativeFactory()
    url = reverse("initiatives:detail", args=[initiative.slug])
    for n in range(RATE_LIMIT):
        token, answer = solver(client.get(url).content.decode())
        client.post(url, {"body": f"Reactie {n}", "challenge": token, "challenge_answer": answer})
    token, answer = solver(client.get(url).content.decode())
    response = client.post(url, {"body": "Nog een reactie", "challenge": token, "challenge_answer": answer})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Wacht tien minuten" in html and "Nog een reactie" in html
    assert Comment.objects.count() == RATE_LIMIT
