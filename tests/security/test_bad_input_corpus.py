"""The bad-input corpus (issue 10, part 5): generated, not hand-listed.

1. Walk every URL pattern of the project with the URL resolver and reverse it with real objects from one small
   world (a case with a platform, an approved plan with a loan and a reclaim, a fund, stories, a theme with a
   proposal, a learning session, an initiative with research, a submission, a comment...).
2. GET each page as the first user (by role) that may see it, parse every <form> and every link on it.
3. Submit every form once per bad input in each of its fields (the other fields keep the page's own values,
   empty ones filled in plausibly so the request gets past validation to the service and the database, and a
   fresh one-time token), and send every GET parameter the page uses (its GET forms and its links) with each
   bad input.
4. Assert that no response is a 5xx (the test client with raise_request_exception=False) and print the size.

Every field of every form gets every bad input: the database-sensitive inputs on both databases, the others on one
of the two passes of make test in turn (DATABASE_SENSITIVE, _this_pass_sends; FORM_STEP/PARAM_STEP can sample it
down further). Limits:
- the Django admin (/beheer/) is walked for its index and changelists only (GET pages and their filter/search
  parameters, which is where `?role=%00` gave a 500); its add/change/delete forms are not submitted (the admin
  is rebuilt by another part of issue 10 and has its own tests);
- the logout form is not submitted (it would end the session the walk runs in);
- a form with more than MAX_FIELDS fields is fuzzed in its first MAX_FIELDS fields that are not hidden
  (in page order), plus all of its hidden fields;
- every pattern must resolve to a page or be the target of a form; the test fails on an unresolvable pattern.
"""

import datetime
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak.budget import services as budget_services
from doorbraak.budget.models import CatalogueItem, Plan, PlanShare
from doorbraak.cases.models import Consent, FollowUpMoment, Involvement
from doorbraak.core.models import Role
from doorbraak.initiatives.models import ResearchReport
from doorbraak.learning.models import LearningSession, PolicyProposal, Story, StoryFlag, Theme
from doorbraak.learning.stories.second_eyes import story_hash
from doorbraak.platforms.models import Escalation, PlatformAction
from tests.budget.factories import World
from tests.factories import UserFactory
from tests.helpers.browser import session_cookie_for
from tests.initiatives.factories import CommentFactory, InitiativeFactory, ResearchFactory, SubmissionFactory
from tests.platforms.factories import make_platform

MAX_FIELDS = 12
TODAY = datetime.date.today()

BAD_INPUTS = {
    "long": "a" * 10_000,
    "nul": "a\x00b",
    "surrogate": "x\ud800y",
    "bidi": "\u202eabc\u202c",
    "huge": "9" * 30,
    "negative": "-99999999999999999999",
    "minus_one": "-1",
    "far_past": "0001-01-01",
    "far_future": "9999-12-31",
    "wrong_type": "abc",
    "float": "1e309",
    "foreign_digits": "١١١٢٢٢٣٣٣",  # Arabic-Indic digits; also a BSN that passes the eleven-test
    "empty": "",
    "duplicate": None,  # the field twice, with two different values
}

SKIP_FORM_ACTIONS = {"core:logout"}
# One-time link pages that move their token into the session and redirect (so no form on the link URL itself);
# bad tokens on them are tested in tests/security/test_authentication.py.
REDIRECTING_LINK_PAGES = {"core:enrolment_link", "core:password_reset_confirm"}
VARIANT_PAGES = ("plan:", "story:", "learning:story_", "initiatives:detail")  # walked in every state of the world
# POST-only endpoints that no page shows a form for: their fields, fuzzed the same way.
KNOWN_FIELDS = {"set_language": ["language", "next"]}
# Sampling, if the run ever gets too slow: field number i of a form gets the bad inputs number j with
# (i + j) % FORM_STEP == 0 (every form still gets every input in some field); GET parameters likewise.
# 1 = the full product (about 75 s per database on this machine).
FORM_STEP = 1
PARAM_STEP = 1
# Split between the two passes of make test (which run at the same time): the inputs whose handling depends on
# the database (PostgreSQL enforces varchar lengths, rejects NUL and lone surrogates, has its own integer, decimal
# and date ranges) go to every field on both databases; each of the others goes to every other field on SQLite and
# to the remaining fields on PostgreSQL, so every (field, input) pair is still sent, on one database or both.
DATABASE_SENSITIVE = {"long", "nul", "surrogate", "huge", "negative", "far_past", "far_future", "float"}


