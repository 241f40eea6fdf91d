from django.urls import path

from . import api

app_name = "budget-api"

urlpatterns = [
    path("vangnet/simulate/", api.VangnetSimulateView.as_view(), name="vangnet-simulate"),
    path(
        "betalingen/imports/",
        api.PaymentImportCreateView.as_view(),
        name="payment-import-create",
    ),
    path(
        "betalingen/imports/<int:pk>/",
        api.PaymentImportDetailView.as_view(),
        name="payment-import-detail",
    ),
]
