"""The access-log event codes (issue 11, point 6): every code passed to `core.audit.log_access`, with its meaning.

One registry, so a reader of the access log (NEN 7513 review, docs/security.md) knows what each `event` means, and
a new code is a visible change. `tests/core/test_audit_codes.py` reads the source tree and fails when a code used
in src/ is missing here, or when a code here is no longer used. A key with `*` is a family: each `*` stands for
one segment of lower-case letters, digits and underscores (the model name or verb filled in at run time).
`log_access` warns (logger `doorbraak.core.audit`) when it is handed a code that is not registered.
"""

import re

EVENT_CODES: dict[str, str] = {
    # Pages and refusals (core.access)
    "page.read": "A page was opened (GET); with outcome denied: a page the user may not open (403/404).",
    "page.write": "A form was sent to a page (POST); with outcome denied: a write the user may not do.",
    "*.read": "A denied read of one object, named by its model (case.read, story.read, theme.read ...) "
    "(get_visible_or_404 without an explicit event).",
    # Cases
    "case.read": "The case page was opened.",
    "case.search": "The case list was searched or filtered.",
    # Platforms
    "platform.read": "A platform (case conference) page was opened.",
    "platform.print": "The printable summary of a platform was opened (or refused).",
    # Budget
    "plan.read": "The custom plan of a case was opened.",
    "plan.print": "The PDF of a custom plan was made.",
    "budget.overview": "The budget overview of the municipality was opened.",
    # Learning: council report PDF (issue 14, learning.council_reports)
    "learning.council_report.request": "A council report PDF was asked for (a worker makes it).",
    "learning.council_report.read": "The waiting/download page of a council report was refused (404).",
    "learning.council_report.download": "A finished council report PDF was downloaded.",
    # Learning: stories
    "story.case_read": "The story page of a closed case was opened (writing a story).",
    "story.create": "An anonymised story was drafted from a case.",
    "story.read": "A story was opened.",
    "story.update": "A story draft was edited.",
    "story.approve": "A story was approved by the breakthrough lead.",
    "story.flag_keep": "A span the de-identification check flagged in a story was kept, with a reason.",
    "story.worklist": "The list of closed cases that may get a story was opened.",
    # Authentication (core.services_auth)
    "auth.login_succeeded": "Password and second factor accepted: a session started.",
    "auth.login_failed": "A wrong user name or password.",
    "auth.locked_out": "Too many failed logins: the account or address is locked for a while.",
    "auth.second_factor_passed": "The second factor (TOTP code) was accepted.",
    "auth.second_factor_failed": "A wrong second-factor code.",
    "auth.second_factor_enrolled": "A second-factor device was set up.",
    "auth.second_factor_removed": "A second-factor device was removed by its user.",
    "auth.enrolment_link_issued": "An administrator issued a one-time enrolment link for a user.",
    "auth.enrolment_link_opened": "A one-time enrolment link was opened.",
    "auth.enrolment_link_refused": "An expired, used or unknown enrolment link was opened.",
    "auth.enrolment_refused": "Enrolment was refused (link no longer valid when the form was sent).",
    "auth.password_changed": "A user changed their own password.",
    "auth.password_reset_requested": "A password reset was requested on the login page.",
    "auth.password_reset_sent": "A password-reset e-mail was sent (by request or by an administrator).",
    "auth.password_reset": "A password was set through a reset link.",
    "auth.session_ended": "A user ended one of their sessions.",
    "auth.sessions_ended": "A user ended all their other sessions.",
    # Administration (core.services_admin, the admin site)
    "admin.user.create": "An administrator created a user.",
    "admin.user.update": "An administrator changed a user.",
    "admin.role_change.requested": "A change of role or team was requested (four eyes).",
    "admin.role_change.approved": "A second administrator approved a role change.",
    "admin.role_change.rejected": "A second administrator rejected a role change.",
    "admin.second_factor.revoked": "An administrator revoked a user's second-factor device.",
    "admin.*.*": "A read or write through the admin site: admin.<object>.<list|read|history|create|update|delete|"
    "password_change> (AuditedAdminMixin).",
    # Security monitoring (core.audit)
    "security.denial_burst": "Many denied requests in a short time from one user or address; administrators mailed.",
    "security.log_checkpoint": "A signed checkpoint of the access-log chain was written.",
    "security.log_head_missing": "The access-log head row was missing and rebuilt (an integrity alarm).",
    "security.log_keyed": "First keyed row after legacy unkeyed rows (migration core.0006).",
    # --- issue 16: notifications (work inbox, calendar) ---
    "notifications.inbox.read": "The work inbox (home page) was shown: case titles of the user's visible cases.",
    "notifications.calendar.read": "The calendar page was shown: the user's coming platforms and evaluations.",
    "notifications.ics.platform": "The .ics of a platform meeting was downloaded.",
    "notifications.ics.evaluation": "The .ics of an evaluation moment was downloaded.",
    "notifications.calendar_feed.create": "A user made a new secret calendar-feed link (the old one stops working).",
    "notifications.calendar_feed.revoke": "A user revoked their calendar-feed link.",
    "notifications.calendar_feed.read": "A calendar client read a user's personal feed (neutral titles, links).",
    # --- issue 18: meetings ---
    "meeting.attendees": "An organiser opened the attendee list of a programme meeting (registrants' personal data).",
    "meeting.attendees_export": "An organiser exported the attendee list of a programme meeting as CSV.",
    "meeting.attendance": "An organiser recorded who attended a programme meeting.",
    "meeting.takeaways": "An organiser opened all takeaways and needs grouped by need (names of participants).",
    # --- issue 17: api --- (every API event has on_behalf_of = "api:<client id>")
    "api.case.list": "A page of the case list was read through the API.",
    "api.plan.list": "A page of the custom-plan list was read through the API.",
    "api.learning.read": "The protected learning cells of one period and breakdown were read through the API.",
    # --- issue 12: funds and payments ---
    "budget.fund": "The page of one fund (its totals and ledger entries) was opened (or refused).",
    "budget.fund_export": "The ledger entries of one fund were exported as CSV.",
    "budget.sepa_download": "A SEPA credit-transfer file (payee names and IBANs) was downloaded.",
    # --- issue 17: import and export (doorbraak.transfer) ---
    "transfer.import.upload": "A lead uploaded an import file (stored privately; the dry run is queued).",
    "transfer.import.read": "An import's dry run or log was opened (or refused).",
    "transfer.import.confirm": "The uploader confirmed an import that needs a second lead (four eyes).",
    "transfer.import.second_confirm": "A second lead confirmed an import; the commit is queued.",
    "transfer.import.commit": "The uploader confirmed an import; the commit is queued.",
    "transfer.import.cancel": "An import was cancelled and its file deleted.",
    "transfer.case_list.export_csv": "The case list (the user's visible cases, with filters) was exported as CSV.",
    "transfer.case_list.export_xlsx": "The case list (the user's visible cases, with filters) was exported as XLSX.",
    "transfer.case_file.export": "The complete case file of a household was exported for an access request.",
    # --- issue 16: documents ---
    "document.upload": "A document was uploaded to a case, platform, plan, loan or reclaim (denied: a virus found).",
    "document.download": "A document was downloaded (denied: not visible, or its file is gone).",
    "document.read": "A document's owner (case, platform, plan, loan, reclaim) was not found for an upload page.",
    "platform.external_participant": "A participant without an account was added to a platform.",
    "case.close_review": "The close-with-care page of a case was opened (what is still open).",
}

_FAMILIES = [
    re.compile("^" + r"[a-z0-9_]+".join(re.escape(part) for part in code.split("*")) + "$")
    for code in EVENT_CODES
    if "*" in code
]


def is_registered(code: str) -> bool:
    """Is `code` in the registry, exactly or as a member of a family?"""
    return code in EVENT_CODES or any(family.match(code) for family in _FAMILIES)