def _this_pass_sends(i: int, j: int, label: str) -> bool:
    if label in DATABASE_SENSITIVE:
        return True
    on_postgresql = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    return (i + j + on_postgresql) % 2 == 0


# --------------------------------------------------------------------------------------------------
# HTML: forms and links
# --------------------------------------------------------------------------------------------------


class _Form:
    def __init__(self, action, method):
        self.action, self.method = action, method
        self.fields = []  # (name, value, hidden) in page order; value None: not sent by default
        self.kinds = {}  # name -> input type ("text", "date", "textarea", "select", ...)
        self.options = {}  # select name -> its non-empty option values

    def defaults(self):
        """The page's own values, with empty inputs filled in plausibly, so that a bad input in one field meets
        valid values in the others and reaches the service and the database."""
        pairs = []
        for name, value, hidden in self.fields:
            if value is None:
                continue
            if value == "" and not hidden:
                value = self._plausible(name)
            pairs.append((name, value))
        return pairs

    def _plausible(self, name):
        kind = self.kinds.get(name, "text")
        if kind == "select":
            return (self.options.get(name) or [""])[0]
        if "bsn" in name:
            return ""
        return {
            "date": TODAY.isoformat(),
            "number": "1",
            "email": "iemand@example.org",
            "url": "https://www.example.org",
            "password": "",
            "search": "",
            "hidden": "",
        }.get(kind, "1" if name.endswith(("amount", "_answer")) else "Test")

    def names(self):
        return list(dict.fromkeys(name for name, _v, _h in self.fields))


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self._form = None
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = _Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.fields.append((name, a.get("value", "on") if "checked" in a else None, False))
            elif kind in ("submit", "button", "image", "reset", "file"):
                return
            else:
                form.fields.append((name, a.get("value", ""), kind == "hidden"))
                form.kinds[name] = kind
        elif tag == "textarea":
            self._textarea = name
            form.fields.append((name, "", False))
            form.kinds[name] = "textarea"
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False
            form.fields.append((name, None, False))
            form.kinds[name] = "select"
        elif tag == "button" and a.get("value") is not None:
            form.fields.append((name, None, False))

    def _option(self, a):
        value = a.get("value", "")
        if value:
            self._form.options.setdefault(self._select, []).append(value)
        if self._select_first is None:
            self._select_first = value
        if "selected" in a and not self._select_chosen:
            self._select_chosen = True
            self._set_select(value)

    def _set_select(self, value):
        fields = self._form.fields
        for i in range(len(fields) - 1, -1, -1):
            if fields[i][0] == self._select:
                fields[i] = (self._select, value, False)
                break

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self._set_select(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            fields = self._form.fields
            name, value, hidden = fields[-1]
            if name == self._textarea:
                fields[-1] = (name, value + data, hidden)


def parse(html):
    parser = PageParser()
    parser.feed(html)
    return parser


# --------------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------------


class Objects:
    pass


def build_world():
    w = World()
    o = Objects()
    o.municipality, o.team = w.municipality, w.team
    o.lead, o.pro, o.approver = w.lead, w.professional, w.approver
    o.policy = UserFactory(municipality=w.municipality, team=w.team, role=Role.POLICY)
    o.moderator = UserFactory(municipality=w.municipality, role=Role.MODERATOR)
    o.superuser = UserFactory(municipality=w.municipality, role=Role.ADMIN, is_staff=True, is_superuser=True)
    o.case = w.case("Casus voor de corpus-test")
    o.involvement = Involvement.objects.create(
        municipality=w.municipality,
        case=o.case,
        user=o.lead,
        organisation=o.lead.organisation,
        role_in_case="regisseur",
    )
    o.consent = Consent.objects.create(
        municipality=w.municipality,
        case=o.case,
        organisation=o.lead.organisation,
        scope="hulpvraag",
        given_on=TODAY,
        recorded_by=o.lead,
    )
    o.moment = FollowUpMoment.objects.create(
        municipality=w.municipality, case=o.case, due_on=TODAY + datetime.timedelta(days=28)
    )
    o.platform = make_platform(o.case, o.lead, convened_on=TODAY - datetime.timedelta(days=30), participants=[o.pro])
    participant = o.platform.participants.first()
    o.action = PlatformAction.objects.create(
        municipality=w.municipality,
        platform=o.platform,
        what="Bellen",
        owner=participant,
        due_on=TODAY,
        created_by=o.lead,
    )
    o.escalation = Escalation.objects.create(
        municipality=w.municipality, platform=o.platform, level="local", reason="Vast", recorded_by=o.lead
    )
    w.fund()
    budget_services.ensure_default_catalogue(w.municipality)
    o.item = CatalogueItem.objects.filter(municipality=w.municipality).first()
    o.plan = Plan.objects.get(pk=w.train_pass_plan(case=o.case).pk)
    budget_services.approve_plan(o.approver, o.plan)
    o.line = o.plan.lines.first()
    loan_entry = budget_services.grant_loan(
        o.lead, o.plan, 10_000, condition="Werk vinden", deadline=TODAY + datetime.timedelta(days=90)
    )
    o.loan = loan_entry.loan
    o.reclaim = budget_services.expect_reclaim(o.lead, o.plan, "zvw", 5_000)
    # --- issue 12: an external co-funding share (its agreement form is on the plan page) ---
    o.share = PlanShare.objects.create(municipality=w.municipality, plan=o.plan, funder="justice", basis_points=10000)
    o.story = Story.objects.create(
        municipality=w.municipality,
        case=o.case,
        title="Een kamer",
        text="Verhaal.",
        status=Story.Status.PUBLISHED,
        created_by=o.pro,
        approved_by=o.lead,
        published_by=o.policy,
        published_at=timezone.now(),
    )
    o.theme = Theme.objects.create(municipality=w.municipality, name="Regels die botsen")
    o.proposal = PolicyProposal.objects.create(
        municipality=w.municipality, theme=o.theme, text="Anders doen", created_by=o.policy
    )
    o.session = LearningSession.objects.create(
        municipality=w.municipality, held_on=TODAY, topic="Privacy", theme=o.theme, attendees=5, created_by=o.policy
    )
    from doorbraak.learning import council_reports  # issue 14: a finished council report PDF

    o.council_report, _created = council_reports.request_report(o.policy, council_reports.analytics.default_period())
    council_reports.make(str(o.council_report.pk))
    o.initiative = InitiativeFactory()
    research = ResearchFactory(initiative=o.initiative)
    o.report = ResearchReport.objects.create(research=research, title="Rapport")
    o.submission = SubmissionFactory()
    o.comment = CommentFactory(initiative=o.initiative)
    # Sessions that passed the password but not yet the second factor: one with a device, one without.
    o.unverified = {w.lead2.pk: w.lead2, w.approver2.pk: w.approver2}
    TOTPDevice.objects.create(user=w.lead2, name="telefoon", confirmed=True)
    budget_services.loan_outcome(o.lead, o.loan, "repay_from_income")  # shows the repayment form
    budget_services.grant_loan(
        o.lead,
        o.plan,
        5_000,
        condition="Schuld aflossen",  # shows the outcome form
        deadline=TODAY + datetime.timedelta(days=60),
    )
    o.users = [o.lead, o.pro, o.approver, o.policy, o.moderator, o.superuser, w.lead2, w.approver2, None]
    # The account pages' one-time links and a session to end (issue 10, authentication).
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from doorbraak.core.models import SecurityNotice, UserSession
    from doorbraak.core.services_auth import issue_enrolment_link

    o.enrolment_token = issue_enrolment_link(None, o.pro).rstrip("/").rsplit("/", 1)[-1]
    o.reset_uid = urlsafe_base64_encode(force_bytes(o.pro.pk))
    o.reset_token = default_token_generator.make_token(o.pro)
    # o.lead is the first viewer of /account/: an unseen notice and another session give it all its forms.
    other_session = session_cookie_for(o.lead)["value"]  # a real second session in the session store
    o.user_session = UserSession.objects.get_or_create(user=o.lead, session_key=other_session)[0]
    SecurityNotice.objects.create(user=o.lead, kind=SecurityNotice.Kind.PASSWORD_CHANGED)
    o.extra_viewers = [o.approver, o.policy]  # roles that see extra buttons on pages others see too
    # Two more states, so the forms of other steps are on some page: a draft plan with a draft story on a closed
    # case, and a submitted plan with an approved story.
    draft_case = w.case("Casus met een conceptplan")
    draft_plan = w.train_pass_plan(case=draft_case, submit=False)
    # --- issue 12: a typed split with an external share on the draft ---
    draft_share = budget_services.set_shares(
        w.professional, draft_plan, mode="percent", values={"justice": 40, "wmo": 60}
    )[0]
    draft_case.status = "closed"
    draft_case.save(update_fields=["status"])
    draft_story = Story.objects.create(
        municipality=w.municipality, case=draft_case, title="Concept", text="Tekst.", created_by=o.pro, edited_by=o.pro
    )
    # --- issue 13: a flag of the second pair of eyes on the draft story, so its "keep with a reason" form shows ---
    draft_story.checked_hash = story_hash(draft_story)
    draft_story.save(update_fields=["checked_hash"])
    o.flag = StoryFlag.objects.create(
        municipality=w.municipality, story=draft_story, field="text", span="Tekst", kind=StoryFlag.Kind.PERSON
    )
    submitted_case = w.case("Casus met een ingediend plan")
    submitted_plan = w.train_pass_plan(case=submitted_case)
    approved_story = Story.objects.create(
        municipality=w.municipality,
        case=submitted_case,
        title="Goedgekeurd",
        text="Tekst.",
        status=Story.Status.APPROVED,
        created_by=o.pro,
        approved_by=o.lead,
    )
    bare_case = w.case("Casus zonder plan")
    bare_case.status = "closed"
    bare_case.save(update_fields=["status"])
    o.variants = [
        {},
        {"case": bare_case, "initiative": InitiativeFactory(is_published=False)},
        {
            "case": draft_case,
            "story": draft_story,
            "line": draft_plan.lines.first(),
            "plan": draft_plan,
            "flag": o.flag,
            "share": draft_share,
        },
        {"case": submitted_case, "story": approved_story, "plan": submitted_plan},
    ]
    # --- issue 16: notifications ---
    from doorbraak.notifications import services as notification_services
    from doorbraak.notifications.models import Notification

    o.feed_secret = notification_services.new_calendar_secret(o.pro)
    o.notification = Notification.objects.filter(user=o.pro).first()  # the invitation to o.platform
    # --- issue 18: meetings --- a meeting that is on now (documents, takeaways, attendance), with a registration
    # (its cancel link), a pending takeaway with consent, a document and a follow-up.
    from django.core.files.base import ContentFile

    from doorbraak.meetings import services as meeting_services
    from doorbraak.meetings.models import MeetingDocument, Registration, Takeaway

    start = timezone.now() - datetime.timedelta(hours=1)
    o.meeting = meeting_services.create_meeting(
        o.moderator,
        title="Programmabijeenkomst",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        registration_deadline=start,
        capacity=10,
        place="Den Haag",
    )
    o.meeting_registration = Registration.objects.create(
        meeting=o.meeting,
        status="confirmed",
        name="Deelnemer",
        email="deelnemer@example.nl",
        cancel_token_hash="corpus",
        form_token="corpus",
    )
    o.cancel_token = meeting_services.issue_cancel_token(o.meeting_registration)
    o.meeting_document = MeetingDocument(meeting=o.meeting, kind="report", title="Verslag", size=15)
    o.meeting_document.file.save("corpus.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    o.takeaway = Takeaway.objects.create(
        meeting=o.meeting,
        takeaway="Meegenomen",
        need="Mensen",
        need_people=True,
        consent_to_publish=True,
        form_token="corpus-1",
    )
    followed = Takeaway.objects.create(
        meeting=o.meeting, takeaway="Ook", need="Tijd", need_time=True, form_token="corpus-2"
    )
    o.follow_up = meeting_services.create_follow_up(
        o.moderator, kind="learning_session", need="time", title="Leersessie", takeaway_ids=[followed.pk]
    )
    # --- issue 12: a payment with a payee, a fund with an IBAN and a SEPA file, a loan with a schedule ---
    from doorbraak.budget.models import Fund

    budget_services.pay(o.lead, o.plan, 1_000, payee_name="NS", iban="NL91ABNA0417164300")
    o.fund = Fund.objects.get(team=w.team)
    budget_services.set_fund_iban(o.approver, o.fund, "NL20INGB0001234567")
    o.sepa_export = budget_services.export_sepa(o.approver, o.fund)
    budget_services.pay(o.lead, o.plan, 1_500, payee_name="NS", iban="NL91ABNA0417164300")  # an open order
    # --- issue 17: import and export: a checked import of the lead (nothing to create: confirming changes nothing)
    from doorbraak.transfer.models import ImportBatch, ImportRow

    o.import_batch = ImportBatch.objects.create(
        municipality=w.municipality,
        uploaded_by=o.lead,
        file_format="csv",
        file_sha256="0" * 64,
        status=ImportBatch.Status.CHECKED,
        row_count=1,
        refused=1,
    )
    ImportRow.objects.create(
        municipality=w.municipality, batch=o.import_batch, number=2, external_id="P1", action="refused", reason="-"
    )
    # --- issue 16: documents ---
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doorbraak.documents import services as document_services

    o.document, _message = document_services.upload(
        o.pro,
        o.case.pk,
        "case",
        o.case.pk,
        kind="decision",
        file=SimpleUploadedFile("beschikking.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
    )
    return o


def variant(o, overrides):
    v = Objects()
    v.__dict__.update(o.__dict__)
    v.__dict__.update(overrides)
    return v


def kwargs_for(name: str, keys, o) -> dict:
    by_key = {
        "case_id": o.case.pk,
        "code": o.municipality.code,
        "dataset": "themas",
        "slug": o.initiative.slug,
        "line_id": o.line.pk,
        "loan_id": o.loan.pk,
        "reclaim_id": o.reclaim.pk,
        "share_id": o.share.pk,  # --- issue 12 ---
        "action_id": o.action.pk,
        "escalation_id": o.escalation.pk,
        "session_id": o.user_session.pk,
        "flag_id": o.flag.pk,
        "batch_id": o.import_batch.pk,  # issue 17
        "uidb64": o.reset_uid,
        "token": o.reset_token if name == "core:password_reset_confirm" else o.enrolment_token,
        # --- issue 16: notifications ---
        "secret": o.feed_secret,
        # --- issue 18: meetings ---
        "cancel_token": getattr(o, "cancel_token", ""),
        # --- issue 12: funds and SEPA files ---
        "fund_id": o.fund.pk,
        "export_id": o.sepa_export.pk,
        "funder": "wmo",  # issue 12: the funder list (a code of core.choices.Funder)
        # --- issue 16: documents ---
        "owner": "casus",
        "owner_id": o.case.pk,
    }
    pk_by_name = [
        ("platforms:", o.platform),
        ("story:", o.story),
        ("learning:story_", o.story),
        ("learning:theme_", o.theme),
        ("learning:proposal_create", o.theme),
        ("learning:proposal_", o.proposal),
        ("learning:session_", o.session),
        ("precedents:", o.story),
        ("learning:report_", o.council_report),
        ("budget:catalogue_change", o.item),
        ("cases:involvement_end", o.involvement),
        ("cases:consent_withdraw", o.consent),
        ("cases:follow_up_hold", o.moment),
        ("initiatives:report_pdf", o.report),
        ("initiatives:moderate_comment", o.comment),
        ("initiatives:moderate_submission", o.submission),
        ("initiatives:publish", o.initiative),
        # --- issue 16: notifications ---
        ("notifications:mark_read", o.notification),
        ("notifications:platform_ics", o.platform),
        ("notifications:moment_ics", o.moment),
        # --- issue 18: meetings ---
        ("meetings:download", getattr(o, "meeting_document", None)),
        ("meetings:moderate", getattr(o, "takeaway", None)),
        ("meetings:follow_up_status", getattr(o, "follow_up", None)),
        ("meetings:", getattr(o, "meeting", None)),
        # --- issue 16: documents ---
        ("documents:download", o.document),
    ]
    kwargs = {}
    for key in keys:
        if key == "pk":
            kwargs[key] = next(obj.pk for prefix, obj in pk_by_name if name.startswith(prefix))
        else:
            kwargs[key] = by_key[key]
    return kwargs


def url_patterns():
    """(namespaced name, kwarg names) of every named URL pattern of the project."""
    found = []

    def walk(resolver, namespace, outer):
        for entry in resolver.url_patterns:
            keys = outer + list(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                walk(
                    entry,
                    ":".join(p for p in (namespace, entry.namespace) if p) if entry.namespace else namespace,
                    keys,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, keys))

    walk(get_resolver(), "", [])
    return found


# --------------------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------------------


def _encode(pairs) -> str:
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


class Walk:
    def __init__(self, o):
        self.o = o
        self.clients = {}
        self.responses = 0
        self.failures = []

    def client(self, user):
        key = user.pk if user else None
        if key not in self.clients:
            client = Client(raise_request_exception=False)
            if user is not None:
                cookie = session_cookie_for(user, verified=user.pk not in self.o.unverified)
                client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie["value"]
            self.clients[key] = client
        return self.clients[key]

    def check(self, response, what):
        self.responses += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {what}")
        return response

    def get(self, user, path, what=None):
        return self.check(self.client(user).get(path), what or f"GET {path}")

    def send(self, user, method, path, pairs, what):
        body = _encode(pairs)
        client = self.client(user)
        if method == "post":
            response = client.generic("POST", path, body, content_type="application/x-www-form-urlencoded")
        else:
            response = client.generic("GET", f"{path}?{body}")
        return self.check(response, what)


def _is_admin(name):
    return name.startswith("admin:")


def _page_wanted(name):
    if name.startswith("api:"):  # issue 17: the API is fuzzed against its schema by schemathesis (tests/api)
        return False
    if _is_admin(name):
        return name == "admin:index" or name.endswith("_changelist")
    return True


def _same_site_path(href, base):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "tel:")):
        return None, []
    path = parts.path or base
    return path, parse_qsl(parts.query, keep_blank_values=True)


