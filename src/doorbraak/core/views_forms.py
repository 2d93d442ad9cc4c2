"""The one form page (issue 11): render a form, validate it, call the service, turn its refusal into a Dutch message
next to the field, redirect after success. Every app's form views use it instead of a helper of their own.

    return form_page(
        request,
        form,
        template="cases/case_subform.html",
        context={"case": case, "title": title},
        save=lambda form: services.add_member(request.user, case, **form.cleaned_data),
        done_message=_("Opgeslagen."),
        redirect_to=reverse("cases:detail", kwargs={"case_id": case.pk}),
    )
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render

from .errors import RuleError
from .form_tokens import DuplicateSubmission


def form_page(
    request,
    form,
    *,
    template: str,
    context: dict | None = None,
    save: Callable[[Any], Any],
    done_message,
    redirect_to,
    replay_to=None,
):
    """One form page.

    A GET, or a POST whose form is invalid, renders `template` with `context` plus `form` (status 400 when the form
    has errors, so what was typed stays on the page). A valid POST calls `save(form)`:

    - it returns: `done_message` as a success message and a redirect to `redirect_to`;
    - it raises `RuleError`: the message on `error.field` (None, or a field the form does not have: at the top of the
      form) and the form again with status 400;
    - it raises `DuplicateSubmission` (a double submit; `ForeignToken` carries its own message): that message as an
      info message and a redirect to `replay_to` (default `redirect_to`); nothing is saved again.

    `done_message` and `redirect_to` may be callables of what `save` returned; when `redirect_to` is one, `replay_to`
    must be given (a replay returns nothing). Targets are what `django.shortcuts.redirect` takes (a URL or a view
    name).
    """
    if replay_to is None:
        if callable(redirect_to):
            raise TypeError("form_page: give replay_to when redirect_to is a callable")
        replay_to = redirect_to
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form)
        except DuplicateSubmission as exc:
            messages.info(request, exc.message)
            return redirect(replay_to)
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done_message(result) if callable(done_message) else done_message)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {**(context or {}), "form": form}, status=400 if form.errors else 200)
