"""Login steps after the password (included at the root by config/urls.py)."""

from django.urls import path

from . import two_factor

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
]
