"""Keyset (cursor) pagination for the API's big lists: no exact count of a million rows on every page.

A page is found by the position of the last row seen (an opaque `cursor` in the `next` / `previous` links), so the
first page and the thousandth cost the same and nothing counts the rows. The answer is
`{"next": url|null, "previous": url|null, "results": [...]}`; there is no `count` and no page number.
"""
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Newest first by id (unique, the primary key's index), 100 a page, `page_size` up to 200.

    A view may page in its own order by setting `keyset_ordering` (a tuple whose first key is never null for the
    rows listed and whose last key is unique, e.g. `("submitted_at", "id")`); ties on the first key are skipped by
    the cursor's offset, and `a__b` keys are read through the related row (or from a `values()` row's own key).
    Such a page only goes forward (`previous` is null): DRF's backward step is not exact when many rows share the
    first key (same due time).
    """

    ordering = ("-id",)
    page_size = 100
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "keyset_ordering", None) or self.ordering)

    def get_previous_link(self):
        if getattr(self, "_own_order", False):
            return None
        return super().get_previous_link()

    def paginate_queryset(self, queryset, request, view=None):
        self._own_order = bool(getattr(view, "keyset_ordering", None))
        return super().paginate_queryset(queryset, request, view)

    def _get_position_from_instance(self, instance, ordering):
        key = ordering[0].lstrip("-")
        if isinstance(instance, dict) and key in instance:  # a row of `values()` (dossiers.queries.list_values)
            return str(instance[key])
        value = instance
        for part in key.split("__"):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return str(value)
