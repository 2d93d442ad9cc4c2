"""What the case platforms still have open when a case closes (issue 16, closing with care): the open actions.
Listed in settings.CLOSE_CHECKS; the lead lets each lapse (services.cancel_action) or keeps it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doorbraak.cases.close_checks import OpenItem

from .models import PlatformAction


def open_items(user, case) -> list[OpenItem]:
    from . import services

    actions = PlatformAction.objects.filter(
        platform__case=case, done_on__isnull=True, cancelled_on__isnull=True
    ).select_related("owner__user", "owner__organisation", "platform")
    items = []
    for action in actions:
        action.platform.case = case

        def cancel(acting_user, action=action):
            services.cancel_action(acting_user, action)

        items.append(
            OpenItem(
                key=f"platforms-action-{action.pk}",
                group=_("Open acties"),
                label=_("%(what)s – %(who)s, uiterlijk %(due)s")
                % {"what": action.what, "who": str(action.owner), "due": action.due_on.strftime("%d-%m-%Y")},
                cancel=cancel,
                cancel_label=_("Laten vervallen"),
                keep_label=_("Laten staan (blijft open op het casusplatform)"),
            )
        )
    return items
