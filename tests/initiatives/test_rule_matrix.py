"""Service-level rule matrix of the initiative registry (issue 11, point 1).

Every public write and read service of `doorbraak.initiatives` is called as each role, as an uninvolved
professional of the same municipality, as a user of another municipality and as an anonymous visitor; each row
asserts allowed or refused (`Refused`, a 403). The registry is national, so municipality does not matter:
moderation is the moderator's, report PDFs the administrator's, and the public forms everyone's.
`MATRIX` lists every row (service, actor, expected) so the lead can count rows and refusals.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from doorbraak.core import permissions
from doorbraak.core.errors import RuleError
from doorbraak.core.models import Role
from doorbraak.core.permissions import Refused
from doorbraak.initiatives import selectors, services
from doorbraak.initiatives.models import Initiative, Moderation, ResearchReport, Submission
from tests.factories import MunicipalityFactory, UserFactory

from .factories import CommentFactory, InitiativeFactory, ResearchFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

ALLOW, REFUSE = "allow", "refuse"
ACTORS = [*(r.value for r in Role), "uninvolved", "other_municipality", "anonymous"]
# "other_municipality" is a moderator of another municipality: the registry is national, so they moderate too.
MODERATOR_ONLY = {a: (ALLOW if a in (Role.MODERATOR, "other_municipality") else REFUSE) for a in ACTORS}
ADMIN_ONLY = {a: (ALLOW if a == Role.ADMIN else REFUSE) for a in ACTORS}
EVERYONE = dict.fromkeys(ACTORS, ALLOW)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _actor(name, home):
    if name == "anonymous":
        return AnonymousUser()
    if name == "uninvolved":
        return UserFactory(role=Role.PROFESSIONAL, municipality=home)
    if name == "other_municipality":
        return UserFactory(role=Role.MODERATOR, municipality=MunicipalityFactory())  # a moderator elsewhere
    return UserFactory(role=name, municipality=home)


# Each service: (rule names it asks, expectation per actor, call(user) -> result or raises).
def _decide_comment(user):
    comment = CommentFactory()
    services.decide_comment(user, comment.pk, Moderation.APPROVED)


def _decide_submission(user):
    submission = SubmissionFactory()
    services.decide_submission(user, submission.pk, Moderation.APPROVED)
    assert Submission.objects.get(pk=submission.pk).initiative_id is not None


def _publish(user):
    draft = InitiativeFactory(is_published=False)
    services.publish_initiative(user, draft.pk)
    assert Initiative.objects.get(pk=draft.pk).is_published


def _attach_pdf(user, settings_tmp=None):
    report = ResearchReport.objects.create(research=ResearchFactory(), kind="final", title="Eindrapport")
    services.attach_report_pdf(user, report, SimpleUploadedFile("rapport.pdf", PDF, "application/pdf"))


def _queue(user):
    selectors.moderation_queue(user)


def _draft_page(user):
    draft = InitiativeFactory(is_published=False)
    if selectors.initiative_for_page(draft.slug, user) is None:
        raise Refused("initiatives.moderate")  # the page answers 404


def _comment(user):
    services.create_comment(initiative=InitiativeFactory(), form_token=f"tok-{user.pk}-x", body="Goed bezig.")


def _comment_on_draft(user):
    services.create_comment(initiative=InitiativeFactory(is_published=False), form_token="tok-d", body="Hoi.")


def _submission(user):
    services.create_submission(
        form_token="tok-s", name="Buurtkamer", place="Ede", description="Anders.", link="https://www.voorbeeld.nl"
    )


SERVICES = {
    "services.decide_comment": (["initiatives.moderate"], MODERATOR_ONLY, _decide_comment),
    "services.decide_submission": (["initiatives.moderate"], MODERATOR_ONLY, _decide_submission),
    "services.publish_initiative": (["initiatives.publish"], MODERATOR_ONLY, _publish),
    "services.attach_report_pdf": (["initiatives.manage_reports"], ADMIN_ONLY, _attach_pdf),
    "selectors.moderation_queue": (["initiatives.moderate"], MODERATOR_ONLY, _queue),
    "selectors.initiative_for_page(draft)": (["initiatives.moderate"], MODERATOR_ONLY, _draft_page),
    "services.create_comment": (["initiatives.comment"], EVERYONE, _comment),
    "services.create_comment(draft)": (["initiatives.comment"], dict.fromkeys(ACTORS, REFUSE), _comment_on_draft),
    "services.create_submission": ([], EVERYONE, _submission),
}

MATRIX = [(service, actor, expected[actor]) for service, (_, expected, _) in SERVICES.items() for actor in ACTORS]


@pytest.mark.parametrize(("service", "actor", "expected"), MATRIX)
def test_service_as_actor(service, actor, expected, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = _actor(actor, MunicipalityFactory())
    call = SERVICES[service][2]
    if expected == ALLOW:
        call(user)
    else:
        with pytest.raises(Refused):
            call(user)


def test_every_initiatives_rule_is_used_by_a_row():
    used = {rule for rules_, _, _ in SERVICES.values() for rule in rules_}
    assert set(permissions.registered("initiatives.")) == used
    assert sum(1 for row in MATRIX if row[2] == REFUSE) >= 40


# --- The moderation state machine (core.transitions) -----------------------------------------------------


def test_a_second_decision_on_a_comment_is_refused_and_changes_nothing():
    moderator = UserFactory(role=Role.MODERATOR)
    comment = CommentFactory()
    services.decide_comment(moderator, comment.pk, Moderation.APPROVED)
    with pytest.raises(RuleError, match="al besloten"):
        services.decide_comment(moderator, comment.pk, Moderation.SPAM)
    comment.refresh_from_db()
    assert comment.moderation == Moderation.APPROVED


def test_double_approval_of_a_submission_makes_one_draft_page():
    moderator = UserFactory(role=Role.MODERATOR)
    submission = SubmissionFactory(name="Samen Sterk")
    services.decide_submission(moderator, submission.pk, Moderation.APPROVED)
    with pytest.raises(RuleError):
        services.decide_submission(moderator, submission.pk, Moderation.APPROVED)
    assert Initiative.objects.filter(name="Samen Sterk").count() == 1


def test_rejection_needs_a_reason_in_the_service_and_names_the_field():
    moderator = UserFactory(role=Role.MODERATOR)
    submission = SubmissionFactory()
    with pytest.raises(RuleError) as error:
        services.decide_submission(moderator, submission.pk, Moderation.REJECTED, reason="  ")
    assert error.value.field == "reason"
    submission.refresh_from_db()
    assert submission.moderation == Moderation.PENDING
    with pytest.raises(RuleError, match="Onbekende keuze"):
        services.decide_submission(moderator, submission.pk, "pending")


def test_publishing_twice_is_refused():
    moderator = UserFactory(role=Role.MODERATOR)
    draft = InitiativeFactory(is_published=False)
    services.publish_initiative(moderator, draft.pk)
    with pytest.raises(RuleError, match="al in het openbare register"):
        services.publish_initiative(moderator, draft.pk)
