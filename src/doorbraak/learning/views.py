"""Learning pages under /leren/. Thin; only policy staff and leads, everyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    if not selectors.may_see_learning(request.user):
        raise Http404
    counts = selectors.barrier_counts(request.user.municipality)
    total_label, total = list(counts.items())[-1]
    rows = list(counts.items())[:-1]
    return render(request, "learning/home.html", {"rows": rows, "total_label": total_label, "total": total})
