from django.urls import path

from . import api

app_name = "indicators-api"

urlpatterns = [
    path("values/", api.IndicatorValuesView.as_view(), name="values"),
]
