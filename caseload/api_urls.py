"""/api/v1/caseload/: the caseload resources (the token and import pages are under /beheer/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import (
    applications,
    benefits,
    contacts,
    debts,
    fraud,
    groups,
    households,
    ladder,
    outflow,
    residents,
    trajectories,
)

app_name = "caseload-api"

router = SimpleRouter()
router.register("residents", residents.ResidentViewSet, basename="resident")
router.register("households", households.HouseholdViewSet, basename="household")
router.register("benefits", benefits.BenefitViewSet, basename="benefit")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("group-assignments", groups.GroupAssignmentViewSet, basename="group-assignment")
router.register("instruments", trajectories.InstrumentViewSet, basename="instrument")
router.register("trajectories", trajectories.TrajectoryViewSet, basename="trajectory")
router.register("outflow-events", outflow.OutflowEventViewSet, basename="outflow-event")
router.register("contact-moments", contacts.ContactMomentViewSet, basename="contact-moment")
router.register("ladder-scores", ladder.LadderScoreViewSet, basename="ladder-score")
router.register(
    "fraud-investigations", fraud.FraudInvestigationViewSet, basename="fraud-investigation"
)
router.register("debt-cases", debts.DebtCaseViewSet, basename="debt-case")

urlpatterns = [
    path("", include(router.urls)),
]
