from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("vangnet/", views.vangnet, name="vangnet"),
    path("businesscase/", views.business_case, name="business_case"),
    path("import/", views.imports, name="imports"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("betalingen/", views.payments, name="payments"),
    path("betalingen/<int:pk>/status/", views.payment_import_status, name="payment_import_status"),
    path("aansluiting/", views.reconciliation, name="reconciliation"),
    path("rapporten/", views.reports, name="reports"),
    path("rapporten/<int:pk>/status/", views.report_status, name="report_status"),
    path("rapporten/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
]
