"""The rules of the initiative registry (issue 11), registered in the core rule book.

The registry is public: reading published pages, sending a suggestion and commenting on a published
initiative need no rule beyond `initiatives.comment` (the initiative must be published). Everything a
moderator does (the queue, drafts, decisions, publishing) asks `initiatives.moderate` / `initiatives.publish`;
attaching a report PDF (done in the admin) asks `initiatives.manage_reports`.
"""

import rules

from doorbraak.core.permissions import ADMINISTRATORS, MODERATORS, define, has_role


@rules.predicate
def is_published_initiative(user, initiative) -> bool:
    return bool(initiative is not None and getattr(initiative, "is_published", False))


is_moderator = has_role(MODERATORS)

define("initiatives.moderate", is_moderator)  # the queue, drafts, deciding on submissions and comments
define("initiatives.publish", is_moderator)  # a draft initiative page into the public registry
define("initiatives.manage_reports", has_role(ADMINISTRATORS))  # attach a research report PDF (admin site)
define("initiatives.comment", is_published_initiative)  # anyone, anonymous included, on a published page
