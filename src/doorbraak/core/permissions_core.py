"""The core app's own rules in the rule book (issue 11), imported from CoreConfig.ready().

`core.administer`: open the admin site (/beheer/): administrators of a municipality with staff status (what the
admin site itself asks) and superusers. The admin
site's own checks (AdministratorsReadOnlyMixin, separation of duties) stay where they are; this rule is what the
navigation menu and the views ask before showing or opening the admin.
"""

import rules

from .permissions import ADMINISTRATORS, define, has_role


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


@rules.predicate
def is_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False))


define("core.administer", (has_role(ADMINISTRATORS) & is_staff) | is_superuser)
