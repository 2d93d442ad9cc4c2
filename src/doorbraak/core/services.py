"""Writes for the core app. Authentication rules live in services_auth (re-exported here for callers)."""

from .services_auth import (  # noqa: F401
    AuthRefused,
    confirm_totp_device,
    issue_enrolment_link,
    may_enrol,
    pending_totp_device,
    send_password_reset_link,
    verify_second_factor,
)
