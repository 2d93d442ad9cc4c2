"""The URL x role matrix (issue 11, point 1), generated from the URL resolver.

Every named URL pattern of the project (the admin only with its index) is reversed with real objects of one
small world (`build_world`/`kwargs_for` of the bad-input corpus) and opened by each actor: every role, an
uninvolved professional of the same municipality (another team, not involved in the case), a breakthrough lead
of another municipality, and an anonymous visitor. A GET that answers 405 (a POST-only endpoint) is sent as an
empty POST inside a transaction that is rolled back, so an allowed POST changes nothing for the next row.

Each answer is classed *allowed* (the page opens: 200, 400 for an empty form, or a redirect elsewhere than the
login page) or *refused* (404, 403, or a redirect to the login page); a 5xx fails. This is the gate in front of
the page (need-to-know, role, login). A POST that reaches the service and is refused there comes back as a redirect
with a Dutch message, which counts as *allowed* here: who may do the action itself is the service-level rule
matrix's job (tests/<app>/test_rule_matrix.py).

EXPECTATIONS names, per URL name, the actors that are allowed; every other actor must be refused. A URL name
without an entry (or an entry without a URL) fails the test, so a new URL needs an expectation. `MATRIX`
(url name, actor, expected) is the full list, for counting rows and refusals.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from doorbraak.core.models import Role
from tests.factories import MunicipalityFactory, TeamFactory, UserFactory
from tests.helpers.browser import session_cookie_for
from tests.security.test_bad_input_corpus import build_world, kwargs_for, url_patterns

ACTORS = (
    "professional",
    "lead",
    "approver",
    "policy",
    "moderator",
    "admin",
    "uninvolved",
    "other_municipality",
    "anonymous",
)
ALLOWED, REFUSED = "allowed", "refused"

EVERYONE = frozenset(ACTORS)
LOGGED_IN = EVERYONE - {"anonymous"}
CASE_TEAM = frozenset({"professional", "lead"})  # involved in the case / lead of its team
CASE_LEAD = frozenset({"lead"})
PLAN_TEAM = CASE_TEAM | {"approver"}  # the plan's case team and the approvers of the municipality
ROLE_LEAD_POLICY = frozenset({"lead", "policy", "other_municipality"})  # learning pages; the other lead sees own data
OWN_LEAD_POLICY = frozenset({"lead", "policy"})  # an object of this municipality
POLICY = frozenset({"policy"})
MODERATOR = frozenset({"moderator"})
BUDGET_ROLES = frozenset({"lead", "approver", "admin", "other_municipality"})  # lead/approver/admin, own municipality
CATALOGUE_EDITORS = BUDGET_ROLES | {"policy"}

EXPECTATIONS: dict[str, frozenset[str]] = {
    "livez": EVERYONE,
    "readyz": EVERYONE,
    "admin:index": frozenset({"admin"}),
    "set_language": EVERYONE,
    "core:home": LOGGED_IN,
    "core:login": EVERYONE,  # a logged-in user is sent home
    "core:otp_verify": LOGGED_IN,
    "core:otp_setup": LOGGED_IN,
    "core:enrolment_link": frozenset({"professional"}),  # the link is the professional's own
    "core:password_reset": EVERYONE,
    "core:password_reset_done": EVERYONE,
    "core:password_reset_confirm": EVERYONE,  # the token moves into the session, then a redirect
    "core:password_reset_complete": EVERYONE,
    "core:logout": EVERYONE,  # its redirect to the login page is the allowed outcome (LOGIN_IS_ALLOWED)
    "core:account": LOGGED_IN,
    "core:password_change": LOGGED_IN,
    "core:notices_seen": LOGGED_IN,
    "core:end_session": LOGGED_IN,
    "core:end_other_sessions": LOGGED_IN,
    "core:accessibility": EVERYONE,
    "cases:list": frozenset({"professional", "lead", "approver", "uninvolved", "other_municipality"}),
    "cases:create": frozenset({"professional", "lead", "uninvolved", "other_municipality"}),
    "cases:detail": CASE_TEAM,
    "cases:member_add": CASE_TEAM,
    "cases:scores_add": CASE_TEAM,
    "cases:involvement_add": CASE_TEAM,
    "cases:involvement_end": CASE_TEAM,
    "cases:consent_add": CASE_TEAM,
    "cases:consent_withdraw": CASE_TEAM,
    "cases:close": CASE_LEAD,
    "cases:follow_up_plan": CASE_TEAM,
    "cases:follow_up_add": CASE_TEAM,
    "cases:follow_up_hold": CASE_TEAM,
    "cases:measurement_add": CASE_TEAM,
    "platforms:index": CASE_TEAM,
    "platforms:convene": CASE_LEAD,
    "platforms:detail": CASE_TEAM,
    "platforms:invite": CASE_LEAD,
    "platforms:action_add": CASE_TEAM,
    "platforms:action_done": CASE_TEAM,
    "platforms:decision_add": CASE_TEAM,
    "platforms:breakthrough": CASE_TEAM,
    "platforms:evaluation": CASE_TEAM,
    "platforms:escalate": CASE_LEAD,
    "platforms:escalation_outcome": CASE_LEAD,
    "platforms:summary": CASE_TEAM,
    "plan:detail": PLAN_TEAM,
    "plan:start": CASE_TEAM,  # plan editors only (budget.edit_plan / submit_plan): an approver gets 403
    "plan:settings": PLAN_TEAM,
    "plan:line_add": PLAN_TEAM,
    "plan:line_remove": CASE_TEAM,  # plan editors only (budget.edit_plan / submit_plan): an approver gets 403
    "plan:cofunding": CASE_TEAM,  # plan editors only (budget.edit_plan / submit_plan): an approver gets 403
    "plan:submit": CASE_TEAM,  # plan editors only (budget.edit_plan / submit_plan): an approver gets 403
    "plan:approve": PLAN_TEAM,
    "plan:return": PLAN_TEAM,
    "plan:pay": PLAN_TEAM,
    "plan:loan": PLAN_TEAM,
    "plan:loan_outcome": PLAN_TEAM,
    "plan:loan_repay": PLAN_TEAM,
    "plan:reclaim_add": PLAN_TEAM,
    "plan:reclaim_move": PLAN_TEAM - {"professional"},  # payers only (budget.move_reclaim)
    "plan:realised": PLAN_TEAM,
    "plan:pdf": PLAN_TEAM,
    "budget:overview": BUDGET_ROLES,
    "budget:fund_create": BUDGET_ROLES,
    "budget:catalogue": BUDGET_ROLES | {"professional", "policy", "uninvolved"},
    "budget:catalogue_add": CATALOGUE_EDITORS,
    "budget:catalogue_change": CATALOGUE_EDITORS - {"other_municipality"},  # an item of this municipality
    "story:case": CASE_TEAM,
    "story:create": CASE_TEAM,
    "story:detail": CASE_TEAM,
    "story:edit": CASE_TEAM,
    "story:approve": CASE_TEAM,
    "story:flag_keep": CASE_TEAM,
    "learning:home": ROLE_LEAD_POLICY,
    "learning:patterns": ROLE_LEAD_POLICY,
    "learning:refresh": POLICY,
    "learning:report": ROLE_LEAD_POLICY,
    "learning:report_request": ROLE_LEAD_POLICY,  # another municipality's lead asks for their own report
    "learning:report_status": OWN_LEAD_POLICY,  # a report of this municipality
    "learning:report_download": OWN_LEAD_POLICY,
    "learning:open_data": ROLE_LEAD_POLICY,
    "learning:open_data_csv": ROLE_LEAD_POLICY,
    "learning:stories": PLAN_TEAM | {"policy", "uninvolved", "other_municipality"},
    "learning:story_detail": OWN_LEAD_POLICY,
    "learning:story_publish": OWN_LEAD_POLICY,
    "learning:story_withdraw": OWN_LEAD_POLICY,
    "learning:themes": ROLE_LEAD_POLICY,
    "learning:theme_create": POLICY,
    "learning:theme_detail": OWN_LEAD_POLICY,
    "learning:theme_edit": POLICY,
    "learning:proposal_create": OWN_LEAD_POLICY,
    "learning:proposal_decide": POLICY,
    "learning:sessions": ROLE_LEAD_POLICY,
    "learning:session_create": ROLE_LEAD_POLICY,
    "learning:session_detail": OWN_LEAD_POLICY,
    "precedents:list": EVERYONE,
    "precedents:detail": EVERYONE,
    "open_data:index": EVERYONE,
    "open_data:csv": EVERYONE,
    "initiatives:list": EVERYONE,
    "initiatives:submit": EVERYONE,
    "initiatives:submit_thanks": EVERYONE,
    "initiatives:report_pdf": EVERYONE,  # a report of a published initiative
    "initiatives:moderation": MODERATOR,
    "initiatives:moderate_comment": MODERATOR,
    "initiatives:moderate_submission": MODERATOR,
    "initiatives:publish": MODERATOR,  # of a draft initiative (OVERRIDES)
    "initiatives:detail": EVERYONE,
    # --- issue 16: notifications ---
    "notifications:list": LOGGED_IN,
    "notifications:mark_all_read": LOGGED_IN,  # only the user's own notifications change
    "notifications:mark_read": LOGGED_IN,
    "notifications:preferences": LOGGED_IN,
    "notifications:calendar": LOGGED_IN,
    "notifications:feed": EVERYONE,  # the secret in the URL is the key (no login: a calendar client)
    "notifications:platform_ics": CASE_TEAM,
    "notifications:moment_ics": CASE_TEAM,
    # --- issue 18: meetings --- public pages need no login; the organiser is the moderator role.
    "meetings:list": EVERYONE,
    "meetings:detail": EVERYONE,
    "meetings:register": EVERYONE,
    "meetings:takeaway": EVERYONE,
    "meetings:cancel": EVERYONE,  # the secret link from the e-mail
    "meetings:download": EVERYONE,  # a document of a published meeting
    "meetings:organise": MODERATOR,
    "meetings:meeting_create": MODERATOR,
    "meetings:attendees": MODERATOR,
    "meetings:attendees_csv": MODERATOR,
    "meetings:documents": MODERATOR,
    "meetings:report": MODERATOR,
    "meetings:moderation": MODERATOR,
    "meetings:moderate": MODERATOR,
    "meetings:needs": MODERATOR,
    "meetings:follow_up_create": MODERATOR,
    "meetings:follow_up_status": MODERATOR,
    "meetings:programme": MODERATOR,
    # --- issue 12: funds, mandates, payments, loans ---
    "plan:loan_write_off": PLAN_TEAM,  # the service answers who may (a Dutch message after the redirect)
    "plan:funding_close": PLAN_TEAM - {"professional"},  # payers only (budget.close_funding): 403
    "budget:fund_detail": BUDGET_ROLES - {"other_municipality"},  # a fund of this municipality
    "budget:fund_csv": BUDGET_ROLES - {"other_municipality"},
    "budget:fund_iban": BUDGET_ROLES - {"other_municipality"},  # an empty form: a message, the service not asked
    "budget:sepa_export": frozenset({"approver", "admin"}),  # budget.export_sepa: a lead gets 403
    "budget:sepa_download": frozenset({"approver", "admin"}),  # budget.export_sepa
    "budget:mandates": frozenset({"approver", "admin"}),  # budget.manage_mandates
    "budget:funders": frozenset({"approver", "admin"}),  # budget.manage_funders (own municipality's list)
    "budget:funder_change": frozenset({"approver", "admin"}),  # budget.manage_funders
    # --- issue 17: import and export ---
    "transfer:home": frozenset({"professional", "lead", "approver", "uninvolved", "other_municipality"}),
    "transfer:upload": frozenset({"lead", "other_municipality"}),  # leads (own municipality's data)
    "transfer:import_status": CASE_LEAD,  # a batch of this municipality
    "transfer:import_confirm": CASE_LEAD,
    "transfer:import_cancel": CASE_LEAD,
    "transfer:export": frozenset({"professional", "lead", "approver", "uninvolved", "other_municipality"}),
    "transfer:export_cases_csv": frozenset({"professional", "lead", "approver", "uninvolved", "other_municipality"}),
    "transfer:export_cases_xlsx": frozenset({"professional", "lead", "approver", "uninvolved", "other_municipality"}),
    "transfer:case_file": CASE_TEAM,
    "transfer:case_file_json": CASE_LEAD,
    "transfer:case_file_pdf": CASE_LEAD,
    # --- issue 12: cost schedule and shares ---
    "plan:line_change": PLAN_TEAM,  # the form opens like plan:line_add; saving asks budget.edit_plan
    "plan:shares": PLAN_TEAM,  # the form opens like plan:line_add; saving asks budget.edit_plan
    "plan:share_agreement": PLAN_TEAM,  # an empty POST is refused with a message (redirect)
    # --- issue 16: documents ---
    "documents:upload": CASE_TEAM,  # a document of the case itself (owner "casus")
    "documents:download": CASE_TEAM,
    "platforms:external_add": CASE_LEAD,
}
LOGIN_IS_ALLOWED = {"core:logout"}


def _wanted(name: str) -> bool:
    if name.startswith("api:"):  # issue 17: the API has its own operation x role matrix (tests/api)
        return False
    return not name.startswith("admin:") or name == "admin:index"


def _actors(o):
    other = MunicipalityFactory()
    return {
        "professional": o.pro,  # involved in the case (World.case)
        "lead": o.lead,  # breakthrough lead of the case's team, involved
        "approver": o.approver,  # budget approver of the same team
        "policy": o.policy,
        "moderator": o.moderator,
        "admin": UserFactory(municipality=o.municipality, role=Role.ADMIN, is_staff=True),
        "uninvolved": UserFactory(
            municipality=o.municipality, team=TeamFactory(municipality=o.municipality), role=Role.PROFESSIONAL
        ),
        "other_municipality": UserFactory(municipality=other, team=TeamFactory(municipality=other), role=Role.LEAD),
        "anonymous": None,
    }


LOGIN_PATHS = ("/inloggen/", "/beheer/login/")


def classify(response, name: str = "") -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if status in (403, 404):
        return REFUSED
    if status == 302:
        to_login = urlsplit(response["Location"]).path in LOGIN_PATHS
        return REFUSED if to_login and name not in LOGIN_IS_ALLOWED else ALLOWED
    if status in (200, 400):
        return ALLOWED
    return f"unexpected {status}"


class Actor:
    def __init__(self, user):
        self.client = Client(raise_request_exception=False)
        self.cookie = session_cookie_for(user)["value"] if user is not None else None
        self._reset()

    def _reset(self):
        if self.cookie:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.cookie

    def open(self, path):
        response = self.client.get(path)
        if response.status_code == 405:
            with transaction.atomic():
                response = self.client.post(path, {})
                transaction.set_rollback(True)
            self._reset()  # a POST may have ended the session (logout); the rollback restored it in the database
        return response


def _patterns():
    return [(name, keys) for name, keys in url_patterns() if _wanted(name)]


MATRIX = [
    (name, actor, ALLOWED if actor in EXPECTATIONS[name] else REFUSED)
    for name, _keys in _patterns()
    if name in EXPECTATIONS
    for actor in ACTORS
]


def test_every_url_has_an_expectation_and_every_expectation_a_url():
    names = {name for name, _keys in _patterns()}
    assert sorted(names - EXPECTATIONS.keys()) == [], "new URL names: add them to EXPECTATIONS"
    assert sorted(EXPECTATIONS.keys() - names) == [], "EXPECTATIONS names URLs that no longer exist"
    assert all(actors <= EVERYONE for actors in EXPECTATIONS.values())


@pytest.mark.django_db
def test_url_role_matrix(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    o = build_world()
    o.report.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)  # so the PDF view has one
    overrides = {"initiatives:publish": o.variants[1]["initiative"]}  # publishing needs a draft
    users = _actors(o)
    actors = {key: Actor(users[key]) for key in ACTORS}
    paths = {}
    for name, keys in _patterns():
        path = reverse(name, kwargs=kwargs_for(name, keys, o))
        if name in overrides:
            path = reverse(name, args=[overrides[name].pk])
        paths[name] = path
    wrong = []
    for name, actor, expected in MATRIX:
        response = actors[actor].open(paths[name])
        got = classify(response, name)
        if got != expected:
            wrong.append(
                f"{name} ({paths[name]}) as {actor}: expected {expected}, got {got} "
                f"({response.status_code} {response.get('Location', '')})"
            )
    refusals = sum(1 for row in MATRIX if row[2] == REFUSED)
    assert wrong == [], "\n".join(wrong)
    assert len(MATRIX) == len(paths) * len(ACTORS) and refusals > 400
