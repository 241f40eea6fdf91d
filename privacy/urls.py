"""Privacy pages, included under /privacy/ by config/urls.py (namespace ``privacy``)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("doorbraak/<int:resident_id>/", views.break_glass, name="break_glass"),
    path("doorbraken/", views.break_glass_review, name="break_glass_review"),
    path("medewerkers/goedkeuren/", views.access_approvals, name="access_approvals"),
    path("verwerkingen/", views.log_search, name="log_search"),
    path("verwerkingen/inwoner/<int:resident_id>/", views.log_resident, name="log_resident"),
    path(
        "verwerkingen/inwoner/<int:resident_id>/export.<str:fmt>",
        views.log_resident_export,
        name="log_resident_export",
    ),
    path("verwerkingen/persoon/<str:token>/", views.log_person, name="log_person"),
    path("verwerkingen/medewerker/<int:staff_id>/", views.log_user, name="log_user"),
    path("inzage/<int:resident_id>/", views.subject_access, name="subject_access"),
    path(
        "inzage/<int:resident_id>/export.<str:fmt>",
        views.subject_access_export,
        name="subject_access_export",
    ),
]
