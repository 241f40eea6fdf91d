"""The caseload: residents (inwoners), their households and benefits, and their journey.

Invariants live in database constraints so that no code path (service, import, admin, raw SQL)
can break them; services check the same rules first to give a clear Dutch message.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.bsn import is_valid_bsn, mask_bsn

# --------------------------------------------------------------------------------------------
# Organisation
# --------------------------------------------------------------------------------------------


class Region(models.Model):
    """A group of municipalities that share one installation through a regional body
    (werkbedrijf, werkgeversservicepunt, a shared service). Its pages show aggregates of its
    municipalities only, never a resident (issue 17)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    name = models.CharField(_("naam"), max_length=100)
    cbs_code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, unique=True, help_text=_("Bijvoorbeeld GM0402.")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
    )
    records_from = models.DateField(
        _("dossiers volledig vanaf"),
        null=True,
        blank=True,
        help_text=_(
            "De eerste dag waarvan dit systeem alle dossiers heeft (de overgang uit het vorige "
            "systeem). Indicatoren uit de dossiers worden pas vanaf deze dag berekend; eerdere "
            "perioden tonen 'geen gegevens' in plaats van een nul. Leeg: vanaf de oudste uitkering."
        ),
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # a date to come would take every figure from the dossiers away (indicators.fill)
        if self.records_from is not None and self.records_from > clock.today():
            raise ValidationError(
                {"records_from": _("Deze datum kan niet in de toekomst liggen.")},
                code="future_date",
            )


class MunicipalityYear(models.Model):
    """Figures per municipality and year: population (for per-inhabitant indicators) and the
    average yearly cost of one benefit (for the business case and the budget in households)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("jaar"))
    population = models.PositiveIntegerField(_("inwoners totaal"))
    population_18_plus = models.PositiveIntegerField(_("inwoners 18 jaar en ouder"))
    population_15_64 = models.PositiveIntegerField(_("inwoners 15 tot 65 jaar"))
    population_15_74 = models.PositiveIntegerField(_("inwoners 15 tot 75 jaar"))
    population_source = models.CharField(
        _("bron inwonertal"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Waar het inwonertal vandaan komt, bijvoorbeeld CBS StatLine."),
    )
    average_benefit_cost = models.DecimalField(
        _("gemiddelde kosten uitkering per jaar"), max_digits=9, decimal_places=2
    )
    average_benefit_cost_source = models.CharField(
        _("bron gemiddelde kosten"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Waar het bedrag vandaan komt, bijvoorbeeld het plan van aanpak of de begroting."
        ),
    )

    class Meta:
        verbose_name = _("gemeentejaar")
        verbose_name_plural = _("gemeentejaren")
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="municipality_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="municipality_year_range"
            ),
            models.CheckConstraint(
                condition=Q(population_18_plus__lte=F("population"))
                & Q(population_15_64__lte=F("population_15_74"))
                & Q(population_15_74__lte=F("population")),
                name="municipality_year_population_consistent",
            ),
            models.CheckConstraint(
                condition=Q(average_benefit_cost__gt=0), name="municipality_year_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}"


class District(models.Model):
    """Wijk."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("naam"), max_length=100)
    code = models.CharField(_("CBS-wijkcode"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        POORT = "poort", _("Poort (intake)")
        WORK = "werk", _("Werk & Participatie")
        INCOME = "inkomen", _("Inkomen")
        YOUTH = "jongeren", _("Jongeren")
        STATUS_HOLDERS = "statushouders", _("Statushouders")
        ENFORCEMENT = "handhaving", _("Handhaving")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CONSULENT = "consulent", _("Consulent")
    TEAMLEIDER = "teamleider", _("Teamleider")
    MANAGER = "manager", _("Manager / beleidsmedewerker")
    FINANCE = "financien", _("Financieel medewerker")
    BEHEER = "beheer", _("Functioneel beheerder")
    PRIVACY = "privacy", _("Privacy officer")
    ACCOUNT_MANAGER = "accountmanager", _("Accountmanager WSP")
    #: sees the region's aggregates and the comparison of its municipalities, no resident (#17)
    REGION = "regio", _("Regionaal medewerker")


TEAM_ROLES = (Role.CONSULENT, Role.TEAMLEIDER)
#: roles without a team that may be bound to one municipality (``User.municipality``, issue 17);
#: a team role works for its team's municipality, the others serve the whole installation
MUNICIPALITY_ROLES = (Role.MANAGER, Role.FINANCE, Role.ACCOUNT_MANAGER)


class User(AbstractUser):
    """A staff member. Consulenten and teamleiders belong to a team."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    #: the municipality a staff member without a team works for (a manager, finance); empty:
    #: every municipality of the installation (issue 17)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    #: four eyes on access (security review of 3 December): an account that functioneel beheer
    #: created, reactivated, or gave another role, team or municipality (or whose team got
    #: another kind or municipality) has no role permission until the privacy officer approves
    #: it (``caseload.services.user_access_decide``); the technical administrator's changes
    #: need no approval
    access_pending = models.BooleanField(_("wacht op goedkeuring"), default=False)
    access_changed_by = models.ForeignKey(
        "self",
        verbose_name=_("toegang gewijzigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    access_changed_at = models.DateTimeField(_("toegang gewijzigd op"), null=True, blank=True)
    access_decided_by = models.ForeignKey(
        "self",
        verbose_name=_("toegang beoordeeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    access_decided_at = models.DateTimeField(_("toegang beoordeeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in TEAM_ROLES]) | Q(team__isnull=False),
                name="user_team_role_has_team",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
        ]

    @property
    def access_granted(self) -> bool:
        """Active and not waiting for the privacy officer's approval of new access: the one
        condition every role permission, resident scope and break-the-glass grant rests on."""
        return self.is_active and not self.access_pending

    @property
    def access_stamp(self) -> str:
        """Which change of the access a decision is about (the approval page sends it back)."""
        return self.access_changed_at.isoformat() if self.access_changed_at else ""

    def clean(self) -> None:
        super().clean()
        if self.role in TEAM_ROLES and self.team_id is None:
            raise ValidationError({"team": _("Een consulent of teamleider hoort bij een team.")})


# --------------------------------------------------------------------------------------------
# Residents and households
# --------------------------------------------------------------------------------------------


class HouseholdType(models.TextChoices):
    SINGLE = "alleenstaand", _("Alleenstaand")
    SINGLE_PARENT = "alleenstaande_ouder", _("Alleenstaande ouder")
    COUPLE = "gehuwd", _("Gehuwd / samenwonend")
    OTHER = "overig", _("Overig")


class Household(models.Model):
    """Leefvorm with an address; a benefit is per household."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="households",
        help_text=_("Id van de gemeente waar het huishouden woont."),
    )
    household_type = models.CharField(
        _("leefvorm"),
        max_length=20,
        choices=HouseholdType.choices,
        help_text=_("Leefvorm: alleenstaand, alleenstaande ouder, gehuwd/samenwonend of overig."),
    )
    street = models.CharField(
        _("straat"), max_length=100, help_text=_("Straatnaam van het woonadres.")
    )
    house_number = models.CharField(
        _("huisnummer"), max_length=10, help_text=_("Huisnummer met eventuele toevoeging.")
    )
    postcode = models.CharField(
        _("postcode"), max_length=7, help_text=_("Postcode, bijvoorbeeld '1211 AB'.")
    )
    city = models.CharField(_("woonplaats"), max_length=60, help_text=_("Woonplaats."))
    district = models.ForeignKey(
        District,
        verbose_name=_("wijk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        help_text=_("Id van de wijk, of null."),
    )
    children_count = models.PositiveSmallIntegerField(
        _("aantal minderjarige kinderen"),
        default=0,
        help_text=_("Aantal minderjarige kinderen in het huishouden."),
    )

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=r"^[1-9][0-9]{3} ?[A-Z]{2}$"),
                name="household_postcode_format",
            ),
            models.CheckConstraint(
                condition=Q(household_type__in=HouseholdType.values), name="household_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.city}"


class EducationLevel(models.TextChoices):
    NONE = "geen", _("Geen / basisonderwijs")
    VSO_PRO = "vso_pro", _("Vso / praktijkonderwijs")
    VMBO = "vmbo", _("Vmbo")
    MBO1 = "mbo1", _("Mbo niveau 1 (entree)")
    MBO2 = "mbo2", _("Mbo niveau 2")
    MBO34 = "mbo34", _("Mbo niveau 3 of 4")
    HAVO_VWO = "havo_vwo", _("Havo / vwo")
    HBO_WO = "hbo_wo", _("Hbo / wo")
    FOREIGN = "buitenlands", _("Buitenlands diploma")


class LanguageLevel(models.TextChoices):
    NATIVE = "moedertaal", _("Nederlands moedertaal")
    BELOW_A1 = "onder_a1", _("Onder A1")
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2_PLUS = "b2", _("B2 of hoger")


class HouseholdRole(models.TextChoices):
    APPLICANT = "aanvrager", _("Aanvrager")
    PARTNER = "partner", _("Partner")
    OTHER = "overig", _("Overig lid")


class ResidentSource(models.TextChoices):
    """Where a resident's personal details came from (the new-application flow records it)."""

    UNKNOWN = "", _("Onbekend (van voor de BRP-koppeling)")
    BRP = "brp", _("Uit BRP")
    MANUAL = "handmatig", _("Niet uit BRP (met de hand ingevoerd)")


class ResidentQuerySet(models.QuerySet):
    def in_group(self, group: int) -> ResidentQuerySet:
        return self.filter(group_assignments__group=group, group_assignments__ended_on__isnull=True)

    def visible_to(self, user) -> ResidentQuerySet:
        """The residents whose dossier ``user`` may open.

        Consulenten and teamleiders see their own team's residents; superusers (technical
        administrators) see all; every other role works with aggregates and sees none, and so
        does an account whose access waits for the privacy officer's approval (``access_pending``:
        the API and the intake pages scope by this alone; security review of 3 December).
        """
        if not user.is_authenticated or not user.access_granted:
            return self.none()
        if user.is_superuser:
            return self
        if user.role in TEAM_ROLES and user.team_id is not None:
            return self.filter(team_id=user.team_id)
        return self.none()


class Resident(models.Model):
    """Inwoner. The BSN is never put in a URL, log line, task argument or error message."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="residents",
        help_text=_("Id van de gemeente."),
    )
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        unique=True,
        help_text=_("Burgerservicenummer (9 cijfers, elfproef). Nooit in een URL of querystring."),
    )
    is_fake = models.BooleanField(
        _("fictief"),
        default=False,
        help_text=_("Fictieve inwoner: gegenereerd voor demo of test, geen echte persoon."),
    )
    first_name = models.CharField(_("voornaam"), max_length=60, help_text=_("Voornaam."))
    name_prefix = models.CharField(
        _("tussenvoegsel"),
        max_length=20,
        blank=True,
        help_text=_("Tussenvoegsel, bijvoorbeeld 'van der'."),
    )
    last_name = models.CharField(_("achternaam"), max_length=80, help_text=_("Achternaam."))
    birth_date = models.DateField(_("geboortedatum"), help_text=_("Geboortedatum (JJJJ-MM-DD)."))
    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Id van het huishouden."),
    )
    household_role = models.CharField(
        _("rol in huishouden"),
        max_length=20,
        choices=HouseholdRole.choices,
        default=HouseholdRole.APPLICANT,
        help_text=_("Rol in het huishouden: aanvrager, partner of overig lid."),
    )
    education_level = models.CharField(
        _("opleidingsniveau"),
        max_length=20,
        choices=EducationLevel.choices,
        blank=True,
        help_text=_("Hoogst behaalde opleidingsniveau."),
    )
    has_startkwalificatie = models.BooleanField(
        _("startkwalificatie"),
        default=False,
        help_text=_("Heeft een startkwalificatie (havo, vwo of mbo 2 of hoger)."),
    )
    is_status_holder = models.BooleanField(
        _("statushouder"), default=False, help_text=_("Statushouder (vergunninghouder).")
    )
    in_doelgroepregister = models.BooleanField(
        _("in doelgroepregister"),
        default=False,
        help_text=_("Staat in het doelgroepregister (banenafspraak)."),
    )
    language_level = models.CharField(
        _("taalniveau Nederlands"),
        max_length=20,
        choices=LanguageLevel.choices,
        blank=True,
        help_text=_("Taalniveau Nederlands."),
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="residents",
        help_text=_("Id van het team dat de inwoner begeleidt."),
    )
    consulent = models.ForeignKey(
        User,
        verbose_name=_("consulent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        help_text=_("Id van de vaste consulent, of null."),
    )
    registered_at = models.DateTimeField(
        _("geregistreerd op"),
        auto_now_add=True,
        help_text=_("Moment van registratie in dit systeem."),
    )

    # issue 14: how to reach the resident, shown in the dossier header; not from the BRP
    phone = models.CharField(
        _("telefoonnummer"),
        max_length=20,
        blank=True,
        default="",
        db_default="",  # rows written by COPY (demo, import) name no phone
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 -]{8,18}$",
                _("Vul een telefoonnummer in, bijvoorbeeld 06 12345678 of +31 6 12345678."),
            )
        ],
        help_text=_("Telefoonnummer van de inwoner; leeg als onbekend."),
    )
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        default="",
        db_default="",
        help_text=_("E-mailadres van de inwoner; leeg als onbekend."),
    )
    source = models.CharField(
        _("bron persoonsgegevens"),
        max_length=10,
        choices=ResidentSource.choices,
        blank=True,
        default=ResidentSource.UNKNOWN,
        db_default=ResidentSource.UNKNOWN,  # rows written by COPY (demo, import) name no source
        help_text=_("Uit BRP of met de hand ingevoerd (BRP niet bereikbaar of onbekend)."),
    )

    objects = ResidentQuerySet.as_manager()

    #: not stored: ``selectors.resident_get`` sets it when a break-the-glass grant opened the
    #: record (the page then offers only what a grant reaches)
    opened_by_grant: bool = False

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["team", "last_name", "first_name", "id"]),
            models.Index(fields=["consulent", "last_name", "first_name", "id"]),
            # the worklist's count of the team's residents as an index-only scan, the row-level
            # security filter on municipality_id included (issue 17: 17 ms -> 1 ms at 16,551)
            models.Index(fields=["team", "municipality"], name="resident_team_municipality"),
        ]
        constraints = [
            # The 11-test itself is a CHECK too: resident_bsn_elfproef (migrations 0002, 0004).
            models.CheckConstraint(
                condition=Q(bsn__regex=r"^[0-9]{9}$"), name="resident_bsn_digits"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ResidentSource.values), name="resident_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(has_startkwalificatie=True)
                | ~Q(
                    education_level__in=[
                        EducationLevel.NONE,
                        EducationLevel.VSO_PRO,
                        EducationLevel.VMBO,
                        EducationLevel.MBO1,
                    ]
                ),
                name="resident_startkwalificatie_needs_level",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.name_prefix, self.last_name) if p)

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)

    def clean(self) -> None:
        super().clean()
        if self.bsn and not is_valid_bsn(self.bsn):
            raise ValidationError({"bsn": _("Dit is geen geldig BSN (elfproef).")})


# --------------------------------------------------------------------------------------------
# Benefits and applications
# --------------------------------------------------------------------------------------------


class Regime(models.TextChoices):
    """Benefit regimes paid from the BUIG."""

    ALGEMENE_BIJSTAND = "pw", _("Participatiewet algemene bijstand")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    BBZ_STARTER = "bbz_starter", _("Bbz levensonderhoud starters")
    LOONKOSTENSUBSIDIE = "lks", _("Loonkostensubsidie")


class CbsEndReason(models.TextChoices):
    STUDY = "01", _("01 Studie")
    RELATIONSHIP = "02", _("02 Relatie / samenwonen")
    AGE_LIMIT = "03", _("03 Leeftijdsgrens (AOW)")
    DEATH = "04", _("04 Overlijden")
    EMPLOYMENT = "11", _("11 Werk in loondienst")
    SELF_EMPLOYMENT = "13", _("13 Werk als zelfstandige")
    WW = "14", _("14 WW-uitkering")
    DISABILITY = "15", _("15 Arbeidsongeschiktheidsuitkering")
    ALIMONY = "17", _("17 Alimentatie")
    ASSETS = "18", _("18 Vermogen")
    OTHER_INCOME = "19", _("19 Overig inkomen")
    NO_INFORMATION = "31", _("31 Geen inlichtingen verstrekt")
    MOVED_NL = "32", _("32 Verhuisd binnen Nederland")
    MOVED_ABROAD = "33", _("33 Verhuisd naar buitenland")
    PARTNER = "97", _("97 Partner")
    OTHER = "98", _("98 Overig")


WORK_END_REASONS = (CbsEndReason.EMPLOYMENT, CbsEndReason.SELF_EMPLOYMENT)


class Benefit(models.Model):
    """Uitkering, per household."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        related_name="benefits",
        help_text=_("Id van het huishouden waarvoor de uitkering geldt."),
    )
    applicant = models.ForeignKey(
        Resident,
        verbose_name=_("aanvrager"),
        on_delete=models.PROTECT,
        related_name="benefits",
        help_text=_("Id van de inwoner die de uitkering aanvroeg."),
    )
    regime = models.CharField(
        _("regeling"),
        max_length=20,
        choices=Regime.choices,
        help_text=_("Regeling uit de BUIG: pw, ioaw, ioaz, bbz_starter of lks."),
    )
    start_date = models.DateField(_("ingangsdatum"), help_text=_("Ingangsdatum."))
    end_date = models.DateField(
        _("einddatum"),
        null=True,
        blank=True,
        help_text=_("Einddatum, of null als de uitkering loopt."),
    )
    end_reason = models.CharField(
        _("reden beëindiging (CBS)"),
        max_length=2,
        choices=CbsEndReason.choices,
        blank=True,
        help_text=_("CBS-reden van beëindiging (bijv. 11 werk in loondienst), of leeg."),
    )

    class Meta:
        verbose_name = _("uitkering")
        verbose_name_plural = _("uitkeringen")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="benefit_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="benefit_end_reason_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(regime__in=Regime.values), name="benefit_regime_valid"
            ),
            models.UniqueConstraint(
                fields=["household", "regime"],
                condition=Q(end_date__isnull=True),
                name="benefit_one_open_per_household_regime",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()} vanaf {self.start_date:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class BenefitPayment(models.Model):
    """The amount paid on a benefit in one month, and part-time income offset against it."""

    benefit = models.ForeignKey(
        Benefit, verbose_name=_("uitkering"), on_delete=models.CASCADE, related_name="payments"
    )
    month = models.DateField(_("maand"), help_text=_("Eerste dag van de maand."))
    amount_paid = models.DecimalField(_("betaald bedrag"), max_digits=9, decimal_places=2)
    income_offset = models.DecimalField(
        _("verrekende inkomsten uit deeltijdwerk"), max_digits=9, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["benefit", "month"]
        indexes = [
            models.Index(fields=["month"]),
            # the months with income from work, per benefit in month order: what
            # caseload.parttime_share reads (an index-only scan of about one payment in seven,
            # instead of every payment of the years filled and a sort; issue 19)
            models.Index(
                fields=["benefit", "month"],
                condition=Q(income_offset__gt=0),
                name="payment_with_income_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "month"], name="payment_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="payment_month_first_day"),
            models.CheckConstraint(condition=Q(income_offset__gte=0), name="payment_offset_nonneg"),
        ]


class Application(models.Model):
    """Melding / aanvraag for a benefit."""

    class RiskProfile(models.TextChoices):
        NORMAL = "normaal", _("Normaal")
        RAISED = "verhoogd", _("Verhoogd risico")

    class PreventionRoute(models.TextChoices):
        NONE = "geen", _("Geen")
        WW_COACHING = "ww_coaching", _("Begeleiding einde WW (met UWV)")
        WORK_FIRST = "work_first", _("Eerst werk (work first)")
        OTHER_PROVISION = "voorliggend", _("Voorliggende voorziening")

    class Outcome(models.TextChoices):
        PENDING = "in_behandeling", _("In behandeling")
        GRANTED = "toegekend", _("Toegekend")
        REJECTED = "afgewezen", _("Afgewezen")
        WITHDRAWN = "ingetrokken", _("Ingetrokken")
        PREVENTED = "voorkomen", _("Voorkomen (werk of voorliggende voorziening)")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("Id van de inwoner."),
    )
    regime = models.CharField(
        _("regeling"),
        max_length=20,
        choices=Regime.choices,
        default=Regime.ALGEMENE_BIJSTAND,
        help_text=_("Regeling waarvoor de aanvraag is gedaan."),
    )
    received_on = models.DateField(_("datum melding"), help_text=_("Datum van de melding."))
    risk_profile = models.CharField(
        _("risicoprofiel"),
        max_length=10,
        choices=RiskProfile.choices,
        default=RiskProfile.NORMAL,
        help_text=_("Risicoprofiel: normaal of verhoogd (grondige rechtmatigheidstoets)."),
    )
    prevention_route = models.CharField(
        _("preventieroute"),
        max_length=20,
        choices=PreventionRoute.choices,
        default=PreventionRoute.NONE,
        help_text=_("Preventieroute, bijvoorbeeld begeleiding einde WW met UWV."),
    )
    outcome = models.CharField(
        _("uitkomst"),
        max_length=20,
        choices=Outcome.choices,
        default=Outcome.PENDING,
        help_text=_("Uitkomst: in behandeling, toegekend, afgewezen, ingetrokken of voorkomen."),
    )
    decided_on = models.DateField(
        _("datum besluit"), null=True, blank=True, help_text=_("Datum van het besluit, of null.")
    )
    benefit = models.OneToOneField(
        Benefit,
        verbose_name=_("uitkering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        help_text=_("Id van de uitkering die de toekenning opende, of null."),
    )

    class Meta:
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        ordering = ["-received_on"]
        indexes = [models.Index(fields=["received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="in_behandeling") & Q(decided_on__isnull=True))
                | (~Q(outcome="in_behandeling") & Q(decided_on__isnull=False)),
                name="application_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_on")),
                name="application_decided_after_received",
            ),
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(outcome="toegekend"),
                name="application_benefit_only_when_granted",
            ),
        ]


