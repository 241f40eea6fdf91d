"""/api/v1/matching/: profiles, consent, ranked candidates and vacancies, proposals, placements."""

from rest_framework.routers import SimpleRouter

from . import api

app_name = "matching-api"

router = SimpleRouter()
router.register("residents", api.ResidentMatchingViewSet, basename="resident")
router.register("vacancies", api.VacancyCandidatesViewSet, basename="vacancy")
router.register("proposals", api.ProposalViewSet, basename="proposal")
router.register("placements", api.PlacementViewSet, basename="placement")

urlpatterns = router.urls
