"""Keys issued before the longest lifetime existed (an expiry of 1-1-2099 was accepted, the walk
of 4 December) get the expiry they would have had: at most ``API_TOKEN_MAX_LIFETIME_DAYS`` after
they were issued. The key stops then in any case (``ApiTokenQuerySet.active``); this makes the
beheer page show that date."""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.db.models import DateTimeField, ExpressionWrapper, F, Q


def cap_expiry(apps, schema_editor):
    ApiToken = apps.get_model("apiauth", "ApiToken")
    longest = dt.timedelta(days=settings.API_TOKEN_MAX_LIFETIME_DAYS)
    latest = ExpressionWrapper(F("created_at") + longest, output_field=DateTimeField())
    ApiToken.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=latest)
    ).update(expires_at=latest)


class Migration(migrations.Migration):
    dependencies = [("apiauth", "0007_budget_write_needs_approval")]

    operations = [migrations.RunPython(cap_expiry, migrations.RunPython.noop)]
