from django.conf import settings

from common.navigation import nav_for


def site(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_items": nav_for(getattr(request, "user", None)),
    }
