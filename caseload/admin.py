"""Admin for functioneel beheer: configuration is editable, personal data is read-mostly."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import DomainError
from common.password_reset import password_reset_link_send
from common.two_factor import two_factor_reset, user_has_confirmed_device

from .admin_forms import StaffChangeForm, StaffCreationForm
from .models import (
    District,
    Instrument,
    Municipality,
    MunicipalityYear,
    Region,
    Resident,
    Role,
    Team,
    User,
)
from .permissions import CaseloadPermission
from .services import (
    OPERATIONAL_ROLES,
    team_change,
    user_create,
    user_grants_change,
    user_manageable_by,
    user_role_change,
)


class MunicipalityYearInline(admin.TabularInline):
    model = MunicipalityYear
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """A region groups municipalities (issue 17): functioneel beheer names it here and puts
    municipalities in it on the municipality's page."""

    list_display = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region", "records_from"]
    list_filter = ["region"]
    inlines = [MunicipalityYearInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind", "municipality"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # another kind or municipality gives the members new access: through the service, which
        # has it approved by the privacy officer when functioneel beheer changed it
        if team_change(actor=request.user, team=obj, kind=obj.kind, municipality=obj.municipality):
            messages.warning(
                request,
                _(
                    "De medewerkers van dit team wachten op goedkeuring van hun nieuwe toegang "
                    "door de privacy officer."
                ),
            )


def _technical_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_superuser)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Staff accounts, with separation of duties (issue #12, finding 1; docs/security.md).

    A functioneel beheerder sees and edits only the accounts of the operational roles (never its
    own, another beheerder's, the privacy officer's, a superuser's or a service account's) and
    gives only operational roles. Staff access, permissions and groups are on the technical
    administrator's (superuser's) form only; ``is_superuser`` is on no form. Nobody sets another
    person's password: "Stuur herstel-link" e-mails a one-time link. Role, team, the municipality
    a manager, finance or WSP account is bound to (issue 17), status and grants are saved through
    ``caseload.services`` (which checks the same rules again and writes the processing log
    record), so a crafted POST gets no further than the form.
    """

    form = StaffChangeForm
    add_form = StaffCreationForm
    add_form_template = None  # the plain change form, with our note on top (no password step)
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "team",
        "municipality",
        "is_active",
    ]
    list_filter = ["role", "team", "municipality", "is_active"]
    list_select_related = ["team", "municipality"]
    readonly_fields = [
        "is_superuser",
        "last_login",
        "date_joined",
        "access_pending",
        "access_changed_by",
        "access_changed_at",
        "access_decided_by",
        "access_decided_at",
    ]
    actions = ["password_reset_link_send"]
    _who = (None, {"fields": ("username",)})
    _personal = (
        gettext_lazy("Persoonlijke gegevens"),
        {"fields": ("first_name", "last_name", "email")},
    )
    _role = (
        gettext_lazy("Rol en team"),
        {"fields": ("role", "team", "municipality", "is_active")},
    )
    _dates = (gettext_lazy("Datums"), {"fields": ("last_login", "date_joined")})
    _access = (
        gettext_lazy("Goedkeuring van de toegang (privacy officer)"),
        {
            "fields": (
                "access_pending",
                "access_changed_by",
                "access_changed_at",
                "access_decided_by",
                "access_decided_at",
            )
        },
    )
    _grants = (
        gettext_lazy("Technisch beheer"),
        {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
    )
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        (gettext_lazy("Rol en team"), {"fields": ("role", "team", "municipality")}),
    )

    # --- who may see and change which account ------------------------------------------------

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if _technical_admin(request):
            return qs
        if not request.user.has_perm(CaseloadPermission.CONFIGURE):
            return qs.none()
        return qs.filter(
            role__in=OPERATIONAL_ROLES,
            is_superuser=False,
            is_staff=False,
            service_account__isnull=True,
        ).exclude(pk=request.user.pk)

    def _manageable(self, request, obj) -> bool:
        return obj is None or user_manageable_by(actor=request.user, user=obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._manageable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manageable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manageable(request, obj)

    # --- which fields ----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if _technical_admin(request):
            return (
                self._who,
                self._personal,
                self._role,
                self._access,
                self._grants,
                self._dates,
            )
        return (self._who, self._personal, self._role, self._access, self._dates)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None and not _technical_admin(request):
            # the reset link goes to this address: only a technical administrator redirects it
            readonly.append("email")
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "team" and field is not None:
            # four municipalities each have a "Handhaving": say whose (the second walk of
            # 3 December could not tell which team it picked)
            field.queryset = field.queryset.select_related("municipality").order_by(
                "municipality__name", "name"
            )
            field.label_from_instance = lambda team: f"{team.name} ({team.municipality.name})"
        return field

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not _technical_admin(request):
            kwargs["choices"] = [("", "---------")] + [
                (value, label) for value, label in Role.choices if value in OPERATIONAL_ROLES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # --- saving: role, team, status and grants through the services ---------------------------

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                user_create(actor=request.user, user=obj)
                self._pending_note(request, obj)
                return
            stored = User.objects.get(pk=obj.pk)
            role, team, is_active, is_staff = obj.role, obj.team, obj.is_active, obj.is_staff
            user_role_change(
                actor=request.user,
                user=obj,
                role=role,
                team=team,
                municipality=obj.municipality,
                is_active=is_active,
                is_staff=is_staff if _technical_admin(request) else stored.is_staff,
            )
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc
        self._pending_note(request, obj)
        obj.is_superuser = stored.is_superuser
        obj.save(update_fields=["username", "first_name", "last_name", "email"])

    def _pending_note(self, request, user) -> None:
        if user.access_pending:
            messages.warning(
                request,
                _(
                    "De toegang van %(user)s wacht op goedkeuring door de privacy officer; tot "
                    "dan opent het account geen gegevens van inwoners."
                )
                % {"user": user.username},
            )

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        if "user_permissions" in data or "groups" in data:
            user = form.instance
            try:
                user_grants_change(
                    actor=request.user,
                    user=user,
                    permissions=list(data.get("user_permissions", user.user_permissions.all())),
                    groups=list(data.get("groups", user.groups.all())),
                )
            except DomainError as exc:
                raise PermissionDenied(exc.message) from exc
        super().save_related(request, form, formsets, change)

    # --- passwords: a reset link, never a set-password form ----------------------------------

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(
            _("Een wachtwoord stelt alleen de medewerker zelf in: stuur een herstel-link.")
        )

    def get_urls(self):
        info = (self.opts.app_label, self.opts.model_name)
        return [
            path(
                "<id>/herstel-link/",
                self.admin_site.admin_view(self.password_reset_link_view),
                name="{}_{}_password_reset_link".format(*info),
            ),
            path(
                "<id>/tweestapsverificatie/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="{}_{}_two_factor_reset".format(*info),
            ),
            *super().get_urls(),
        ]

    def _send_reset_link(self, request, user) -> bool:
        if not user.is_active:
            messages.error(
                request, _("%(user)s is niet actief: geen herstel-link verstuurd.") % {"user": user}
            )
            return False
        if not user.email:
            messages.error(
                request,
                _("%(user)s heeft geen e-mailadres: geen herstel-link verstuurd.") % {"user": user},
            )
            return False
        password_reset_link_send(user=user, request=request)
        self.log_change(request, user, _("Herstel-link verstuurd."))
        return True

    def _account_and_change_url(self, request, id) -> tuple[User, str]:
        """The account an action page is about, if this admin may change it (else 404, the
        same as for a missing account), and the URL of its change form."""
        user = self.get_object(request, unquote(id))
        if user is None or not self.has_change_permission(request, user):
            raise Http404
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[user.pk]
        )
        return user, change_url

    def password_reset_link_view(self, request, id):
        """ "Stuur herstel-link" on an account's page: GET asks, POST e-mails the link."""
        user, change_url = self._account_and_change_url(request, id)
        if request.method == "POST":
            if self._send_reset_link(request, user):
                messages.success(
                    request, _("Herstel-link verstuurd naar %(email)s.") % {"email": user.email}
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": _("Stuur herstel-link"),
            "change_url": change_url,
            "can_do": bool(user.email),
        }
        return TemplateResponse(request, "admin/caseload/user/password_reset_link.html", context)

    def two_factor_reset_view(self, request, id):
        """ "Tweestapsverificatie opnieuw instellen" on an account's page (a lost phone): GET
        asks, POST removes the account's authenticator; the colleague sets up a new one at the
        next login. Only for the accounts this admin may change (the security probe of
        4 December: the docs sent beheer to the device admin, which answers 403)."""
        user, change_url = self._account_and_change_url(request, id)
        if request.method == "POST":
            if two_factor_reset(user=user):
                self.log_change(request, user, _("Tweestapsverificatie opnieuw ingesteld."))
                messages.success(
                    request,
                    _(
                        "De authenticator van %(user)s is verwijderd. Bij de volgende keer "
                        "inloggen stelt %(user)s een nieuwe in."
                    )
                    % {"user": user.username},
                )
            else:
                messages.info(
                    request,
                    _("%(user)s had nog geen authenticator ingesteld.") % {"user": user.username},
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": _("Tweestapsverificatie opnieuw instellen"),
            "change_url": change_url,
            "can_do": user_has_confirmed_device(user),
        }
        return TemplateResponse(request, "admin/caseload/user/two_factor_reset.html", context)

    @admin.action(description=gettext_lazy("Stuur herstel-link"), permissions=["change"])
    def password_reset_link_send(self, request, queryset) -> HttpResponse | None:
        sent = sum(self._send_reset_link(request, user) for user in queryset)
        if sent:
            messages.success(
                request, _("Herstel-link verstuurd naar %(count)d medewerker(s).") % {"count": sent}
            )
        return None


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "category",
        "srg_type",
        "is_working_with_support",
        "is_participation",
        "default_cost",
        "is_active",
    ]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Read-only: personal data is changed through the workspace, where it is validated and
    logged. The BSN is not shown in the list and not searchable here."""

    list_display = ["__str__", "team", "consulent", "is_fake"]
    list_filter = ["team", "is_fake", "is_status_holder"]
    list_select_related = ["team", "consulent"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
