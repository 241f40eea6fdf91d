"""The token and import pages (namespace ``apiauth``): under /beheer/, the key approvals of the
privacy officer under /privacy/."""

from django.urls import path

from . import views

app_name = "apiauth"

# HTML pages, included at the root by config/urls.py (before the admin at /beheer/)
urlpatterns = [
    path("beheer/sleutels/", views.token_list, name="token-list"),
    path("privacy/sleutels/goedkeuren/", views.token_approvals, name="token-approvals"),
    path("beheer/sleutels/<int:pk>/intrekken/", views.token_revoke, name="token-revoke"),
    path("beheer/import/", views.import_create, name="import-create"),
    path("beheer/import/<int:pk>/", views.import_detail, name="import-detail"),
]
