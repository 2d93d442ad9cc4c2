"""The one rule error (issue 11): a business rule refuses a write or a read. Every service raises it; pages turn it
into a Dutch message next to the field (`field`) or at the top of the form, and never into a 500.

    raise RuleError(_("De datum van de doorbraak ligt in de toekomst."), field="broke_on")

Refusals of *who* may do something are not rule errors: they are `core.permissions.Refused` (a
PermissionDenied, 403) or, where the object must stay invisible, `core.access.Refusal` (a logged 404).
"""

from __future__ import annotations


class RuleError(Exception):
    """A business rule refuses the action. `message` is Dutch and shown to the user; `field` (optional) is the
    form field it belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
