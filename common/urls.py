"""Login steps after the password, and the password reset link's page (included at the root by
config/urls.py). All under /inloggen/, which the two-factor middleware leaves open."""

from django.urls import path

from . import two_factor
from .password_reset import PasswordResetConfirmView

urlpatterns = [
    path(
        "inloggen/tweestapsverificatie/",
        two_factor.two_factor_verify,
        name="two_factor_verify",
    ),
    path(
        "inloggen/tweestapsverificatie/instellen/",
        two_factor.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "inloggen/nieuw-wachtwoord/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
