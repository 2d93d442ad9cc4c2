"""Service-level rule matrix of documents (issue 16): upload and download of a case document as every role, an
uninvolved professional and a lead of another municipality; allowed, or refused (Refused 403 / Refusal 404). Every
rule in `registered("documents.")` is asked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from doorbraak.core import permissions
from doorbraak.core.models import Role
from doorbraak.documents import services
from tests.cases.factories import World, involve
from tests.documents.helpers import PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACTORS = ["professional", "lead", "approver", "policy", "moderator", "admin", "uninvolved", "other_municipality"]
AT_THE_CASE = {"professional", "lead"}


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path)
    settings.CLAMAV_ADDRESS = ""


def build():
    w = World()
    w.moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    w.admin = UserFactory(municipality=w.municipality, role=Role.ADMIN)
    w.document, _m = services.upload(
        w.pro, w.case.pk, "case", w.case.pk, kind="report", file=SimpleUploadedFile("v.pdf", PDF)
    )
    return w


def actor(w, name):
    return {
        "professional": w.pro,
        "lead": w.lead,
        "approver": w.approver,
        "policy": w.policy,
        "moderator": w.moderator,
        "admin": w.admin,
        "uninvolved": w.uninvolved,
        "other_municipality": w.stranger,
    }[name]


def _upload(w, u):
    return services.upload(u, w.case.pk, "case", w.case.pk, kind="quote", file=SimpleUploadedFile("o.pdf", PDF))


def _download(w, u):
    document, handle = services.open_document(u, w.case.pk, w.document.pk)
    handle.close()
    return document


SERVICES = {"upload": (_upload, {"documents.upload"}), "open_document": (_download, {"documents.download"})}
MATRIX = [(name, who, who in AT_THE_CASE) for name in SERVICES for who in ACTORS]


@pytest.mark.parametrize(("service", "who", "allowed"), MATRIX, ids=[f"{s}-{w}" for s, w, _a in MATRIX])
def test_service_as_actor(service, who, allowed):
    w = build()
    call = SERVICES[service][0]
    if allowed:
        assert call(w, actor(w, who)) is not None
    else:
        with pytest.raises((permissions.Refused, Http404)):
            call(w, actor(w, who))


def test_an_involved_policy_officer_is_refused_by_the_role_rule():
    """Need-to-know alone is not enough: a policy officer involved in the case still may not handle documents."""
    w = build()
    involve(w.case, w.policy)
    with pytest.raises(permissions.Refused):
        _upload(w, w.policy)
    with pytest.raises(permissions.Refused):
        _download(w, w.policy)


def test_every_documents_rule_is_in_the_matrix():
    used = set().union(*(rules for _call, rules in SERVICES.values()))
    assert set(permissions.registered("documents.")) == used
