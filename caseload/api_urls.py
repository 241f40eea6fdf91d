"""/api/v1/caseload/: the caseload resources (the token and import pages are under /beheer/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

app_name = "caseload-api"

router = SimpleRouter()
router.register("residents", api.ResidentViewSet, basename="resident")
router.register("households", api.HouseholdViewSet, basename="household")
router.register("benefits", api.BenefitViewSet, basename="benefit")
router.register("applications", api.ApplicationViewSet, basename="application")
router.register("group-assignments", api.GroupAssignmentViewSet, basename="group-assignment")
router.register("instruments", api.InstrumentViewSet, basename="instrument")
router.register("trajectories", api.TrajectoryViewSet, basename="trajectory")
router.register("outflow-events", api.OutflowEventViewSet, basename="outflow-event")
router.register("contact-moments", api.ContactMomentViewSet, basename="contact-moment")
router.register("ladder-scores", api.LadderScoreViewSet, basename="ladder-score")
router.register(
    "fraud-investigations", api.FraudInvestigationViewSet, basename="fraud-investigation"
)
router.register("debt-cases", api.DebtCaseViewSet, basename="debt-case")

urlpatterns = [
    path("", include(router.urls)),
]
