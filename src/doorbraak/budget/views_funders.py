"""The municipality's funder list (issue 12, point 2): one page lists every funder with its state and adds one the
municipality does not use yet; one page changes a funder (name, who pays, active). Administrator or budget holder
(`budget.manage_funders`); anyone else gets the role-gated 404. The cost-line form offers the active funders."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from doorbraak.core.choices import Funder
from doorbraak.core.views_forms import form_page

from . import selectors, services
from .forms_funds import FunderAddForm, FunderChangeForm


def _rows(request):
    return selectors.funder_list(request.user)  # the rule first: a logged 404 for anyone else


@login_required
def funders(request):
    rows = _rows(request)
    addable = [(r["code"], r["label"]) for r in rows if not r["active"]]
    form = FunderAddForm(request.POST or None, codes=addable, initial={"kind": "external"})

    def save(form):
        d = form.cleaned_data
        return services.set_funder(request.user, code=d["code"], name=d["name"], kind=d["kind"], active=True)

    return form_page(
        request,
        form,
        template="budget/funders.html",
        context={"rows": rows, "addable": addable},
        save=save,
        done_message=lambda row: _("%(f)s staat in de lijst en is aan te kiezen in kostenregels.") % {"f": row},
        redirect_to=reverse("budget:funders"),
    )


@login_required
def funder_change(request, funder):
    rows = _rows(request)
    if funder not in Funder.values:
        raise Http404
    row = next(r for r in rows if r["code"] == funder)
    initial = {"name": row["name"], "kind": row["kind"], "active": row["active"]}
    form = FunderChangeForm(request.POST or None, initial=initial)

    def save(form):
        d = form.cleaned_data
        return services.set_funder(request.user, code=funder, name=d["name"], kind=d["kind"], active=d["active"])

    return form_page(
        request,
        form,
        template="budget/funder_change.html",
        context={"row": row},
        save=save,
        done_message=lambda saved: _("%(f)s is bijgewerkt.") % {"f": saved},
        redirect_to=reverse("budget:funders"),
    )
