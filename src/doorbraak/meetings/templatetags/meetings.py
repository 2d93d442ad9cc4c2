"""`{% initiative_takeaways initiative as takeaways %}`: the published takeaways that refer to an initiative, for its
page in the registry (included there with one line; the registry itself imports nothing of this app)."""

from django import template

from doorbraak.meetings import selectors

register = template.Library()


@register.simple_tag
def initiative_takeaways(initiative):
    if initiative is None or not getattr(initiative, "pk", None):
        return []
    return selectors.takeaways_for_initiative(initiative)