# --------------------------------------------------------------------------------------------
# Work-readiness groups
# --------------------------------------------------------------------------------------------


class Group(models.IntegerChoices):
    READY = 1, _("Groep 1 - kan nu aan het werk")
    WITHIN_TWO_YEARS = 2, _("Groep 2 - werk binnen twee jaar met ondersteuning")
    NO_PERSPECTIVE = 3, _("Groep 3 - nu geen perspectief op werk")


class GroupAssignment(models.Model):
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="group_assignments",
        help_text=_("Id van de inwoner."),
    )
    group = models.PositiveSmallIntegerField(
        _("groep"),
        choices=Group.choices,
        help_text=_(
            "Groep 1 (kan nu werken), 2 (werk binnen twee jaar) of 3 (nu geen perspectief)."
        ),
    )
    decided_on = models.DateField(
        _("datum besluit"), help_text=_("Datum van het besluit over de indeling.")
    )
    reason = models.TextField(_("reden"), help_text=_("Reden van de indeling."))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Id van de medewerker die besloot."),
    )
    reassess_on = models.DateField(
        _("herbeoordeling op"), help_text=_("Datum van de herbeoordeling.")
    )
    ended_on = models.DateField(
        _("beëindigd op"),
        null=True,
        blank=True,
        help_text=_("Einddatum van deze indeling (bij een nieuwe indeling), of null."),
    )

    class Meta:
        verbose_name = _("groepsindeling")
        verbose_name_plural = _("groepsindelingen")
        ordering = ["resident", "-decided_on", "-id"]
        indexes = [
            # "the group on date x" (indicators' LATERAL ... ORDER BY decided_on DESC LIMIT 1):
            # an index-only scan instead of a sort of the resident's rows per period (#8).
            models.Index(
                fields=["resident", "-decided_on", "-id"],
                include=["group", "ended_on"],
                name="group_resident_at_date_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ended_on__isnull=True),
                name="group_one_current_per_resident",
            ),
            models.CheckConstraint(condition=Q(group__in=[1, 2, 3]), name="group_valid"),
            models.CheckConstraint(
                condition=Q(reassess_on__gt=F("decided_on")), name="group_reassess_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("decided_on")),
                name="group_end_after_decision",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="group_reason_required"),
        ]

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


