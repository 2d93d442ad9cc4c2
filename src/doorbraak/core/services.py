"""Writes for the core app: second-factor enrolment and verification."""

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import log_access
from .models import AccessEvent

DEVICE_NAME = "Authenticator-app"


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first use (its secret stays the same until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(request, token: str) -> bool:
    """Confirm the pending device with a first code; logs the user in at the second factor."""
    user = request.user
    with transaction.atomic():
        device = pending_totp_device(user)
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    log_access(request, "auth.second_factor_enrolled", action=AccessEvent.Action.CREATE,
               obj=device, purpose="authentication")
    return True


def verify_second_factor(request, token: str) -> bool:
    """Check a TOTP code against the user's confirmed devices; a code is accepted only once (ASVS 6.5.1)."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    log_access(request, "auth.second_factor_failed", action=AccessEvent.Action.EXECUTE,
               object_type="core.user", object_id=request.user.pk, purpose="authentication",
               outcome=AccessEvent.Outcome.FAILURE)
    return False
