"""Password reset by e-mailed one-time link (issue #12, finding 1).

Nobody sets another person's password: the functioneel beheerder (or a technical administrator)
sends a link from the admin ("Stuur herstel-link"); the person opens it and chooses a new password
on a Dutch page. The link is Django's password reset token (``PASSWORD_RESET_TIMEOUT``; it
dies with the password change or the next login). The pages live under ``/inloggen/`` so that the
two-factor middleware lets a half-signed-in browser through, and setting the password does not sign
anyone in: the person is sent to the login page, password and second factor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.txt"


def password_reset_link_send(*, user, request: HttpRequest) -> None:
    """E-mail ``user`` a one-time link to set a new password (also for an account without a
    usable password yet, e.g. just created). The caller checks that it may manage ``user``."""
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "domain": request.get_host(),
        "site_name": _("Werk en Inkomen"),
        "protocol": "https" if request.is_secure() else "http",
        "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
    }
    PasswordResetForm().send_mail(
        SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, settings.DEFAULT_FROM_EMAIL, user.email
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, then the login page (never signed in from here)."""

    template_name = "registration/password_reset_confirm.html"
    post_reset_login = False
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Uw nieuwe wachtwoord is ingesteld. Log opnieuw in."))
        return response