# --------------------------------------------------------------------------------------------
# Re-integration
# --------------------------------------------------------------------------------------------


class Instrument(models.Model):
    """An entry of the re-integration catalogue, edited by functioneel beheer."""

    class Category(models.TextChoices):
        WORK = "werk", _("Naar werk")
        DEVELOPMENT = "ontwikkeling", _("Ontwikkeling en scholing")
        PARTICIPATION = "participatie", _("Participatie")
        SUPPORT = "ondersteuning", _("Ondersteuning (schulden, taal, ondernemen)")
        SUBSIDISED = "gesubsidieerd", _("Werken met ondersteuning")
        WSW = "wsw", _("Wsw (oud)")

    class SrgType(models.TextChoices):
        """CBS re-integration provision type (SRG)."""

        NONE = "", _("Geen SRG-voorziening")
        LKS = "lks", _("Loonkostensubsidie")
        BESCHUT = "beschut", _("Beschut werk")
        PARTICIPATIEPLAATS = "participatieplaats", _("Participatieplaats")
        WIW_ID = "wiw_id", _("WIW/ID-baan")
        OTHER = "overig", _("Overige voorziening")

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Vaste code van het instrument, bijvoorbeeld 'werkervaringsplaats'."),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Naam van het instrument."))
    category = models.CharField(
        _("categorie"),
        max_length=20,
        choices=Category.choices,
        help_text=_("Categorie: naar werk, ontwikkeling, participatie, ondersteuning, ..."),
    )
    srg_type = models.CharField(
        _("SRG-soort"),
        max_length=20,
        choices=SrgType.choices,
        blank=True,
        help_text=_("Soort re-integratievoorziening volgens CBS (SRG), of leeg."),
    )
    is_working_with_support = models.BooleanField(
        _("telt als werken met ondersteuning"),
        default=False,
        help_text=_(
            "Telt als werken met ondersteuning: loonkostensubsidie, beschut werk, jobcoaching."
        ),
    )
    is_participation = models.BooleanField(
        _("telt als participatieactiviteit"),
        default=False,
        help_text=_(
            "Telt als participatieactiviteit: vrijwilligerswerk, sociale activering, dagbesteding, participatieplaats."
        ),
    )
    default_cost = models.DecimalField(
        _("standaardkosten"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("Standaardkosten in euro."),
    )
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Omschrijving."))
    is_active = models.BooleanField(
        _("actief"), default=True, help_text=_("Nog in gebruik voor nieuwe trajecten.")
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumentencatalogus")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(default_cost__gte=0), name="instrument_cost_nonneg"),
        ]

    def __str__(self) -> str:
        return self.name


class TrajectoryQuerySet(models.QuerySet):
    def open(self) -> TrajectoryQuerySet:
        return self.filter(ended_on__isnull=True)

    def running(self, on) -> TrajectoryQuerySet:
        """Trajectories that run on ``on``: started on or before it and not ended by then (a
        trajectory does not run on its end date; DOMAIN.md section 4)."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)

    def planned(self, on) -> TrajectoryQuerySet:
        """Trajectories planned ahead: their start lies after ``on`` ("gepland")."""
        return self.filter(started_on__gt=on)


class BanenafspraakSector(models.TextChoices):
    """Sector of the employer of a banenafspraak job (the national count splits market and
    government)."""

    MARKET = "markt", _("Marktsector")
    GOVERNMENT = "overheid", _("Overheid")


class Trajectory(models.Model):
    class Result(models.TextChoices):
        WORK = "werk", _("Uitstroom naar werk")
        COMPLETED = "afgerond", _("Afgerond, doel bereikt")
        NOT_ACHIEVED = "niet_behaald", _("Afgerond, doel niet bereikt")
        DROPPED_OUT = "uitgevallen", _("Voortijdig gestopt")
        REFERRED = "doorverwezen", _("Doorverwezen")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="trajectories",
        help_text=_("Id van de inwoner."),
    )
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="trajectories",
        help_text=_("Id van het instrument uit de catalogus."),
    )
    provider = models.CharField(
        _("aanbieder"),
        max_length=100,
        blank=True,
        help_text=_("Aanbieder die het traject uitvoert."),
    )
    started_on = models.DateField(_("startdatum"), help_text=_("Startdatum."))
    planned_end_on = models.DateField(
        _("geplande einddatum"), null=True, blank=True, help_text=_("Geplande einddatum, of null.")
    )
    ended_on = models.DateField(
        _("einddatum"),
        null=True,
        blank=True,
        help_text=_("Werkelijke einddatum, of null als het traject loopt."),
    )
    result = models.CharField(
        _("resultaat"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text=_("Resultaat bij afsluiting, of leeg."),
    )
    cost = models.DecimalField(
        _("kosten"), max_digits=9, decimal_places=2, default=0, help_text=_("Kosten in euro.")
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "Uren per week van een plaatsing (nieuw beschut werk, loonkostensubsidie, "
            "garantiebaan), voor de telling in fte; of null."
        ),
    )
    banenafspraak_sector = models.CharField(
        _("banenafspraak"),
        max_length=10,
        choices=BanenafspraakSector.choices,
        blank=True,
        help_text=_(
            "Sector van de werkgever als dit een baan in de banenafspraak is: markt of overheid; "
            "leeg als het geen banenafspraakbaan is."
        ),
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("gestart door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Id van de medewerker die het traject startte."),
    )

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["resident", "-started_on", "-id"]
        indexes = [
            models.Index(fields=["started_on", "ended_on"]),
            # the banenafspraak jobs (a few in a hundred trajectories) without reading the table:
            # at 400,000 households banenafspraak.jobs read 432 MB of trajectories for 7,000
            # jobs (issue 19)
            models.Index(
                fields=["started_on"],
                condition=~Q(banenafspraak_sector=""),
                name="trajectory_banenafspraak_idx",
            ),
            # the placements with hours of an instrument (the fte indicators): at 400,000
            # households 20,000 of the 110,000 loonkostensubsidie trajectories have hours, and
            # the instrument's index read the pages of all of them
            models.Index(
                fields=["instrument"],
                condition=Q(hours_per_week__isnull=False),
                name="trajectory_hours_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="trajectory_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("started_on")),
                name="trajectory_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(result=""))
                | (Q(ended_on__isnull=False) & ~Q(result="")),
                name="trajectory_result_iff_ended",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="trajectory_cost_nonneg"),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=80)),
                name="trajectory_hours_range",
            ),
            models.UniqueConstraint(
                fields=["resident", "instrument"],
                condition=Q(ended_on__isnull=True),
                name="trajectory_one_open_per_instrument",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.started_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def status_on(self, on) -> str:
        """The status on ``on``: "gepland" (starts after it), "lopend" or "afgesloten"."""
        if self.started_on > on:
            return "gepland"
        if self.ended_on is not None and self.ended_on <= on:
            return "afgesloten"
        return "lopend"


class OutflowEvent(models.Model):
    """Uitstroom: the benefit ends (full) or is reduced by work (partial)."""

    class Kind(models.TextChoices):
        FULL = "volledig", _("Volledige uitstroom")
        PARTIAL = "gedeeltelijk", _("Gedeeltelijke uitstroom (deeltijdwerk of meer uren)")

    class Reason(models.TextChoices):
        WORK = "werk", _("Werk")
        OTHER = "overig", _("Andere reden")

    class ContractType(models.TextChoices):
        PERMANENT = "vast", _("Vast contract")
        TEMPORARY = "tijdelijk", _("Tijdelijk contract")
        ON_CALL = "oproep", _("Oproep- of nulurencontract")
        AGENCY = "uitzend", _("Uitzendwerk")
        SELF_EMPLOYED = "zelfstandig", _("Zelfstandige")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="outflows",
        help_text=_("Id van de inwoner."),
    )
    benefit = models.ForeignKey(
        Benefit,
        verbose_name=_("uitkering"),
        on_delete=models.PROTECT,
        related_name="outflows",
        help_text=_("Id van de uitkering waaruit de inwoner (deels) uitstroomt."),
    )
    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=Kind.choices,
        help_text=_("Volledige of gedeeltelijke uitstroom."),
    )
    reason = models.CharField(
        _("reden"),
        max_length=10,
        choices=Reason.choices,
        help_text=_("Reden: werk of een andere reden."),
    )
    occurred_on = models.DateField(_("datum"), help_text=_("Datum van uitstroom."))
    is_hours_increase = models.BooleanField(
        _("urenuitbreiding"),
        default=False,
        help_text=_("Werkte al in deeltijd en gaat meer uren werken."),
    )
    hours_per_week = models.DecimalField(
        _("uren per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Uren per week in het nieuwe werk."),
    )
    employer = models.CharField(
        _("werkgever"), max_length=120, blank=True, help_text=_("Naam van de werkgever.")
    )
    sector = models.CharField(
        _("sector"), max_length=80, blank=True, help_text=_("Sector van het werk.")
    )
    contract_type = models.CharField(
        _("soort contract"),
        max_length=20,
        choices=ContractType.choices,
        blank=True,
        help_text=_("Soort contract (verplicht bij uitstroom naar werk)."),
    )
    is_subsidised = models.BooleanField(
        _("gesubsidieerd (bijv. loonkostensubsidie)"),
        default=False,
        help_text=_("Gesubsidieerd werk, bijvoorbeeld met loonkostensubsidie."),
    )
    still_off_benefit_6m = models.BooleanField(
        _("na 6 maanden nog uit de uitkering"),
        null=True,
        blank=True,
        help_text=_("Na 6 maanden nog uit de uitkering (null: nog niet bekend)."),
    )
    still_off_benefit_12m = models.BooleanField(
        _("na 12 maanden nog uit de uitkering"),
        null=True,
        blank=True,
        help_text=_("Na 12 maanden nog uit de uitkering (null: nog niet bekend)."),
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Id van de medewerker die de uitstroom vastlegde."),
    )
    recorded_at = models.DateTimeField(
        _("vastgelegd op"), auto_now_add=True, help_text=_("Moment van vastleggen.")
    )

    class Meta:
        verbose_name = _("uitstroom")
        verbose_name_plural = _("uitstroom")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on", "reason"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="gedeeltelijk") | Q(reason="werk"),
                name="outflow_partial_is_work",
            ),
            models.CheckConstraint(
                # hours_per_week IS NOT NULL: a CHECK passes when it evaluates to NULL
                condition=~Q(reason="werk")
                | (
                    Q(hours_per_week__isnull=False)
                    & Q(hours_per_week__gt=0)
                    & Q(hours_per_week__lte=80)
                    & ~Q(contract_type="")
                ),
                name="outflow_work_has_hours_and_contract",
            ),
            models.CheckConstraint(
                condition=~Q(is_hours_increase=True) | Q(kind="gedeeltelijk"),
                name="outflow_hours_increase_is_partial",
            ),
        ]


class ContactMoment(models.Model):
    class Channel(models.TextChoices):
        FACE_TO_FACE = "gesprek", _("Gesprek op kantoor")
        HOME_VISIT = "huisbezoek", _("Huisbezoek")
        PHONE = "telefoon", _("Telefoon")
        VIDEO = "video", _("Videobellen")
        WRITTEN = "schriftelijk", _("Brief of e-mail")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="contacts",
        help_text=_("Id van de inwoner."),
    )
    occurred_on = models.DateField(_("datum"), help_text=_("Datum van het contact."))
    channel = models.CharField(
        _("kanaal"),
        max_length=20,
        choices=Channel.choices,
        help_text=_("Kanaal: gesprek, huisbezoek, telefoon, video of schriftelijk."),
    )
    by = models.ForeignKey(
        User,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Id van de medewerker die het contact had."),
    )
    summary = models.TextField(
        _("verslag"),
        blank=True,
        help_text=_("Kort verslag (functionele conclusies, geen diagnoses)."),
    )

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["resident", "-occurred_on"])]


class LadderScore(models.Model):
    class Step(models.IntegerChoices):
        ISOLATED = 1, _("1 Geïsoleerd")
        SOCIAL_CONTACTS = 2, _("2 Sociale contacten buiten de deur")
        ORGANISED = 3, _("3 Deelname georganiseerde activiteiten")
        UNPAID = 4, _("4 Onbetaald werk")
        PAID_SUPPORTED = 5, _("5 Betaald werk met ondersteuning")
        PAID = 6, _("6 Betaald werk")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="ladder_scores",
        help_text=_("Id van de inwoner."),
    )
    measured_on = models.DateField(_("datum meting"), help_text=_("Datum van de meting."))
    step = models.PositiveSmallIntegerField(
        _("trede"),
        choices=Step.choices,
        help_text=_("Trede op de participatieladder: 1 geïsoleerd ... 6 betaald werk."),
    )
    by = models.ForeignKey(
        User,
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Id van de medewerker die mat."),
    )

    class Meta:
        verbose_name = _("participatieladder-score")
        verbose_name_plural = _("participatieladder-scores")
        ordering = ["resident", "-measured_on"]
        indexes = [
            # "the scores measured in a period" (amersfoort.ladder_climbing): a range scan of
            # the period instead of the whole (resident, day) index per period (#4)
            models.Index(
                fields=["measured_on"],
                include=["resident", "step"],
                name="ladder_measured_on_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__gte=1) & Q(step__lte=6), name="ladder_step_1_6"
            ),
            models.UniqueConstraint(fields=["resident", "measured_on"], name="ladder_one_per_day"),
        ]


class FraudInvestigation(models.Model):
    class SignalSource(models.TextChoices):
        INLICHTINGENBUREAU = "inlichtingenbureau", _("Inlichtingenbureau (bestandskoppeling)")
        TIP = "tip", _("Tip / melding")
        INTERNAL = "intern", _("Intern signaal (consulent)")
        THEMATIC = "thematisch", _("Themacontrole")

    class Result(models.TextChoices):
        ENDED = "beeindigd", _("Uitkering beëindigd")
        ADJUSTED = "aangepast", _("Uitkering aangepast")
        UNCHANGED = "ongewijzigd", _("Ongewijzigd")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="fraud_investigations",
        help_text=_("Id van de inwoner."),
    )
    started_on = models.DateField(_("startdatum"), help_text=_("Startdatum van het onderzoek."))
    signal_source = models.CharField(
        _("bron signaal"),
        max_length=20,
        choices=SignalSource.choices,
        help_text=_("Bron van het signaal: inlichtingenbureau, tip, intern of themacontrole."),
    )
    ended_on = models.DateField(
        _("einddatum"),
        null=True,
        blank=True,
        help_text=_("Einddatum, of null als het onderzoek loopt."),
    )
    result = models.CharField(
        _("resultaat"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text=_(
            "Resultaat: uitkering beëindigd, aangepast of ongewijzigd; leeg als het loopt."
        ),
    )
    claim_amount = models.DecimalField(
        _("vordering"), max_digits=9, decimal_places=2, default=0, help_text=_("Vordering in euro.")
    )

    class Meta:
        verbose_name = _("fraudeonderzoek")
        verbose_name_plural = _("fraudeonderzoeken")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="fraud_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(result=""))
                | (Q(ended_on__isnull=False) & ~Q(result="")),
                name="fraud_result_iff_ended",
            ),
            models.CheckConstraint(condition=Q(claim_amount__gte=0), name="fraud_claim_nonneg"),
        ]


class DebtCase(models.Model):
    """Schuldhulpverlening."""

    class Result(models.TextChoices):
        SETTLED = "schuldregeling", _("Schuldregeling getroffen")
        STABILISED = "stabilisatie", _("Gestabiliseerd, geen regeling")
        NO_SETTLEMENT = "geen_regeling", _("Geen regeling mogelijk")
        WITHDRAWN = "ingetrokken", _("Ingetrokken / uitgevallen")

    resident = models.ForeignKey(
        Resident,
        verbose_name=_("inwoner"),
        on_delete=models.CASCADE,
        related_name="debt_cases",
        help_text=_("Id van de inwoner."),
    )
    applied_on = models.DateField(
        _("datum aanmelding"), help_text=_("Datum van aanmelding voor schuldhulpverlening.")
    )
    total_debt = models.DecimalField(
        _("totale schuld"),
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text=_("Totale schuld in euro."),
    )
    closed_on = models.DateField(
        _("afgesloten op"), null=True, blank=True, help_text=_("Datum van afsluiten, of null.")
    )
    result = models.CharField(
        _("resultaat"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text=_("Resultaat bij afsluiten, of leeg."),
    )

    class Meta:
        verbose_name = _("schuldhulptraject")
        verbose_name_plural = _("schuldhulptrajecten")
        ordering = ["-applied_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("applied_on")),
                name="debt_closed_after_applied",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(result=""))
                | (Q(closed_on__isnull=False) & ~Q(result="")),
                name="debt_result_iff_closed",
            ),
            models.CheckConstraint(condition=Q(total_debt__gte=0), name="debt_total_nonneg"),
        ]


# --------------------------------------------------------------------------------------------
# Corrections (issue 14): a recorded fact is corrected or withdrawn, never silently changed
# --------------------------------------------------------------------------------------------


class Correction(models.Model):
    """One correction or withdrawal of a recorded fact, with its reason: the history of a fact.

    A correction changes the fact's row in place (through the fact's ``*_correct`` service,
    validated as a new record would be); ``before`` holds every value of the row as it was,
    ``changed_fields``/``after`` what changed. A withdrawal removes the row from its table
    (so no indicator query, selector or outside recomputation has to know about withdrawn rows)
    and keeps it whole in ``before``. ``related`` lists the other rows the service changed
    with it (the previous group assignment reopened, the benefit a full outflow ended, ...).
    The snapshot holds no BSN: no fact table stores one."""

    class FactType(models.TextChoices):
        TRAJECTORY = "traject", _("traject")
        OUTFLOW = "uitstroom", _("uitstroom")
        CONTACT = "contact", _("contactmoment")
        LADDER = "ladder", _("participatieladder-score")
        GROUP = "groep", _("groepsindeling")
        PLAN_ACTION = "planactie", _("actie van het plan van aanpak")
        #: the decision on an application (the walk of 3 December: a wrong decision stayed)
        DECISION = "besluit", _("besluit op aanvraag")

    class Kind(models.TextChoices):
        CORRECTED = "gecorrigeerd", _("gecorrigeerd")
        WITHDRAWN = "ingetrokken", _("ingetrokken")

    resident = models.ForeignKey(
        Resident, verbose_name=_("inwoner"), on_delete=models.CASCADE, related_name="corrections"
    )
    fact_type = models.CharField(_("soort gegeven"), max_length=20, choices=FactType.choices)
    fact_id = models.PositiveBigIntegerField(_("id van het gegeven"))
    kind = models.CharField(_("soort correctie"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reden"))
    before = models.JSONField(_("gegevens vóór de correctie"), encoder=DjangoJSONEncoder)
    changed_fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    after = models.JSONField(
        _("nieuwe waarden"), encoder=DjangoJSONEncoder, default=dict, blank=True
    )
    related = models.JSONField(
        _("meegewijzigde gegevens"), encoder=DjangoJSONEncoder, default=list, blank=True
    )
    affected_from = models.DateField(_("herberekenen vanaf"))
    by = models.ForeignKey(User, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        verbose_name = _("correctie")
        verbose_name_plural = _("correcties")
        ordering = ["resident", "-at", "-id"]
        indexes = [
            models.Index(fields=["resident", "-at", "-id"], name="correction_resident_at_idx"),
            models.Index(fields=["fact_type", "fact_id"], name="correction_fact_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_reason_required"),
            models.CheckConstraint(
                condition=Q(
                    fact_type__in=[
                        "traject",
                        "uitstroom",
                        "contact",
                        "ladder",
                        "groep",
                        "planactie",
                        "besluit",
                    ]
                ),
                name="correction_fact_type_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="gecorrigeerd") & ~Q(changed_fields=[]))
                | (Q(kind="ingetrokken") & Q(changed_fields=[])),
                name="correction_changes_iff_corrected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_fact_type_display()} {self.fact_id} {self.get_kind_display()}"
