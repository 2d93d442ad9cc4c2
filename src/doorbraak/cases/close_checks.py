"""Closing a case with care (issue 16): what is still open across the apps when a case closes.

`cases` may not import platforms or budget, so they tell it: settings.CLOSE_CHECKS lists functions
`open_items(user, case) -> list[OpenItem]` (like DEMO_LOADERS), one per app (platforms: open actions; budget: unpaid
commitments and loans with terms to come). The case's own planned evaluations are listed here. Each item can be
kept, and lapses only when its app gave a `cancel(user)` that does it (with its own timeline entry);
`cases.services.close_with_care` asks a decision for every item and does it all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

CANCEL, KEEP = "cancel", "keep"


@dataclass(frozen=True)
class OpenItem:
    key: str  # stable and form-safe: "<app>-<kind>-<id>"
    group: str  # Dutch heading: "Geplande evaluaties"
    label: str  # Dutch, what it is
    keep_label: str
    cancel: Callable[[object], None] | None = None  # cancel(acting_user); None: it can only be kept (templates
    # ask `can_cancel`: a template would try to call `cancel` itself)
    cancel_label: str = ""

    @property
    def can_cancel(self) -> bool:
        return self.cancel is not None

    @property
    def choices(self) -> tuple[str, ...]:
        return (CANCEL, KEEP) if self.cancel is not None else (KEEP,)


def providers() -> list[Callable]:
    return [import_string(path) for path in settings.CLOSE_CHECKS]


def _follow_ups(user, case) -> list[OpenItem]:
    from . import services
    from .models import FollowUpMoment

    items = []
    for moment in FollowUpMoment.objects.filter(case=case, done_on__isnull=True).order_by("due_on", "id"):

        def cancel(acting_user, moment=moment):
            services.cancel_follow_up(acting_user, case, moment)

        items.append(
            OpenItem(
                key=f"cases-follow_up-{moment.pk}",
                group=_("Geplande evaluaties"),
                label=_("Evaluatie gepland op %(d)s") % {"d": moment.due_on.strftime("%d-%m-%Y")},
                cancel=cancel,
                cancel_label=_("Schrappen"),
                keep_label=_("Laten staan (de evaluatie gaat door als nazorg)"),
            )
        )
    return items


def open_items(user, case) -> list[OpenItem]:
    """Everything still open on `case`, the case's own items first, then each provider's, in settings order."""
    items = _follow_ups(user, case)
    for provider in providers():
        items.extend(provider(user, case))
    return items
