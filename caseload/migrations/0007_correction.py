# Issue 14: corrections and withdrawals of recorded facts.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0006_ladderscore_measured_on_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="Correction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "fact_type",
                    models.CharField(
                        choices=[
                            ("traject", "traject"),
                            ("uitstroom", "uitstroom"),
                            ("contact", "contactmoment"),
                            ("ladder", "participatieladder-score"),
                            ("groep", "groepsindeling"),
                            ("planactie", "actie van het plan van aanpak"),
                        ],
                        max_length=20,
                        verbose_name="soort gegeven",
                    ),
                ),
                ("fact_id", models.PositiveBigIntegerField(verbose_name="id van het gegeven")),
                (
                    "kind",
                    models.CharField(
                        choices=[("gecorrigeerd", "gecorrigeerd"), ("ingetrokken", "ingetrokken")],
                        max_length=20,
                        verbose_name="soort correctie",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reden")),
                (
                    "before",
                    models.JSONField(
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        verbose_name="gegevens vóór de correctie",
                    ),
                ),
                (
                    "changed_fields",
                    models.JSONField(blank=True, default=list, verbose_name="gewijzigde velden"),
                ),
                (
                    "after",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        verbose_name="nieuwe waarden",
                    ),
                ),
                (
                    "related",
                    models.JSONField(
                        blank=True,
                        default=list,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        verbose_name="meegewijzigde gegevens",
                    ),
                ),
                ("affected_from", models.DateField(verbose_name="herberekenen vanaf")),
                (
                    "at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="op"),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="door",
                    ),
                ),
                (
                    "resident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="corrections",
                        to="caseload.resident",
                        verbose_name="inwoner",
                    ),
                ),
            ],
            options={
                "verbose_name": "correctie",
                "verbose_name_plural": "correcties",
                "ordering": ["resident", "-at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["resident", "-at", "-id"], name="correction_resident_at_idx"
                    ),
                    models.Index(fields=["fact_type", "fact_id"], name="correction_fact_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="correction_reason_required",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "fact_type__in",
                                ["traject", "uitstroom", "contact", "ladder", "groep", "planactie"],
                            )
                        ),
                        name="correction_fact_type_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("kind", "gecorrigeerd"),
                                models.Q(("changed_fields", []), _negated=True),
                            ),
                            models.Q(("kind", "ingetrokken"), ("changed_fields", [])),
                            _connector="OR",
                        ),
                        name="correction_changes_iff_corrected",
                    ),
                ],
            },
        ),
    ]
