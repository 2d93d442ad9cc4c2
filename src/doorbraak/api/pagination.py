"""Page pagination with camelCase keys (`page`, `pageSize`) and an RFC 8288 `Link` header (first, prev, next,
last). The body carries the total and the page's rows; the order is always deterministic (by id)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 100


class LinkHeaderPagination(PageNumberPagination):
    page_size = 20
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()

    def _number(self, request, name: str, low: int, high: int | None, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or not (low <= int(raw) <= (high or 10**9)):
            upper = f" tot en met {high}" if high else ""
            raise ValidationError(
                {name: [_("Geef een geheel getal vanaf %(low)s%(upper)s.") % {"low": low, "upper": upper}]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        """Strict parameters (ADR-10): a page size or number that is not a whole number in range is a 400."""
        size = self._number(request, self.page_size_query_param, 1, self.max_page_size, self.page_size)
        self._number(request, self.page_query_param, 1, None, 1)
        self.page_size = size
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return self.page_size

    def _url(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def links(self) -> str:
        page = self.page
        parts = [f'<{self._url(1)}>; rel="first"']
        if page.has_previous():
            parts.append(f'<{self._url(page.previous_page_number())}>; rel="prev"')
        if page.has_next():
            parts.append(f'<{self._url(page.next_page_number())}>; rel="next"')
        parts.append(f'<{self._url(page.paginator.num_pages)}>; rel="last"')
        return ", ".join(parts)

    def get_paginated_response(self, data):
        count = self.page.paginator.count
        return Response(
            {"totaal": count, "pagina": self.page.number, "resultaten": data},
            headers={"Link": self.links(), "X-Total-Count": str(count)},
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["totaal", "pagina", "resultaten"],
            "properties": {
                "totaal": {"type": "integer", "minimum": 0, "description": "Aantal resultaten over alle pagina's."},
                "pagina": {"type": "integer", "minimum": 1, "description": "Nummer van deze pagina."},
                "resultaten": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Paginanummer (vanaf 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "pageSize",
                "required": False,
                "in": "query",
                "description": f"Aantal resultaten per pagina (1 tot en met {MAX_PAGE_SIZE}; standaard 20).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
