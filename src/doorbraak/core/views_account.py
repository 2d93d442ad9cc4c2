"""The user's own account: security notices, active sessions, password change; and password reset by e-mail."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services_auth
from .forms import DutchPasswordChangeForm, DutchSetPasswordForm, QuietPasswordResetForm
from .notifications import KIND_TEXTS


@login_required
def account(request):
    notices = list(services_auth.unseen_notices(request.user))
    sessions = list(services_auth.sessions_of(request.user))
    current = request.session.session_key
    context = {
        "notices": [{"notice": n, "text": KIND_TEXTS.get(n.kind, n.get_kind_display())} for n in notices],
        "sessions": [{"session": s, "current": s.session_key == current} for s in sessions],
        "has_other_sessions": any(s.session_key != current for s in sessions),
        "has_device": services_auth.has_confirmed_device(request.user),
    }
    return render(request, "core/account.html", context)


@login_required
@require_POST
def notices_seen(request):
    services_auth.mark_notices_seen(request.user)
    return redirect("core:account")


@login_required
@require_POST
def end_session(request, session_id):
    if services_auth.end_session(request, session_id):
        messages.success(request, _("De sessie is beëindigd."))
    else:
        messages.error(request, _("Deze sessie bestaat niet (meer) of is uw huidige sessie."))
    return redirect("core:account")


@login_required
@require_POST
def end_other_sessions(request):
    count = services_auth.end_other_sessions(request)
    messages.success(request, _("Uw andere sessies zijn beëindigd.") if count else _("U had geen andere sessies."))
    return redirect("core:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the own password: the current password first (re-authentication), then a strong new one."""

    template_name = "core/password_change.html"
    form_class = DutchPasswordChangeForm
    success_url = reverse_lazy("core:account")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves and keeps this session (update_session_auth_hash)
        services_auth.password_changed(self.request, form.user, old_session_key=old_key)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/password_reset.html"
    form_class = QuietPasswordResetForm
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form):
        form.save(request=self.request)
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mail link. It never logs in: the next login still asks for the code."""

    template_name = "core/password_reset_confirm.html"
    form_class = DutchSetPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services_auth.password_was_reset(self.request, form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"
