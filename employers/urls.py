from django.urls import path

from . import views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("nieuw/", views.employer_create, name="employer_create"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<int:pk>/wijzigen/", views.employer_edit, name="employer_edit"),
    path("<int:pk>/vestigingen/", views.location_add, name="location_add"),
    path("<int:pk>/contactpersonen/", views.contact_add, name="contact_add"),
    path("<int:pk>/toezeggingen/", views.commitment_set, name="commitment_set"),
    path("<int:pk>/vacatures/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("<int:pk>/vacatures/import/", views.vacancy_import, name="vacancy_import"),
    path("vacatures/", views.worklist, name="worklist"),
    path("vacatures/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacatures/<int:pk>/wijzigen/", views.vacancy_edit, name="vacancy_edit"),
    path("vacatures/<int:pk>/sluiten/", views.vacancy_close, name="vacancy_close"),
]
