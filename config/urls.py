from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from apiauth import views as apiauth_views
from common import views as common_views

# the admin is functioneel beheer's workspace in the product's language, not Django's default
# "Websitebeheer" (the walk of 3 December)
admin.site.site_header = _("Werk en Inkomen: beheer")
admin.site.site_title = _("Werk en Inkomen: beheer")
admin.site.index_title = _("Gegevens en instellingen")

api_v1 = [
    path("caseload/", include("caseload.api_urls")),
    path("indicators/", include("indicators.api_urls")),
    path("budget/", include("budget.api_urls")),
    path("employers/", include("employers.api_urls")),  # werkgeversservicepunt (#18)
    path("matching/", include("matching.api_urls")),  # profiles, proposals, placements (#18)
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", apiauth_views.api_docs, name="api-docs"),
]

urlpatterns = [
    path("", common_views.home, name="home"),
    path("health/", common_views.health, name="health"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("", include("common.urls")),  # two-factor steps after the password (#6)
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # HTML pages of functioneel beheer (/beheer/sleutels/, /beheer/import/) and the privacy
    # officer (/privacy/sleutels/goedkeuren/), before the admin that is mounted at /beheer/ too
    # (no admin app label is "sleutels" or "import")
    path("", include("apiauth.urls")),
    path("privacy/", include("privacy.urls")),
    path("beheer/", admin.site.urls),
    # the old paths of those pages, for one release (issue 16, point 5): GET answers 301
    re_path(
        r"^api/v1/caseload/beheer/sleutels/goedkeuren/$",
        common_views.moved_permanently,
        {"prefix": "/privacy/sleutels/goedkeuren/"},
    ),
    re_path(
        r"^api/v1/caseload/beheer/(?P<rest>(?:sleutels|import)/.*)$",
        common_views.moved_permanently,
        {"prefix": "/beheer/"},
    ),
    re_path(
        r"^caseload/privacy/(?P<rest>.*)$", common_views.moved_permanently, {"prefix": "/privacy/"}
    ),
    path("api/v1/", include(api_v1)),
    path("caseload/", include("caseload.urls")),
    # the new application with its BRP look-up (#14), and the decision on it
    path("aanvraag/", include("registers.urls")),
    path("intake/", include("intake.urls")),
    path("indicatoren/", include("indicators.urls")),
    path("budget/", include("budget.urls")),
    path("werkgevers/", include("employers.urls")),  # werkgeversservicepunt (#18)
    path("regio/", include("region.urls")),  # the region: aggregates, comparison, BUIG (#17)
    path("matching/", include("matching.urls")),  # profiles, candidates, placements (#18)
]

# Errors in the caller's format: a Dutch page, or the API's JSON error when a REST framework view
# answers (#12; common.request_kind).
handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
