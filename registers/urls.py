from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.start, name="start"),
    path("gegevens/", views.register, name="register"),
]
