from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("nieuw/", views.start, name="start"),
    path("nieuw/gegevens/", views.register, name="register"),
    # a new application of a resident who is registered already (a returning client)
    path(
        "inwoners/<int:resident_id>/nieuwe-aanvraag/",
        views.application_new,
        name="application_new",
    ),
    # the decision on an application in behandeling, from the dossier
    path(
        "inwoners/<int:resident_id>/beslissen/",
        views.application_decide,
        name="application_decide",
    ),
]
