from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("streefwaarden/", views.targets, name="targets"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/inwoners/", views.residents, name="residents"),
]
