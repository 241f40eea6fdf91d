from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from apiauth import views as apiauth_views
from common import views as common_views

api_v1 = [
    path("caseload/", include("caseload.api_urls")),
    path("intake/", include("intake.api_urls")),
    path("indicators/", include("indicators.api_urls")),
    path("budget/", include("budget.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", apiauth_views.api_docs, name="api-docs"),
]

urlpatterns = [
    path("", common_views.home, name="home"),
    path("health/", common_views.health, name="health"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("", include("common.urls")),  # two-factor steps after the password (#6)
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("caseload/", include("caseload.urls")),
    path("intake/", include("intake.urls")),
    path("indicatoren/", include("indicators.urls")),
    path("budget/", include("budget.urls")),
]

# Errors in the caller's format: a Dutch page, or the API's JSON error under /api/ (#12).
handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
