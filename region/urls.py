from django.urls import path

from . import views

app_name = "region"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vergelijking/", views.comparison, name="comparison"),
    path(
        "vergelijking/export.csv",
        views.comparison_export,
        {"fmt": "csv"},
        name="comparison_csv",
    ),
    path(
        "vergelijking/export.xlsx",
        views.comparison_export,
        {"fmt": "xlsx"},
        name="comparison_xlsx",
    ),
    path("buig/", views.budget, name="budget"),
]
