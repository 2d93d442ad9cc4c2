"""Learning pages under /leren/: dashboard, patterns, council report, open data. Thin; policy staff and leads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors


@login_required
def dashboard(request):
    if not selectors.may_see_learning(request.user):
        raise Http404
    counts = selectors.barrier_counts(request.user.municipality)
    total_label, total = list(counts.items())[-1]
    rows = list(counts.items())[:-1]
    return render(request, "learning/home.html", {"rows": rows, "total_label": total_label, "total": total})


def _todo(request, *args, **kwargs):
    raise Http404


patterns = refresh = report = report_pdf = open_data = open_data_csv = login_required(_todo)
