"""The learning app's rules in the rule book (issue 11), registered from LearningConfig.ready().

    learning.view_insights   dashboard, patterns, council report, open data, themes, sessions, shared stories
                             (policy officer and breakthrough lead of the object's municipality)
    learning.refresh         "Cijfers nu bijwerken": the policy officer
    learning.manage_themes   create and edit themes (obj: the theme, or None for a new one): the policy officer
    learning.propose         propose a policy change for a theme: policy officer and lead
    learning.decide          adopt or reject a proposal: the policy officer
    learning.record_session  record a learning session (obj: its theme or None): policy officer and lead
    learning.view_stories    open /leren/verhalen/ (and the menu item): the readers above and everyone who works
                             on cases (STORY_READERS)
    learning.write_story     draft and edit the anonymised story of a case (obj: the case or a story): someone in
                             `story_cases(user)` (the case's need-to-know plus AVG-02's grace period)
    learning.approve_story   four eyes: learning.write_story, and not the person who wrote the current version
    learning.publish_story   put an approved story in the public register: the policy officer of its municipality
    learning.withdraw_story  take it out again: the same

Every rule with an object also checks that the object belongs to the user's municipality; `obj=None` means "in
general" (the menu, a page without an object). Reads of objects a user may not see are 404 (`core.access`), not
403: the read selectors ask these rules and raise `deny(user)` when they say no.
"""

from __future__ import annotations

import rules

from doorbraak.core import permissions as rulebook
from doorbraak.core.access import deny
from doorbraak.core.models import Role

POLICY = frozenset({Role.POLICY})


@rules.predicate
def in_a_municipality(user) -> bool:
    return bool(getattr(user, "municipality_id", None))


@rules.predicate
def own_or_general(user, obj) -> bool:
    """No object (the rule in general), or an object of the user's municipality."""
    return obj is None or rulebook.same_municipality(user, obj)


def _case_id(obj):
    return getattr(obj, "case_id", None) if hasattr(obj, "case_id") else getattr(obj, "pk", None)


@rules.predicate
def works_on_story_case(user, obj) -> bool:
    """The user may work on the story of this case (obj: a Case or a Story): visible_to plus the grace period."""
    if obj is None:
        return False
    from .stories.selectors import story_cases  # the stories selectors import this module

    case_id = _case_id(obj)
    return case_id is not None and story_cases(user).filter(pk=case_id).exists()


@rules.predicate
def not_last_editor(user, story) -> bool:
    if story is None:
        return False
    return user.pk != (story.edited_by_id or story.created_by_id)


readers = rulebook.has_role(rulebook.LEARNING_READERS) & in_a_municipality & own_or_general
policy = rulebook.has_role(POLICY) & in_a_municipality & own_or_general
story_writers = rulebook.has_role(rulebook.STORY_WRITERS) & in_a_municipality

RULES = {
    "learning.view_insights": readers,
    "learning.refresh": policy,
    "learning.manage_themes": policy,
    "learning.propose": readers,
    "learning.decide": policy,
    "learning.record_session": readers,
    "learning.view_stories": rulebook.has_role(rulebook.STORY_READERS) & in_a_municipality,
    "learning.write_story": story_writers & works_on_story_case,
    "learning.approve_story": story_writers & works_on_story_case & not_last_editor,
    "learning.publish_story": rulebook.has_role(POLICY) & rulebook.same_municipality,
    "learning.withdraw_story": rulebook.has_role(POLICY) & rulebook.same_municipality,
}


def may_see_learning(user) -> bool:
    """The learning pages in general (learning.view_insights): policy officers and leads."""
    return rulebook.allowed("learning.view_insights", user)


def require_read(name: str, user, obj=None, **refusal) -> None:
    """For reads: a refused rule is a 404 that is logged as a denied access (the page is not revealed);
    `refusal` goes to core.access.deny (purpose, object_type, ...)."""
    if not rulebook.allowed(name, user, obj):
        raise deny(user, **refusal)


def register() -> None:
    """Called from LearningConfig.ready()."""
    for name, predicate in RULES.items():
        rulebook.define(name, predicate)
