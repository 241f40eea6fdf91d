from django.urls import path

from . import views

app_name = "region"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vergelijking/", views.comparison, name="comparison"),
    path("buig/", views.budget, name="budget"),
]
