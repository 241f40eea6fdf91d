# Issue 16, point 9: the API field descriptions are the model fields' help_text (no AlterField
# changes the database).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0007_correction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="benefit",
            field=models.OneToOneField(
                blank=True,
                help_text="Id van de uitkering die de toekenning opende, of null.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="application",
                to="caseload.benefit",
                verbose_name="uitkering",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="decided_on",
            field=models.DateField(
                blank=True,
                help_text="Datum van het besluit, of null.",
                null=True,
                verbose_name="datum besluit",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("in_behandeling", "In behandeling"),
                    ("toegekend", "Toegekend"),
                    ("afgewezen", "Afgewezen"),
                    ("ingetrokken", "Ingetrokken"),
                    ("voorkomen", "Voorkomen (werk of voorliggende voorziening)"),
                ],
                default="in_behandeling",
                help_text="Uitkomst: in behandeling, toegekend, afgewezen, ingetrokken of voorkomen.",
                max_length=20,
                verbose_name="uitkomst",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="prevention_route",
            field=models.CharField(
                choices=[
                    ("geen", "Geen"),
                    ("ww_coaching", "Begeleiding einde WW (met UWV)"),
                    ("work_first", "Eerst werk (work first)"),
                    ("voorliggend", "Voorliggende voorziening"),
                ],
                default="geen",
                help_text="Preventieroute, bijvoorbeeld begeleiding einde WW met UWV.",
                max_length=20,
                verbose_name="preventieroute",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="received_on",
            field=models.DateField(help_text="Datum van de melding.", verbose_name="datum melding"),
        ),
        migrations.AlterField(
            model_name="application",
            name="regime",
            field=models.CharField(
                choices=[
                    ("pw", "Participatiewet algemene bijstand"),
                    ("ioaw", "IOAW"),
                    ("ioaz", "IOAZ"),
                    ("bbz_starter", "Bbz levensonderhoud starters"),
                    ("lks", "Loonkostensubsidie"),
                ],
                default="pw",
                help_text="Regeling waarvoor de aanvraag is gedaan.",
                max_length=20,
                verbose_name="regeling",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="risk_profile",
            field=models.CharField(
                choices=[("normaal", "Normaal"), ("verhoogd", "Verhoogd risico")],
                default="normaal",
                help_text="Risicoprofiel: normaal of verhoogd (grondige rechtmatigheidstoets).",
                max_length=10,
                verbose_name="risicoprofiel",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="applicant",
            field=models.ForeignKey(
                help_text="Id van de inwoner die de uitkering aanvroeg.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="benefits",
                to="caseload.resident",
                verbose_name="aanvrager",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="end_date",
            field=models.DateField(
                blank=True,
                help_text="Einddatum, of null als de uitkering loopt.",
                null=True,
                verbose_name="einddatum",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("01", "01 Studie"),
                    ("02", "02 Relatie / samenwonen"),
                    ("03", "03 Leeftijdsgrens (AOW)"),
                    ("04", "04 Overlijden"),
                    ("11", "11 Werk in loondienst"),
                    ("13", "13 Werk als zelfstandige"),
                    ("14", "14 WW-uitkering"),
                    ("15", "15 Arbeidsongeschiktheidsuitkering"),
                    ("17", "17 Alimentatie"),
                    ("18", "18 Vermogen"),
                    ("19", "19 Overig inkomen"),
                    ("31", "31 Geen inlichtingen verstrekt"),
                    ("32", "32 Verhuisd binnen Nederland"),
                    ("33", "33 Verhuisd naar buitenland"),
                    ("97", "97 Partner"),
                    ("98", "98 Overig"),
                ],
                help_text="CBS-reden van beëindiging (bijv. 11 werk in loondienst), of leeg.",
                max_length=2,
                verbose_name="reden beëindiging (CBS)",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="household",
            field=models.ForeignKey(
                help_text="Id van het huishouden waarvoor de uitkering geldt.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="benefits",
                to="caseload.household",
                verbose_name="huishouden",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="regime",
            field=models.CharField(
                choices=[
                    ("pw", "Participatiewet algemene bijstand"),
                    ("ioaw", "IOAW"),
                    ("ioaz", "IOAZ"),
                    ("bbz_starter", "Bbz levensonderhoud starters"),
                    ("lks", "Loonkostensubsidie"),
                ],
                help_text="Regeling uit de BUIG: pw, ioaw, ioaz, bbz_starter of lks.",
                max_length=20,
                verbose_name="regeling",
            ),
        ),
        migrations.AlterField(
            model_name="benefit",
            name="start_date",
            field=models.DateField(help_text="Ingangsdatum.", verbose_name="ingangsdatum"),
        ),
        migrations.AlterField(
            model_name="contactmoment",
            name="by",
            field=models.ForeignKey(
                help_text="Id van de medewerker die het contact had.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="door",
            ),
        ),
        migrations.AlterField(
            model_name="contactmoment",
            name="channel",
            field=models.CharField(
                choices=[
                    ("gesprek", "Gesprek op kantoor"),
                    ("huisbezoek", "Huisbezoek"),
                    ("telefoon", "Telefoon"),
                    ("video", "Videobellen"),
                    ("schriftelijk", "Brief of e-mail"),
                ],
                help_text="Kanaal: gesprek, huisbezoek, telefoon, video of schriftelijk.",
                max_length=20,
                verbose_name="kanaal",
            ),
        ),
        migrations.AlterField(
            model_name="contactmoment",
            name="occurred_on",
            field=models.DateField(help_text="Datum van het contact.", verbose_name="datum"),
        ),
        migrations.AlterField(
            model_name="contactmoment",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contacts",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="contactmoment",
            name="summary",
            field=models.TextField(
                blank=True,
                help_text="Kort verslag (functionele conclusies, geen diagnoses).",
                verbose_name="verslag",
            ),
        ),
        migrations.AlterField(
            model_name="debtcase",
            name="applied_on",
            field=models.DateField(
                help_text="Datum van aanmelding voor schuldhulpverlening.",
                verbose_name="datum aanmelding",
            ),
        ),
        migrations.AlterField(
            model_name="debtcase",
            name="closed_on",
            field=models.DateField(
                blank=True,
                help_text="Datum van afsluiten, of null.",
                null=True,
                verbose_name="afgesloten op",
            ),
        ),
        migrations.AlterField(
            model_name="debtcase",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="debt_cases",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="debtcase",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[
                    ("schuldregeling", "Schuldregeling getroffen"),
                    ("stabilisatie", "Gestabiliseerd, geen regeling"),
                    ("geen_regeling", "Geen regeling mogelijk"),
                    ("ingetrokken", "Ingetrokken / uitgevallen"),
                ],
                help_text="Resultaat bij afsluiten, of leeg.",
                max_length=20,
                verbose_name="resultaat",
            ),
        ),
        migrations.AlterField(
            model_name="debtcase",
            name="total_debt",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Totale schuld in euro.",
                max_digits=10,
                verbose_name="totale schuld",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="claim_amount",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Vordering in euro.",
                max_digits=9,
                verbose_name="vordering",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="Einddatum, of null als het onderzoek loopt.",
                null=True,
                verbose_name="einddatum",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="fraud_investigations",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[
                    ("beeindigd", "Uitkering beëindigd"),
                    ("aangepast", "Uitkering aangepast"),
                    ("ongewijzigd", "Ongewijzigd"),
                ],
                help_text="Resultaat: uitkering beëindigd, aangepast of ongewijzigd; leeg als het loopt.",
                max_length=20,
                verbose_name="resultaat",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="signal_source",
            field=models.CharField(
                choices=[
                    ("inlichtingenbureau", "Inlichtingenbureau (bestandskoppeling)"),
                    ("tip", "Tip / melding"),
                    ("intern", "Intern signaal (consulent)"),
                    ("thematisch", "Themacontrole"),
                ],
                help_text="Bron van het signaal: inlichtingenbureau, tip, intern of themacontrole.",
                max_length=20,
                verbose_name="bron signaal",
            ),
        ),
        migrations.AlterField(
            model_name="fraudinvestigation",
            name="started_on",
            field=models.DateField(
                help_text="Startdatum van het onderzoek.", verbose_name="startdatum"
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="decided_by",
            field=models.ForeignKey(
                help_text="Id van de medewerker die besloot.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="besloten door",
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="decided_on",
            field=models.DateField(
                help_text="Datum van het besluit over de indeling.", verbose_name="datum besluit"
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="Einddatum van deze indeling (bij een nieuwe indeling), of null.",
                null=True,
                verbose_name="beëindigd op",
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="group",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Groep 1 - kan nu aan het werk"),
                    (2, "Groep 2 - werk binnen twee jaar met ondersteuning"),
                    (3, "Groep 3 - nu geen perspectief op werk"),
                ],
                help_text="Groep 1 (kan nu werken), 2 (werk binnen twee jaar) of 3 (nu geen perspectief).",
                verbose_name="groep",
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="reason",
            field=models.TextField(help_text="Reden van de indeling.", verbose_name="reden"),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="reassess_on",
            field=models.DateField(
                help_text="Datum van de herbeoordeling.", verbose_name="herbeoordeling op"
            ),
        ),
        migrations.AlterField(
            model_name="groupassignment",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="group_assignments",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="children_count",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Aantal minderjarige kinderen in het huishouden.",
                verbose_name="aantal minderjarige kinderen",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="city",
            field=models.CharField(
                help_text="Woonplaats.", max_length=60, verbose_name="woonplaats"
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="district",
            field=models.ForeignKey(
                blank=True,
                help_text="Id van de wijk, of null.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="households",
                to="caseload.district",
                verbose_name="wijk",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="house_number",
            field=models.CharField(
                help_text="Huisnummer met eventuele toevoeging.",
                max_length=10,
                verbose_name="huisnummer",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="household_type",
            field=models.CharField(
                choices=[
                    ("alleenstaand", "Alleenstaand"),
                    ("alleenstaande_ouder", "Alleenstaande ouder"),
                    ("gehuwd", "Gehuwd / samenwonend"),
                    ("overig", "Overig"),
                ],
                help_text="Leefvorm: alleenstaand, alleenstaande ouder, gehuwd/samenwonend of overig.",
                max_length=20,
                verbose_name="leefvorm",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="municipality",
            field=models.ForeignKey(
                help_text="Id van de gemeente waar het huishouden woont.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="households",
                to="caseload.municipality",
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="postcode",
            field=models.CharField(
                help_text="Postcode, bijvoorbeeld '1211 AB'.", max_length=7, verbose_name="postcode"
            ),
        ),
        migrations.AlterField(
            model_name="household",
            name="street",
            field=models.CharField(
                help_text="Straatnaam van het woonadres.", max_length=100, verbose_name="straat"
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="category",
            field=models.CharField(
                choices=[
                    ("werk", "Naar werk"),
                    ("ontwikkeling", "Ontwikkeling en scholing"),
                    ("participatie", "Participatie"),
                    ("ondersteuning", "Ondersteuning (schulden, taal, ondernemen)"),
                    ("gesubsidieerd", "Werken met ondersteuning"),
                    ("wsw", "Wsw (oud)"),
                ],
                help_text="Categorie: naar werk, ontwikkeling, participatie, ondersteuning, ...",
                max_length=20,
                verbose_name="categorie",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="code",
            field=models.SlugField(
                help_text="Vaste code van het instrument, bijvoorbeeld 'werkervaringsplaats'.",
                max_length=40,
                unique=True,
                verbose_name="code",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="default_cost",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Standaardkosten in euro.",
                max_digits=9,
                verbose_name="standaardkosten",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="description",
            field=models.TextField(
                blank=True, help_text="Omschrijving.", verbose_name="omschrijving"
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="is_active",
            field=models.BooleanField(
                default=True,
                help_text="Nog in gebruik voor nieuwe trajecten.",
                verbose_name="actief",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="is_participation",
            field=models.BooleanField(
                default=False,
                help_text="Telt als participatieactiviteit: vrijwilligerswerk, sociale activering, dagbesteding, participatieplaats.",
                verbose_name="telt als participatieactiviteit",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="is_working_with_support",
            field=models.BooleanField(
                default=False,
                help_text="Telt als werken met ondersteuning: loonkostensubsidie, beschut werk, jobcoaching.",
                verbose_name="telt als werken met ondersteuning",
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="name",
            field=models.CharField(
                help_text="Naam van het instrument.", max_length=100, verbose_name="naam"
            ),
        ),
        migrations.AlterField(
            model_name="instrument",
            name="srg_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Geen SRG-voorziening"),
                    ("lks", "Loonkostensubsidie"),
                    ("beschut", "Beschut werk"),
                    ("participatieplaats", "Participatieplaats"),
                    ("wiw_id", "WIW/ID-baan"),
                    ("overig", "Overige voorziening"),
                ],
                help_text="Soort re-integratievoorziening volgens CBS (SRG), of leeg.",
                max_length=20,
                verbose_name="SRG-soort",
            ),
        ),
        migrations.AlterField(
            model_name="ladderscore",
            name="by",
            field=models.ForeignKey(
                help_text="Id van de medewerker die mat.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="door",
            ),
        ),
        migrations.AlterField(
            model_name="ladderscore",
            name="measured_on",
            field=models.DateField(help_text="Datum van de meting.", verbose_name="datum meting"),
        ),
        migrations.AlterField(
            model_name="ladderscore",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ladder_scores",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="ladderscore",
            name="step",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "1 Geïsoleerd"),
                    (2, "2 Sociale contacten buiten de deur"),
                    (3, "3 Deelname georganiseerde activiteiten"),
                    (4, "4 Onbetaald werk"),
                    (5, "5 Betaald werk met ondersteuning"),
                    (6, "6 Betaald werk"),
                ],
                help_text="Trede op de participatieladder: 1 geïsoleerd ... 6 betaald werk.",
                verbose_name="trede",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="benefit",
            field=models.ForeignKey(
                help_text="Id van de uitkering waaruit de inwoner (deels) uitstroomt.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outflows",
                to="caseload.benefit",
                verbose_name="uitkering",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="contract_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("vast", "Vast contract"),
                    ("tijdelijk", "Tijdelijk contract"),
                    ("oproep", "Oproep- of nulurencontract"),
                    ("uitzend", "Uitzendwerk"),
                    ("zelfstandig", "Zelfstandige"),
                ],
                help_text="Soort contract (verplicht bij uitstroom naar werk).",
                max_length=20,
                verbose_name="soort contract",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="employer",
            field=models.CharField(
                blank=True,
                help_text="Naam van de werkgever.",
                max_length=120,
                verbose_name="werkgever",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="hours_per_week",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                help_text="Uren per week in het nieuwe werk.",
                max_digits=4,
                null=True,
                verbose_name="uren per week",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="is_subsidised",
            field=models.BooleanField(
                default=False,
                help_text="Gesubsidieerd werk, bijvoorbeeld met loonkostensubsidie.",
                verbose_name="gesubsidieerd (bijv. loonkostensubsidie)",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("volledig", "Volledige uitstroom"),
                    ("gedeeltelijk", "Gedeeltelijke uitstroom (deeltijdwerk of meer uren)"),
                ],
                help_text="Volledige of gedeeltelijke uitstroom.",
                max_length=20,
                verbose_name="soort",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="occurred_on",
            field=models.DateField(help_text="Datum van uitstroom.", verbose_name="datum"),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="reason",
            field=models.CharField(
                choices=[("werk", "Werk"), ("overig", "Andere reden")],
                help_text="Reden: werk of een andere reden.",
                max_length=10,
                verbose_name="reden",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="recorded_at",
            field=models.DateTimeField(
                auto_now_add=True, help_text="Moment van vastleggen.", verbose_name="vastgelegd op"
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="recorded_by",
            field=models.ForeignKey(
                help_text="Id van de medewerker die de uitstroom vastlegde.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="vastgelegd door",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="outflows",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="sector",
            field=models.CharField(
                blank=True, help_text="Sector van het werk.", max_length=80, verbose_name="sector"
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="still_off_benefit_12m",
            field=models.BooleanField(
                blank=True,
                help_text="Na 12 maanden nog uit de uitkering (null: nog niet bekend).",
                null=True,
                verbose_name="na 12 maanden nog uit de uitkering",
            ),
        ),
        migrations.AlterField(
            model_name="outflowevent",
            name="still_off_benefit_6m",
            field=models.BooleanField(
                blank=True,
                help_text="Na 6 maanden nog uit de uitkering (null: nog niet bekend).",
                null=True,
                verbose_name="na 6 maanden nog uit de uitkering",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="birth_date",
            field=models.DateField(
                help_text="Geboortedatum (JJJJ-MM-DD).", verbose_name="geboortedatum"
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="bsn",
            field=models.CharField(
                help_text="Burgerservicenummer (9 cijfers, elfproef). Nooit in een URL of querystring.",
                max_length=9,
                unique=True,
                verbose_name="BSN",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="consulent",
            field=models.ForeignKey(
                blank=True,
                help_text="Id van de vaste consulent, of null.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="caseload",
                to=settings.AUTH_USER_MODEL,
                verbose_name="consulent",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="education_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("geen", "Geen / basisonderwijs"),
                    ("vso_pro", "Vso / praktijkonderwijs"),
                    ("vmbo", "Vmbo"),
                    ("mbo1", "Mbo niveau 1 (entree)"),
                    ("mbo2", "Mbo niveau 2"),
                    ("mbo34", "Mbo niveau 3 of 4"),
                    ("havo_vwo", "Havo / vwo"),
                    ("hbo_wo", "Hbo / wo"),
                    ("buitenlands", "Buitenlands diploma"),
                ],
                help_text="Hoogst behaalde opleidingsniveau.",
                max_length=20,
                verbose_name="opleidingsniveau",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="first_name",
            field=models.CharField(help_text="Voornaam.", max_length=60, verbose_name="voornaam"),
        ),
        migrations.AlterField(
            model_name="resident",
            name="has_startkwalificatie",
            field=models.BooleanField(
                default=False,
                help_text="Heeft een startkwalificatie (havo, vwo of mbo 2 of hoger).",
                verbose_name="startkwalificatie",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="household",
            field=models.ForeignKey(
                help_text="Id van het huishouden.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="caseload.household",
                verbose_name="huishouden",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="household_role",
            field=models.CharField(
                choices=[
                    ("aanvrager", "Aanvrager"),
                    ("partner", "Partner"),
                    ("overig", "Overig lid"),
                ],
                default="aanvrager",
                help_text="Rol in het huishouden: aanvrager, partner of overig lid.",
                max_length=20,
                verbose_name="rol in huishouden",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="in_doelgroepregister",
            field=models.BooleanField(
                default=False,
                help_text="Staat in het doelgroepregister (banenafspraak).",
                verbose_name="in doelgroepregister",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="is_fake",
            field=models.BooleanField(
                default=False,
                help_text="Fictieve inwoner: gegenereerd voor demo of test, geen echte persoon.",
                verbose_name="fictief",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="is_status_holder",
            field=models.BooleanField(
                default=False,
                help_text="Statushouder (vergunninghouder).",
                verbose_name="statushouder",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="language_level",
            field=models.CharField(
                blank=True,
                choices=[
                    ("moedertaal", "Nederlands moedertaal"),
                    ("onder_a1", "Onder A1"),
                    ("a1", "A1"),
                    ("a2", "A2"),
                    ("b1", "B1"),
                    ("b2", "B2 of hoger"),
                ],
                help_text="Taalniveau Nederlands.",
                max_length=20,
                verbose_name="taalniveau Nederlands",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="last_name",
            field=models.CharField(
                help_text="Achternaam.", max_length=80, verbose_name="achternaam"
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="municipality",
            field=models.ForeignKey(
                help_text="Id van de gemeente.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="residents",
                to="caseload.municipality",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="name_prefix",
            field=models.CharField(
                blank=True,
                help_text="Tussenvoegsel, bijvoorbeeld 'van der'.",
                max_length=20,
                verbose_name="tussenvoegsel",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="registered_at",
            field=models.DateTimeField(
                auto_now_add=True,
                help_text="Moment van registratie in dit systeem.",
                verbose_name="geregistreerd op",
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="team",
            field=models.ForeignKey(
                help_text="Id van het team dat de inwoner begeleidt.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="residents",
                to="caseload.team",
                verbose_name="team",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="cost",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Kosten in euro.",
                max_digits=9,
                verbose_name="kosten",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="created_by",
            field=models.ForeignKey(
                help_text="Id van de medewerker die het traject startte.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gestart door",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="Werkelijke einddatum, of null als het traject loopt.",
                null=True,
                verbose_name="einddatum",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="instrument",
            field=models.ForeignKey(
                help_text="Id van het instrument uit de catalogus.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trajectories",
                to="caseload.instrument",
                verbose_name="instrument",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="planned_end_on",
            field=models.DateField(
                blank=True,
                help_text="Geplande einddatum, of null.",
                null=True,
                verbose_name="geplande einddatum",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="provider",
            field=models.CharField(
                blank=True,
                help_text="Aanbieder die het traject uitvoert.",
                max_length=100,
                verbose_name="aanbieder",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="resident",
            field=models.ForeignKey(
                help_text="Id van de inwoner.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="trajectories",
                to="caseload.resident",
                verbose_name="inwoner",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[
                    ("werk", "Uitstroom naar werk"),
                    ("afgerond", "Afgerond, doel bereikt"),
                    ("niet_behaald", "Afgerond, doel niet bereikt"),
                    ("uitgevallen", "Voortijdig gestopt"),
                    ("doorverwezen", "Doorverwezen"),
                ],
                help_text="Resultaat bij afsluiting, of leeg.",
                max_length=20,
                verbose_name="resultaat",
            ),
        ),
        migrations.AlterField(
            model_name="trajectory",
            name="started_on",
            field=models.DateField(help_text="Startdatum.", verbose_name="startdatum"),
        ),
    ]
