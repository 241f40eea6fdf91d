from django.urls import path

from . import views

app_name = "apiauth"

urlpatterns = [
    path("sleutels/", views.token_list, name="token-list"),
    path("sleutels/goedkeuren/", views.token_approvals, name="token-approvals"),
    path("sleutels/<int:pk>/intrekken/", views.token_revoke, name="token-revoke"),
    path("import/", views.import_create, name="import-create"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
]
