"""`{% documents_for obj %}`: the documents block on the case, platform and plan pages (one line in each)."""

from django import template

from ..selectors import documents_for as select_documents

register = template.Library()


@register.inclusion_tag("documents/_documents.html", takes_context=True)
def documents_for(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return select_documents(user, obj)
