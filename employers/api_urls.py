from rest_framework.routers import SimpleRouter

from . import api

app_name = "employers-api"

router = SimpleRouter()
router.register("employers", api.EmployerViewSet, basename="employer")
router.register("vacancies", api.VacancyViewSet, basename="vacancy")

urlpatterns = router.urls