def _variants(pairs, field):
    """The form's own values with `field` replaced by each bad input (and once duplicated)."""
    for label, bad in BAD_INPUTS.items():
        rest = [(n, v) for n, v in pairs if n != field]
        if bad is None:
            yield label, rest + [(field, "1"), (field, "2")]
        else:
            yield label, rest + [(field, bad)]


def _fresh_tokens(pairs, field):
    return [(n, uuid.uuid4().hex if n in ("form_token", "token") and n != field else v) for n, v in pairs]


@pytest.mark.django_db
@pytest.mark.timeout(2400)  # ~9,000 requests over every page and form: 4 min alone on SQLite; 20+ min at load 10
def test_no_bad_input_anywhere_gives_a_server_error(capsys):
    started = time.monotonic()
    o = build_world()
    walk = Walk(o)
    patterns = url_patterns()
    pages = {}  # path -> (name, user, parsed)
    seen = []  # (path, user, parsed) of every page view, for the forms
    unresolved, not_shown, answered = [], [], set()  # answered: a GET-only page that says 404 (no PDF stored)
    for name, keys in patterns:
        if not _page_wanted(name):
            continue
        paths = []
        for overrides in o.variants if name.startswith(VARIANT_PAGES) else [{}]:
            try:
                paths.append(reverse(name, kwargs=kwargs_for(name, keys, variant(o, overrides))))
            except (NoReverseMatch, StopIteration, KeyError):
                unresolved.append(name)
        shown = False
        for path in dict.fromkeys(paths):
            if path in pages:
                continue
            for user in [o.superuser] if _is_admin(name) else o.users:
                response = walk.get(user, path)
                if response.status_code == 404 and user is None:
                    answered.add(name)
                if response.status_code != 200:
                    continue
                is_html = response.get("Content-Type", "").startswith("text/html")
                parsed = parse(response.content.decode()) if is_html else PageParser()
                pages.setdefault(path, (name, user, parsed))
                seen.append((path, user, parsed))
                shown = True
                if _is_admin(name) or user in o.extra_viewers:
                    break
                for extra in o.extra_viewers:  # the first viewer, plus the roles with extra buttons
                    response = walk.get(extra, path)
                    if response.status_code == 200 and is_html:
                        seen.append((path, extra, parse(response.content.decode())))
                break
        if not shown:
            not_shown.append(name)  # POST-only (405), or a redirect/404 for everyone: reached through its forms

    forms, get_params = {}, {}
    for path, user, parsed in seen:
        for form in parsed.forms:
            action, _query = _same_site_path(form.action, path)
            if action is None:
                continue
            try:
                target = resolve(action)
            except Resolver404:
                continue
            if target.view_name in SKIP_FORM_ACTIONS or _is_admin(target.view_name):
                continue
            key = (form.method, action, tuple(form.names()))
            if form.method == "get":
                for field in form.names():
                    get_params.setdefault((action, field), (user, form.defaults()))
            else:
                forms.setdefault(key, (user, form, target.view_name))
    for path, (_name, user, parsed) in pages.items():
        for href in parsed.links:
            link_path, query = _same_site_path(href, path)
            if link_path in pages and query:
                for field, _value in query:
                    get_params.setdefault((link_path, field), (pages[link_path][1], query))
    for name, fields in KNOWN_FIELDS.items():
        user_form = _Form(reverse(name), "post")
        user_form.fields = [(f, "", False) for f in fields]
        forms[("post", reverse(name), tuple(fields))] = (o.lead, user_form, name)
    reached = {view for _u, _f, view in forms.values()}
    missing = [
        n
        for n in not_shown
        if n not in reached
        and n not in answered
        and n not in SKIP_FORM_ACTIONS
        and n not in REDIRECTING_LINK_PAGES
        and not _is_admin(n)
    ]

    form_submissions = form_fields = 0
    for (method, action, _names), (user, form, view_name) in sorted(forms.items(), key=lambda kv: kv[0][1:]):
        visible = [n for n, _v, hidden in form.fields if not hidden and n != "csrfmiddlewaretoken"]
        hidden = [n for n, _v, h in form.fields if h and n != "csrfmiddlewaretoken"]
        fields = list(dict.fromkeys(visible[:MAX_FIELDS] + hidden))
        form_fields += len(fields)
        for i, field in enumerate(fields):
            for j, (label, pairs) in enumerate(_variants(form.defaults(), field)):
                if (i + j) % FORM_STEP or not _this_pass_sends(i, j, label):
                    continue
                walk.send(
                    user,
                    method,
                    action,
                    _fresh_tokens(pairs, field),
                    f"{method.upper()} {action} [{view_name}] {field}={label}",
                )
                form_submissions += 1
        # Re-open the sessions a form may have changed (none is ended: logout is skipped).
    param_requests = 0
    for i, ((path, field), (user, pairs)) in enumerate(sorted(get_params.items(), key=lambda kv: kv[0])):
        for j, (label, bad_pairs) in enumerate(_variants(pairs, field)):
            if (i + j) % PARAM_STEP or not _this_pass_sends(i, j, label):
                continue
            walk.send(user, "get", path, bad_pairs, f"GET {path} ?{field}={label}")
            param_requests += 1

    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nbad-input corpus ({django_settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}): "
            f"{len(patterns)} URL patterns, {len(pages)} pages, "
            f"{len(forms)} forms with {form_fields} fields x {len(BAD_INPUTS)} inputs (1/{FORM_STEP} sampled, the "
            f"database-neutral inputs split between the two passes) = "
            f"{form_submissions} submissions, {len(get_params)} GET parameters x {len(BAD_INPUTS)} inputs "
            f"(1/{PARAM_STEP} sampled) = {param_requests} requests; "
            f"{walk.responses} responses, {len(walk.failures)} server errors, {elapsed:.0f} s"
        )
    assert walk.failures == [], "\n".join(walk.failures[:40])
    assert not unresolved, f"URL patterns the corpus cannot resolve: {unresolved}"
    assert not missing, f"URL patterns neither shown nor reached through a form: {missing}"
    assert form_submissions > 700 and param_requests > 250
