from django.conf import settings

from common.navigation import nav_for


def site(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "TWO_FACTOR_ENFORCED": settings.TWO_FACTOR_ENFORCED,
        "nav_items": nav_for(getattr(request, "user", None), getattr(request, "path", None)),
    }
