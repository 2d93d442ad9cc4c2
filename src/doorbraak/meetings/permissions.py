"""The rules of programme meetings (issue 18), registered in the core rule book.

Who organises: the programme's moderators (role `moderator`). They already moderate the public registry, so
publishing takeaways is the same job; no new role in core. Everything an organiser does asks `meetings.organise`
(meetings, documents, attendee list, attendance, follow-ups, the programme view) or `meetings.moderate`
(publishing takeaways). Registering, cancelling and sending a takeaway need no account: `meetings.register`
only asks that the meeting is published.
"""

import rules

from doorbraak.core.permissions import MODERATORS, define, has_role


@rules.predicate
def is_published_meeting(user, meeting) -> bool:
    return bool(meeting is not None and getattr(meeting, "is_published", False))


is_organiser = has_role(MODERATORS)

define("meetings.organise", is_organiser)  # create meetings, upload documents, attendees, follow-ups, programme view
define("meetings.moderate", is_organiser)  # publish or reject takeaways
define("meetings.register", is_published_meeting)  # anyone, anonymous included, on a published meeting
define("meetings.send_takeaway", is_published_meeting)
