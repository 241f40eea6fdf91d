from django.urls import path

from . import api

app_name = "budget-api"

urlpatterns = [
    path("vangnet/simulate/", api.VangnetSimulateView.as_view(), name="vangnet-simulate"),
]
