"""`{% ratings_awaiting as awaiting %}`: the signed-in citizen's returned dossiers still to rate (for _prompt.html)."""
from django import template

from motcua.ratings.queries import awaiting_rating

register = template.Library()


@register.simple_tag(takes_context=True)
def ratings_awaiting(context):
    request = context.get("request")
    return awaiting_rating(getattr(request, "user", None)) if request is not None else []
