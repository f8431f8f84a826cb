"""Template tags: a procedure page's published questions and answers."""
from django import template

from motcua.feedback import queries

register = template.Library()


@register.inclusion_tag("feedback/_procedure_qa.html")
def procedure_qa(code: str, limit: int = 5):
    rows = list(queries.published(procedure_code=code)[:limit])
    return {"rows": rows, "code": code}
