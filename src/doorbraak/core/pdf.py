"""The one PDF helper (issue 11): HTML from a template to a PDF with the site's print stylesheet (WeasyPrint),
and the response that hands it out. Used by the plan's PDF (budget) and the council report (learning)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = "doorbraak/doorbraak.css"


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported late: WeasyPrint loads Pango, which plain requests do not need

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(STYLESHEET))])


def render_pdf(template: str, context: dict, request=None) -> bytes:
    return html_to_pdf(render_to_string(template, context, request=request))


def pdf_response(pdf: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    """The PDF as a response; shown in the browser unless `attachment`. `filename` must be plain ASCII."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response
