from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("inwoner/<int:resident_id>/profiel/", views.profile, name="profile"),
    path("inwoner/<int:resident_id>/werkervaring/", views.experience_add, name="experience_add"),
    path(
        "inwoner/<int:resident_id>/werkervaring/<int:pk>/verwijderen/",
        views.experience_remove,
        name="experience_remove",
    ),
    path("inwoner/<int:resident_id>/toestemming/", views.consent_give, name="consent_give"),
    path(
        "inwoner/<int:resident_id>/toestemming/<int:pk>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "inwoner/<int:resident_id>/passende-vacatures/",
        views.resident_vacancies,
        name="resident_vacancies",
    ),
    path("profielen-onvolledig/", views.incomplete, name="incomplete"),
    path("beroepen/", views.occupations, name="occupations"),
    path("vacatures/<int:pk>/kandidaten/", views.candidates, name="candidates"),
    path("vacatures/<int:pk>/voordragen/", views.propose, name="propose"),
    path("voordrachten/<int:pk>/antwoord/", views.answer, name="answer"),
    path("voordrachten/<int:pk>/plaatsing/", views.placement, name="placement"),
    path("plaatsingen/", views.placements, name="placements"),
]
