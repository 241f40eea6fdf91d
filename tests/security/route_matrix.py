"""The least-privilege matrix: for every route and API operation, who may do what to which object.

Read by ``tests/security/test_route_matrix.py``, which walks the URLconf and the OpenAPI schema,
calls every route as every identity below on every kind of object, and fails on any cell that
answers differently from this table, and on any route or operation that is not in it. A new
route therefore cannot ship without a decision here. See docs/security_matrix.md.

How to read a rule
------------------
A rule maps identities (or the identity groups below, or ``"*"`` for the rest) to an outcome
text: a default outcome, optionally followed by ``;`` and per-object overrides, e.g.
``"hidden; own=ok, other=glass"``: the resident of the caller's own team opens, another team's
asks for a break-the-glass reason, everything else answers as if it did not exist. The most
specific key wins (identity, then group, then ``"*"``).

Objects (for routes that take an id; routes without one are called once, object ``-``):
    own      a resident (or its record) of team "Werk A", municipality 1: the team of the
             consulent and teamleider; also the resident the ``glass`` identity holds a grant for;
             for municipal objects (imports, reports, jobs, tokens) one of municipality 1
    other    a resident of team "Werk B", same municipality (nobody's team below, except as the
             staff member of ``log_user``)
    foreign  a resident (or municipal object) of municipality 2
    missing  an id that does not exist

Outcomes:
    ok       served (2xx, or a redirect that is not to a login page)
    invalid  reached validation: 400/412/422/428 (the route is open to the caller; a write
             with an empty body is refused on its content, not on who sent it)
    denied   403 (role, permission or token scope missing), the same for every object
    hidden   404, indistinguishable from a nonexistent id
    glass    403 with the break-the-glass form (the caller may open it with a typed reason)
    login    302 to a login page (pages) or 401 (API)
    n/a      405: the method is not offered (e.g. GET of a POST-only route for a signed-in user)
"""

from __future__ import annotations

OK, INVALID, DENIED, HIDDEN, GLASS, LOGIN, NA = (
    "ok",
    "invalid",
    "denied",
    "hidden",
    "glass",
    "login",
    "n/a",
)
OUTCOMES = (OK, INVALID, DENIED, HIDDEN, GLASS, LOGIN, NA)
KINDS = ("own", "other", "foreign", "missing")

TOKEN_SCOPES = (
    "caseload:read",
    "caseload:write",
    "indicators:read",
    "budget:read",
    "budget:write",
)
#: Personal keys (a person's own key, acting with that person's permissions and scope) for the
#: matching API (issue 18): the account manager's with ``matching:read`` and ``matching:write``
#: (``token:wsp``), the same restricted to municipality 2 (``token:wsp:foreign``: it reads
#: nothing of municipality 1), the account manager's without a matching scope
#: (``token:wsp:employers``: ``employers:read`` only), and the consulent's with
#: ``matching:read`` only (``token:consulent:matching-read``: reads its team's residents, writes
#: nothing). Identity -> (user, scopes, bound to the foreign municipality).
PERSONAL_KEYS = {
    "token:wsp": ("accountmanager", ("matching:read", "matching:write"), False),
    "token:wsp:foreign": ("accountmanager", ("matching:read", "matching:write"), True),
    "token:wsp:employers": ("accountmanager", ("employers:read",), False),
    "token:consulent:matching-read": ("consulent", ("matching:read",), False),
}
#: Every identity (column). ``token:<scope>``: a service account of municipality 1 with a key
#: holding only that scope; ``token:bound``: a key with every scope, restricted to municipality 1
#: (``ApiToken.municipality``); ``PERSONAL_KEYS`` above; ``glass``: a consulent of a third team
#: ("Werk C", municipality 1) holding an active break-the-glass grant for the ``own`` resident.
IDENTITIES = (
    "anonymous",
    "consulent",
    "teamleider",
    "manager",
    "financien",
    "beheer",
    "privacy",
    "accountmanager",
    "regio",
    "superuser",
    *(f"token:{s}" for s in TOKEN_SCOPES),
    "token:bound",
    *PERSONAL_KEYS,
    "glass",
)
GROUPS = {
    # the roles that see the own team's dossiers
    "team": ("consulent", "teamleider", "glass"),
    # roles without any dossier access (aggregates, configuration, supervision)
    "no-dossier": ("manager", "financien", "beheer", "privacy", "accountmanager", "regio"),
    "tokens": (*(f"token:{s}" for s in TOKEN_SCOPES), "token:bound", *PERSONAL_KEYS),
}

# --- Rules per route group ----------------------------------------------------------------------

#: Pages and API bodies reached without a session: a token is not a session (pages).
PAGE_GUESTS = {"anonymous": LOGIN, "tokens": LOGIN}

#: The dossier and every page that reads or changes one resident's case. Other team: the dossier
#: offers break-the-glass, case forms answer 404 (they do not offer it). A grant opens exactly
#: the granted resident (``own`` for ``glass``), nothing else.
DOSSIER_PAGE = {
    **PAGE_GUESTS,
    "team": "hidden; own=ok",
    "no-dossier": DENIED,
    "superuser": "ok; missing=hidden",
}
DOSSIER = {**DOSSIER_PAGE, "team": "hidden; own=ok, other=glass"}
#: Intake pages find the resident through the same selector, without a role check first: the
#: roles without dossier access get 404 for every id, existing or not (no existence oracle;
#: tests/intake/test_views.py::test_manager_gets_404 holds this on purpose).
INTAKE_PAGE = {**DOSSIER_PAGE, "no-dossier": HIDDEN}
#: POST-only (called with an empty form): the own resident's plan answers 422.
INTAKE_POST = {
    **INTAKE_PAGE,
    "team": "hidden; own=invalid",
    "superuser": "invalid; missing=hidden",
}
#: Reassigning is the teamleider's: a consulent is refused for every id (no existence oracle).
REASSIGN = {**DOSSIER_PAGE, "consulent": DENIED, "glass": DENIED}

#: Correcting or withdrawing a recorded fact (issue 14): ``caseload.correct_facts`` first (403
#: for every id), then the own team's residents only: a break-the-glass grant opens a dossier to
#: read, not to rewrite its history (404 as for a nonexistent id).
CORRECT_FACT = {**DOSSIER_PAGE, "glass": HIDDEN}

#: The privacy officer's pages: any resident of the deployment; nobody else, for no id. Not
#: the superuser either: supervision is separated from technical administration.
PRIVACY_OFFICER = {**PAGE_GUESTS, "*": DENIED, "privacy": "ok; missing=hidden"}
#: The break-the-glass form: team roles for another team of their own municipality. Own team:
#: nothing to break (403). Another municipality: the same 404 as a nonexistent id. Roles that
#: may never break the glass get 403 for every id, existing or not (finding 14).
BREAK_GLASS = {
    **PAGE_GUESTS,
    "*": DENIED,
    "consulent": "hidden; own=denied, other=ok",
    "teamleider": "hidden; own=denied, other=ok",
    "glass": "hidden; own=ok, other=ok",
    "superuser": DENIED,  # may never break the glass: one answer for every id (finding 14)
}

#: The region's pages (issue 17): ``region.view_region`` (beheer; the role regio),
#: ``region.view_comparison`` (also the manager), ``region.view_budget`` (finance, beheer, the
#: role regio: the regional BUIG overview only; regio holds no ``budget.view_budget``, so every
#: budget page answers it 403 through ``"*"`` of BUDGET and BUDGET_OBJECT).
REGION_PAGE = {**PAGE_GUESTS, "*": DENIED, "beheer": OK, "regio": OK, "superuser": OK}
REGION_COMPARISON = {**REGION_PAGE, "manager": OK}
REGION_BUDGET = {**REGION_PAGE, "financien": OK}

#: A page any signed-in member of staff may open.
STAFF_PAGE = {**PAGE_GUESTS, "*": OK}
#: Worklist and BSN search: the team roles.
WORKLIST = {**PAGE_GUESTS, "*": DENIED, "team": OK, "superuser": OK}
#: ``indicators.view_dashboards``.
DASHBOARD = {
    **PAGE_GUESTS,
    "*": DENIED,
    "teamleider": OK,
    "manager": OK,
    "financien": OK,
    "beheer": OK,
    "superuser": OK,
}
#: ``indicators.view_residents`` and a dashboard to drill down from.
DRILL_DOWN = {**PAGE_GUESTS, "*": DENIED, "teamleider": OK, "superuser": OK}
#: ``indicators.edit_targets``.
TARGETS = {**PAGE_GUESTS, "*": DENIED, "beheer": OK, "superuser": OK}
#: ``budget.view_budget``: financien, beheer (every municipality of the deployment).
BUDGET = {**PAGE_GUESTS, "*": DENIED, "financien": OK, "beheer": OK, "superuser": OK}
BUDGET_OBJECT = {
    **PAGE_GUESTS,
    "*": DENIED,
    "financien": "ok; missing=hidden",
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
}
#: ``caseload.configure``: API tokens and the caseload import (functioneel beheer).
CONFIGURE = {**PAGE_GUESTS, "*": DENIED, "beheer": OK, "superuser": OK}
CONFIGURE_OBJECT = {
    **PAGE_GUESTS,
    "*": DENIED,
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
}
#: Break-the-glass review: the privacy officer (all) and a teamleider (own team's members).
GLASS_REVIEW = {**PAGE_GUESTS, "*": DENIED, "teamleider": OK, "privacy": OK}
#: Open to everybody, signed in or not.
PUBLIC = {"*": OK}
#: The werkgeversservicepunt (issue 18). ``employers.view_employers``: the account manager
#: (every municipality of the installation), teamleider (own team's municipality), beheer.
#: Objects are employers or vacancies of municipality 1 (``own``) and 2 (``foreign``).
EMPLOYERS = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": OK,
    "teamleider": OK,
    "beheer": OK,
    "superuser": OK,
}
EMPLOYER_OBJECT = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": "ok; missing=hidden",
    "teamleider": "hidden; own=ok",
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
}
#: ``employers.change_employers``: the account manager only.
EMPLOYERS_CHANGE = {**PAGE_GUESTS, "*": DENIED, "accountmanager": OK, "superuser": OK}
EMPLOYER_CHANGE_OBJECT = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
}
#: POST-only forms on the employer page, called with an empty form: 422 with the page.
EMPLOYER_CHANGE_POST = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": "invalid; missing=hidden",
    "superuser": "invalid; missing=hidden",
}
#: ``employers.view_vacancies``: also the consulenten (their team's municipality).
VACANCIES = {**EMPLOYERS, "consulent": OK, "glass": OK}
VACANCY_OBJECT = {**EMPLOYER_OBJECT, "consulent": "hidden; own=ok", "glass": "hidden; own=ok"}

#: The matching (issue 18). The profile pages are dossier pages (``caseload.view_dossier`` to
#: read, ``change_dossier`` to write); the forms are POST-only, called with an empty form: 422
#: for the own resident. Withdrawing a consent and removing work experience name a record the
#: matrix world does not hold: 404 for every id.
PROFILE_POST = {
    **DOSSIER_PAGE,
    "team": "hidden; own=invalid",
    "superuser": "invalid; missing=hidden",
}
PROFILE_RECORD_POST = {**PAGE_GUESTS, "*": DENIED, "team": HIDDEN, "superuser": HIDDEN}
#: ``matching.view_candidates``: the account manager (the region), the teamleider (own
#: municipality's vacancies).
CANDIDATES = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": "ok; missing=hidden",
    "teamleider": "hidden; own=ok",
    "superuser": "ok; missing=hidden",
}
#: ``matching.propose`` (account manager, consulent), called with an empty form: the profile
#: is missing, 404 (a hidden field, not typed input).
PROPOSE = {
    **PAGE_GUESTS,
    "*": DENIED,
    "accountmanager": HIDDEN,
    "consulent": HIDDEN,
    "glass": HIDDEN,
    "superuser": HIDDEN,
}
#: ``matching.place`` (account manager): the proposal pages are called with an id the matrix
#: world does not hold (404); the placements worklist.
PLACE_OBJECT = {**PAGE_GUESTS, "*": DENIED, "accountmanager": HIDDEN, "superuser": HIDDEN}
PLACE = {**PAGE_GUESTS, "*": DENIED, "accountmanager": OK, "superuser": OK}

# --- The pages (URL name -> rule) -----------------------------------------------------------------

PAGES: dict[str, dict] = {
    "home": STAFF_PAGE,
    "health": PUBLIC,
    "login": PUBLIC,
    "logout": {"*": NA},  # POST only (Django 5); GET is 405 for everybody
    "two_factor_verify": STAFF_PAGE,  # after the password: signed-in staff only
    "two_factor_setup": STAFF_PAGE,
    "api-docs": STAFF_PAGE,
    # the reset link sent by functioneel beheer (finding 1): open, the token is the key
    "password_reset_confirm": PUBLIC,
    # caseload workspace
    "caseload:worklist": WORKLIST,
    # the worklist as CSV (issue 14): caseload.export_worklist, the teamleider's
    "caseload:worklist_export": {**PAGE_GUESTS, "*": DENIED, "teamleider": OK, "superuser": OK},
    "caseload:dossier": DOSSIER,
    "caseload:trajectory_start": DOSSIER_PAGE,
    "caseload:trajectory_close": DOSSIER_PAGE,
    "caseload:outflow_record": DOSSIER_PAGE,
    "caseload:contact_record": DOSSIER_PAGE,
    "caseload:ladder_record": DOSSIER_PAGE,
    "caseload:group_change": DOSSIER_PAGE,
    # prevention at the end of the WW (issue 17): the melding and its outcome
    "caseload:ww_prevention": DOSSIER_PAGE,
    "caseload:contact_details": DOSSIER_PAGE,  # phone and e-mail (issue 14)
    "caseload:reassign": REASSIGN,
    "caseload:fact_correct": CORRECT_FACT,
    "caseload:fact_withdraw": CORRECT_FACT,
    # intake
    "intake:intake": INTAKE_PAGE,
    "intake:step": INTAKE_PAGE,
    "intake:plan": INTAKE_PAGE,
    "intake:plan_action_add": INTAKE_POST,
    # issue 14: an action done, the signed date (POST only), the printable plan, its PDF, the
    # completed intake in full
    "intake:plan_action_done": INTAKE_POST,
    "intake:plan_sign": INTAKE_POST,
    "intake:plan_print": INTAKE_PAGE,
    "intake:plan_pdf": INTAKE_PAGE,
    "intake:summary": INTAKE_PAGE,
    # new application (issue 14): team roles register into their own team; the superuser has
    # no team to register into (403); the register step without a look-up goes back (302)
    "registers:start": {**WORKLIST, "superuser": DENIED},
    "registers:register": {**WORKLIST, "superuser": DENIED},
    # the decision on an application in behandeling ("Aanvraag beslissen"): a dossier write
    # page like the outflow form (caseload.change_dossier, the API decide's permission)
    "registers:application_decide": DOSSIER_PAGE,
    "registers:application_new": DOSSIER_PAGE,
    # privacy
    "privacy:break_glass": BREAK_GLASS,
    "privacy:break_glass_review": GLASS_REVIEW,
    # the four eyes on staff access (review of 3 December): the privacy officer only
    "privacy:access_approvals": {**PAGE_GUESTS, "*": DENIED, "privacy": OK},
    "privacy:log_search": PRIVACY_OFFICER,
    "privacy:log_person": PRIVACY_OFFICER,
    "privacy:log_resident": PRIVACY_OFFICER,
    "privacy:log_resident_export": PRIVACY_OFFICER,
    "privacy:log_user": PRIVACY_OFFICER,
    "privacy:subject_access": PRIVACY_OFFICER,
    "privacy:subject_access_export": PRIVACY_OFFICER,
    # indicators
    "indicators:overview": DASHBOARD,
    "indicators:detail": DASHBOARD,
    "indicators:export_csv": DASHBOARD,
    "indicators:export_xlsx": DASHBOARD,
    "indicators:residents": DRILL_DOWN,
    "indicators:targets": TARGETS,
    # budget
    "budget:overview": BUDGET,
    "budget:vangnet": BUDGET,
    "budget:business_case": BUDGET,
    "budget:imports": BUDGET,
    "budget:reports": BUDGET,
    "budget:import_status": BUDGET_OBJECT,
    "budget:payments": BUDGET,
    "budget:reconciliation": BUDGET,
    "budget:payment_import_status": BUDGET_OBJECT,
    "budget:report_status": BUDGET_OBJECT,
    "budget:report_download": BUDGET_OBJECT,
    # beheer pages under /beheer/ (the key approvals under /privacy/; HTML, session only)
    "apiauth:token-list": CONFIGURE,
    # the privacy officer approves keys with a resident-data scope (four eyes, finding 2)
    "apiauth:token-approvals": {**PAGE_GUESTS, "*": DENIED, "privacy": OK},
    "apiauth:token-revoke": {**CONFIGURE_OBJECT, "beheer": "ok; missing=hidden"},
    "apiauth:import-create": CONFIGURE,
    "apiauth:import-detail": CONFIGURE_OBJECT,
    # werkgeversservicepunt (issue 18)
    "employers:employer_list": EMPLOYERS,
    "employers:employer_create": EMPLOYERS_CHANGE,
    "employers:employer_detail": EMPLOYER_OBJECT,
    "employers:employer_edit": EMPLOYER_CHANGE_OBJECT,
    "employers:location_add": EMPLOYER_CHANGE_POST,
    "employers:contact_add": EMPLOYER_CHANGE_POST,
    "employers:commitment_set": EMPLOYER_CHANGE_POST,
    "employers:vacancy_create": EMPLOYER_CHANGE_OBJECT,
    "employers:worklist": VACANCIES,
    "employers:vacancy_detail": VACANCY_OBJECT,
    "employers:vacancy_edit": EMPLOYER_CHANGE_OBJECT,
    "employers:vacancy_close": EMPLOYER_CHANGE_OBJECT,
    "employers:vacancy_import": EMPLOYER_CHANGE_OBJECT,
    # matching (issue 18)
    "matching:profile": DOSSIER,
    "matching:experience_add": PROFILE_POST,
    "matching:experience_remove": PROFILE_RECORD_POST,
    "matching:consent_give": PROFILE_POST,
    "matching:consent_withdraw": PROFILE_RECORD_POST,
    "matching:resident_vacancies": DOSSIER,
    "matching:incomplete": WORKLIST,
    # the ISCO-08 list, searchable: no personal data, for every signed-in user
    "matching:occupations": STAFF_PAGE,
    "matching:candidates": CANDIDATES,
    "matching:propose": PROPOSE,
    "matching:answer": PLACE_OBJECT,
    "matching:placement": PLACE_OBJECT,
    "matching:placements": PLACE,
    # the region (issue 17): aggregates only; with no region in the matrix's data the page says
    # so (ok). The regional login (role regio) holds the overview, the comparison and the BUIG
    # overview (region.view_budget), and no budget page.
    "region:overview": REGION_PAGE,
    "region:comparison": REGION_COMPARISON,
    "region:comparison_csv": REGION_COMPARISON,
    "region:comparison_xlsx": REGION_COMPARISON,
    "region:budget": REGION_BUDGET,
}

#: Routes called with POST and an empty body instead of GET (they offer no GET).
POST_ONLY = {
    "intake:plan_action_add",
    "intake:plan_action_done",
    "intake:plan_sign",
    "apiauth:token-revoke",
    "employers:location_add",
    "employers:contact_add",
    "employers:commitment_set",
    "matching:experience_add",
    "matching:experience_remove",
    "matching:consent_give",
    "matching:consent_withdraw",
    "matching:propose",
}

# --- The admin (/beheer/) -----------------------------------------------------------------------
# Every admin URL is ``admin:<app>_<model>_<view>``; each registered model is named here with the
# rule of its kind. Only staff (``is_staff``: beheer, superuser) reach the admin; every other
# identity is sent to the admin login.

ADMIN_GUESTS = {"*": LOGIN}
#: The admin's own pages (index, app list, password change, ...).
ADMIN_SITE = {**ADMIN_GUESTS, "beheer": OK, "superuser": OK}
#: Resident data (read-only admins, logged): the technical administrator only; functioneel
#: beheer holds no dossier access, so 403 for every id. A nonexistent id sends the superuser
#: back to the list (Django's redirect: ``ok``).
ADMIN_RESIDENT = {**ADMIN_GUESTS, "beheer": DENIED, "superuser": OK}
#: Configuration functioneel beheer maintains (caseload.demo.BEHEER_MODELS / BEHEER_APPS).
ADMIN_CONFIG = {**ADMIN_GUESTS, "beheer": OK, "superuser": OK}
#: Technical tables (auth groups, beat schedules, 2FA devices, lockouts, API keys and import
#: jobs, group proposal rules seeded by migration): the technical administrator only. Django's
#: history view answers a nonexistent id with its redirect before it checks the permission;
#: harmless here (these tables hold no resident data), refused for resident models (XFAIL).
ADMIN_TECHNICAL = {**ADMIN_GUESTS, "beheer": DENIED, "superuser": OK}
#: The stored indicator values are exact (small counts unmasked): only a role that sees them
#: exactly everywhere else (the functioneel beheerder sees them masked; review of 3 December).
ADMIN_EXACT_FIGURES = {**ADMIN_GUESTS, "beheer": DENIED, "superuser": OK}
ADMIN_TECHNICAL_HISTORY = {**ADMIN_TECHNICAL, "beheer": "denied; missing=ok"}
#: A view nobody may use (read-only admins: rows come from imports, the engine or the
#: workspace, never from the admin).
#: django-otp's device config and QR code views (common/admin.py): permission first, then 404
ADMIN_TOTP_DEVICE_VIEW = {**ADMIN_TECHNICAL, "superuser": "ok; missing=hidden"}
ADMIN_REFUSED = {**ADMIN_GUESTS, "beheer": DENIED, "superuser": DENIED}

ADMIN_MODELS: dict[str, dict] = {
    "auth_group": ADMIN_TECHNICAL,
    "django_celery_beat_periodictask": ADMIN_TECHNICAL,
    "django_celery_beat_clockedschedule": ADMIN_TECHNICAL,
    "django_celery_beat_crontabschedule": ADMIN_TECHNICAL,
    "django_celery_beat_solarschedule": ADMIN_TECHNICAL,
    "django_celery_beat_intervalschedule": ADMIN_TECHNICAL,
    "otp_totp_totpdevice": ADMIN_TECHNICAL,
    "axes_accessattempt": ADMIN_TECHNICAL,
    "axes_accesslog": ADMIN_TECHNICAL,
    "axes_accessfailurelog": ADMIN_TECHNICAL,
    "caseload_municipality": ADMIN_CONFIG,
    "caseload_region": ADMIN_CONFIG,
    "caseload_district": ADMIN_CONFIG,
    "caseload_team": ADMIN_CONFIG,
    "caseload_user": ADMIN_CONFIG,
    "caseload_instrument": ADMIN_CONFIG,
    "caseload_resident": ADMIN_RESIDENT,
    "intake_groupproposalrule": ADMIN_TECHNICAL,
    "intake_intake": ADMIN_RESIDENT,
    "intake_planvanaanpak": ADMIN_RESIDENT,
    "indicators_target": ADMIN_CONFIG,
    "indicators_manualvalue": ADMIN_CONFIG,
    "indicators_indicatorvalue": ADMIN_EXACT_FIGURES,
    "budget_vangnetrule": ADMIN_CONFIG,
    "budget_sisalabel": ADMIN_CONFIG,
    "budget_ledgerimport": ADMIN_CONFIG,
    "budget_receipt": ADMIN_CONFIG,
    "budget_journalcorrection": ADMIN_CONFIG,
    "budget_buigreport": ADMIN_CONFIG,
    "apiauth_serviceaccount": ADMIN_TECHNICAL,
    "apiauth_apitoken": ADMIN_TECHNICAL,
    "apiauth_importjob": ADMIN_TECHNICAL,
}
#: Views of those models that nobody may use (model -> views), answered with ADMIN_REFUSED.
ADMIN_REFUSED_VIEWS: dict[str, tuple[str, ...]] = {
    "caseload_resident": ("add", "delete"),
    "intake_intake": ("add", "delete"),
    "intake_planvanaanpak": ("add", "delete"),
    "indicators_indicatorvalue": ("add", "delete"),
    "budget_ledgerimport": ("add", "delete"),
    "budget_receipt": ("add", "delete"),
    "budget_journalcorrection": ("add", "delete"),
    "budget_buigreport": ("add", "delete"),
    "axes_accessattempt": ("add",),
    "axes_accesslog": ("add",),
    "axes_accessfailurelog": ("add",),
    "apiauth_apitoken": ("add",),  # keys are issued on the beheer page, with approval
}
ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete")


def admin_model_rule(model: str, view: str) -> dict | None:
    """The rule of ``admin:<model>_<view>``, or None when the model is not in the table."""
    if model not in ADMIN_MODELS or view not in ADMIN_VIEWS:
        return None
    if view in ADMIN_REFUSED_VIEWS.get(model, ()):
        return ADMIN_REFUSED
    rule = ADMIN_MODELS[model]
    if rule is ADMIN_TECHNICAL and view == "history":
        return ADMIN_TECHNICAL_HISTORY
    return rule


#: Admin URLs that are not a model view.
ADMIN_PAGES: dict[str, dict] = {
    "admin:index": ADMIN_SITE,
    "admin:app_list": ADMIN_SITE,
    "admin:login": PUBLIC,
    # POST only for staff (405); anybody else is sent on by a redirect
    "admin:logout": {"*": OK, "beheer": NA, "superuser": NA},
    "admin:password_change": ADMIN_SITE,
    "admin:password_change_done": ADMIN_SITE,
    "admin:jsi18n": ADMIN_SITE,
    # without its query (app_label, model_name, field_name) the autocomplete refuses
    "admin:autocomplete": {**ADMIN_SITE, "beheer": DENIED, "superuser": DENIED},
    # our models have no public page: 404 for a real object as for a missing one
    "admin:view_on_site": {**ADMIN_SITE, "beheer": HIDDEN, "superuser": HIDDEN},
    # no set-password form: a reset goes through a reset link (finding 1)
    "admin:auth_user_password_change": {**ADMIN_GUESTS, "beheer": DENIED, "superuser": DENIED},
    # a password reset goes through a reset link (finding 1)
    "admin:caseload_user_password_reset_link": {
        **ADMIN_SITE,
        "beheer": "ok; missing=hidden",
        "superuser": "ok; missing=hidden",
    },
    # a lost phone: the authenticator is removed from the account page (probe of 4 December)
    "admin:caseload_user_two_factor_reset": {
        **ADMIN_SITE,
        "beheer": "ok; missing=hidden",
        "superuser": "ok; missing=hidden",
    },
    "admin:otp_totp_totpdevice_config": ADMIN_TOTP_DEVICE_VIEW,
    "admin:otp_totp_totpdevice_qrcode": ADMIN_TOTP_DEVICE_VIEW,
}

# --- The API (/api/v1/, operation id from the OpenAPI schema -> rule) --------------------------

API_GUESTS = {"anonymous": LOGIN}
#: The caseload resources. People: ``Resident.objects.visible_to`` (own team; a break-the-glass
#: grant opens the workspace's dossier, not the API). Roles without dossier access see an empty
#: list and 404 for every id (the same answer for existing and nonexistent ids). A service
#: account sees its municipality; a key without the scope gets 403 before any lookup.
CASELOAD_LIST = {
    **API_GUESTS,
    "*": OK,
    "tokens": DENIED,
    "token:caseload:read": OK,
    "token:bound": OK,
}
CASELOAD_READ = {
    **API_GUESTS,
    "*": HIDDEN,
    "consulent": "hidden; own=ok",
    "teamleider": "hidden; own=ok",
    "superuser": "ok; missing=hidden",
    "tokens": DENIED,
    "token:caseload:read": "hidden; own=ok, other=ok",
    "token:bound": "hidden; own=ok, other=ok",
}
#: Writes, called with an empty body: whoever may write reaches validation (the write matrix
#: below checks what they may reference).
CASELOAD_CREATE = {
    **API_GUESTS,
    "*": INVALID,
    "no-dossier": DENIED,  # caseload.change_dossier, checked before the body
    "tokens": DENIED,
    "token:caseload:write": INVALID,
    "token:bound": INVALID,
}
CASELOAD_UPDATE = {
    **API_GUESTS,
    "*": HIDDEN,
    "no-dossier": DENIED,  # caseload.change_dossier, checked before the lookup
    "consulent": "hidden; own=invalid",
    "teamleider": "hidden; own=invalid",
    "superuser": "invalid; missing=hidden",
    "tokens": DENIED,
    "token:caseload:write": "hidden; own=invalid, other=invalid",
    "token:bound": "hidden; own=invalid, other=invalid",
}
#: The BSN search is a POST that only reads (``caseload:read``); a role without dossier access
#: may send it and finds nobody (its scope is empty).
CASELOAD_SEARCH = {
    **CASELOAD_CREATE,
    "no-dossier": INVALID,
    "token:caseload:write": DENIED,
    "token:caseload:read": INVALID,
}
#: Fraud investigations: the field grant ``caseload.view_fraud`` (teamleider, Handhaving);
#: service accounts hold it only through SERVICE_ACCOUNT_PERMISSIONS (empty by default).
FRAUD_DENIED = {"*": DENIED, **API_GUESTS}
FRAUD_LIST = {**FRAUD_DENIED, "teamleider": OK, "superuser": OK}
FRAUD_READ = {**FRAUD_DENIED, "teamleider": "hidden; own=ok", "superuser": "ok; missing=hidden"}
FRAUD_CREATE = {**FRAUD_DENIED, "teamleider": INVALID, "superuser": INVALID}
FRAUD_UPDATE = {
    **FRAUD_DENIED,
    "teamleider": "hidden; own=invalid",
    "superuser": "invalid; missing=hidden",
}
#: The instrument catalogue: no resident data.
CATALOGUE = {**CASELOAD_LIST}
CATALOGUE_READ = {**CASELOAD_LIST, "*": "ok; missing=hidden"}
for _token in ("token:caseload:read", "token:bound"):
    CATALOGUE_READ[_token] = "ok; missing=hidden"
#: Indicator values (aggregates), ``?municipality=<id>`` as the object. Staff in a team always
#: get their own municipality (the parameter is ignored); staff without a team choose any; a
#: key reads only its own municipality (finding 13).
INDICATOR_VALUES = {
    **API_GUESTS,
    "*": DENIED,
    "teamleider": OK,
    "manager": "ok; missing=hidden",
    "financien": "ok; missing=hidden",
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
    "token:indicators:read": "hidden; own=ok",
    "token:bound": "hidden; own=ok",
}
#: The vangnet simulator (a POST that only calculates): ``budget.view_budget`` for people and
#: for keys alike: a service account holds no budget permission by default (finding 15).
VANGNET_SIMULATE = {**API_GUESTS, "*": DENIED, "financien": INVALID, "beheer": INVALID}
VANGNET_SIMULATE["superuser"] = INVALID
#: The payments feed (issue 15): offering a file needs ``budget.view_budget`` (and a key
#: ``budget:write``); reading an import likewise, for any municipality of the deployment.
PAYMENT_IMPORT_CREATE = {**VANGNET_SIMULATE}
PAYMENT_IMPORT_READ = {
    **API_GUESTS,
    "*": DENIED,
    "financien": "ok; missing=hidden",
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
}

#: The employer services' API (issue 18): people with ``employers.view_employers`` read (the
#: account manager and beheer every municipality, a teamleider the own team's), with
#: ``employers.change_employers`` write (an empty body: 400, an update without If-Match: 428).
#: The account manager's key with ``employers:read`` reads as the account manager and writes
#: nothing (no ``employers:write``); every other key lacks an ``employers:*`` scope: 403.
EMPLOYERS_API_LIST = {
    **API_GUESTS,
    "*": DENIED,
    "accountmanager": OK,
    "teamleider": OK,
    "beheer": OK,
    "superuser": OK,
    "token:wsp:employers": OK,
}
EMPLOYERS_API_READ = {
    **API_GUESTS,
    "*": DENIED,
    "accountmanager": "ok; missing=hidden",
    "teamleider": "hidden; own=ok",
    "beheer": "ok; missing=hidden",
    "superuser": "ok; missing=hidden",
    "token:wsp:employers": "ok; missing=hidden",
}
EMPLOYERS_API_CREATE = {**API_GUESTS, "*": DENIED, "accountmanager": INVALID, "superuser": INVALID}
EMPLOYERS_API_UPDATE = {
    **API_GUESTS,
    "*": DENIED,
    "accountmanager": "invalid; missing=hidden",
    "superuser": "invalid; missing=hidden",
}

#: The matching API (issue 18). A resident's profile, consent and vacancies are dossier data:
#: ``caseload.view_dossier`` / ``change_dossier`` first (403 for every id), then the resident
#: in the API scope (own team; no break-the-glass over the API). Writes with an empty body: a
#: profile update stops at the missing If-Match (428), a consent at its missing date (400),
#: withdrawing at the missing consent (400). Keys: the scope and the person's permission both
#: (``PERSONAL_KEYS``): the consulent's ``matching:read`` key reads its team's residents and
#: writes nothing (403); the account manager's keys hold no dossier permission (403); the
#: service accounts hold no matching scope (403).
MATCHING_API_READ = {
    **API_GUESTS,
    "*": DENIED,
    "team": "hidden; own=ok",
    "glass": HIDDEN,
    "superuser": "ok; missing=hidden",
    "token:consulent:matching-read": "hidden; own=ok",
}
MATCHING_API_WRITE = {
    **MATCHING_API_READ,
    "team": "hidden; own=invalid",
    "superuser": "invalid; missing=hidden",
    "token:consulent:matching-read": DENIED,  # no matching:write
}
#: A vacancy's candidates (``matching.view_candidates``), like the page; the account manager's
#: key bound to municipality 2 finds no vacancy of municipality 1 (404, as a nonexistent id).
MATCHING_API_CANDIDATES = {
    **API_GUESTS,
    "*": DENIED,
    "accountmanager": "ok; missing=hidden",
    "teamleider": "hidden; own=ok",
    "superuser": "ok; missing=hidden",
    "token:wsp": "ok; missing=hidden",
    "token:wsp:foreign": "hidden; foreign=ok",
}
#: Proposals (``matching.propose``): the list, and a create with an empty body (400).
MATCHING_API_PROPOSE = {
    **API_GUESTS,
    "*": DENIED,
    "accountmanager": OK,
    "consulent": OK,
    "glass": OK,
    "superuser": OK,
    "token:wsp": OK,
    "token:wsp:foreign": OK,
    "token:consulent:matching-read": OK,
}
MATCHING_API_PROPOSE_CREATE = {**MATCHING_API_PROPOSE, "token:consulent:matching-read": DENIED}
for _identity in (
    "accountmanager",
    "consulent",
    "glass",
    "superuser",
    "token:wsp",
    "token:wsp:foreign",
):
    MATCHING_API_PROPOSE_CREATE[_identity] = INVALID
#: The employer's answer and placements (``matching.place``): no proposal in the matrix world.
MATCHING_API_ANSWER = {**API_GUESTS, "*": DENIED, "accountmanager": HIDDEN, "superuser": HIDDEN}
MATCHING_API_ANSWER |= {"token:wsp": HIDDEN, "token:wsp:foreign": HIDDEN}
MATCHING_API_PLACEMENTS = {**API_GUESTS, "*": DENIED, "accountmanager": OK, "superuser": OK}
MATCHING_API_PLACEMENTS |= {"token:wsp": OK, "token:wsp:foreign": OK}
MATCHING_API_PLACEMENT_CREATE = {
    **MATCHING_API_ANSWER,
    **dict.fromkeys(("accountmanager", "superuser", "token:wsp", "token:wsp:foreign"), INVALID),
}

API: dict[str, dict] = {
    "budget_vangnet_simulate_create": VANGNET_SIMULATE,
    "matching_residents_profile_retrieve": MATCHING_API_READ,
    "matching_residents_profile_partial_update": MATCHING_API_WRITE,
    "matching_residents_consents_list": MATCHING_API_READ,
    "matching_residents_consents_create": MATCHING_API_WRITE,
    "matching_residents_consents_withdraw_create": MATCHING_API_WRITE,
    "matching_residents_vacancies_list": MATCHING_API_READ,
    "matching_vacancies_candidates_list": MATCHING_API_CANDIDATES,
    "matching_proposals_list": MATCHING_API_PROPOSE,
    "matching_proposals_create": MATCHING_API_PROPOSE_CREATE,
    "matching_proposals_answer_create": MATCHING_API_ANSWER,
    "matching_placements_list": MATCHING_API_PLACEMENTS,
    "matching_placements_create": MATCHING_API_PLACEMENT_CREATE,
    "employers_employers_list": EMPLOYERS_API_LIST,
    "employers_employers_create": EMPLOYERS_API_CREATE,
    "employers_employers_retrieve": EMPLOYERS_API_READ,
    "employers_employers_partial_update": EMPLOYERS_API_UPDATE,
    "employers_vacancies_list": EMPLOYERS_API_LIST,
    "employers_vacancies_create": EMPLOYERS_API_CREATE,
    "employers_vacancies_retrieve": EMPLOYERS_API_READ,
    "employers_vacancies_partial_update": EMPLOYERS_API_UPDATE,
    "employers_vacancies_close_create": EMPLOYERS_API_UPDATE,
    "budget_betalingen_imports_create": PAYMENT_IMPORT_CREATE,
    "budget_betalingen_imports_retrieve": PAYMENT_IMPORT_READ,
    "indicators_values_retrieve": INDICATOR_VALUES,
    "caseload_instruments_list": CATALOGUE,
    "caseload_instruments_retrieve": CATALOGUE_READ,
    "caseload_residents_search_create": CASELOAD_SEARCH,
    "caseload_fraud_investigations_list": FRAUD_LIST,
    "caseload_fraud_investigations_retrieve": FRAUD_READ,
    "caseload_fraud_investigations_create": FRAUD_CREATE,
    "caseload_fraud_investigations_close_create": FRAUD_UPDATE,
    "caseload_residents_partial_update": CASELOAD_UPDATE,
    "caseload_trajectories_partial_update": CASELOAD_UPDATE,
    "caseload_applications_decide_create": CASELOAD_UPDATE,
    "caseload_debt_cases_close_create": CASELOAD_UPDATE,
}
#: Corrections and withdrawals (issue 14): people with ``caseload.correct_facts`` for their own
#: team's residents (an empty body stops at the missing If-Match, 428); API keys correct nothing.
CASELOAD_CORRECT = {**CASELOAD_UPDATE, "token:caseload:write": DENIED, "token:bound": DENIED}
for _resource in (
    "contact_moments",
    "group_assignments",
    "ladder_scores",
    "outflow_events",
    "trajectories",
):
    API[f"caseload_{_resource}_correct_create"] = CASELOAD_CORRECT
    API[f"caseload_{_resource}_withdraw_create"] = CASELOAD_CORRECT
for _resource in (
    "applications",
    "benefits",
    "contact_moments",
    "debt_cases",
    "group_assignments",
    "households",
    "ladder_scores",
    "outflow_events",
    "residents",
    "trajectories",
):
    API[f"caseload_{_resource}_list"] = CASELOAD_LIST
    API[f"caseload_{_resource}_retrieve"] = CASELOAD_READ
    if _resource != "benefits":  # benefits are opened by a granted application, not created
        API[f"caseload_{_resource}_create"] = CASELOAD_CREATE

# --- The write matrix ---------------------------------------------------------------------------
# Every create/update of the API and every form POST of the workspace, made by an identity that
# may write, with a payload (or URL) that references an object this identity may not reach:
# another team's, another municipality's, a nonexistent one. Everything else in the request is
# valid. Expected: a refusal with the same status as for the nonexistent id (the API's 400 names
# the field), nothing of the object in the answer, and no row written or changed anywhere.

#: Which kinds of object each writing identity may reference.
WRITE_REACH = {
    "consulent": ("own",),
    "teamleider": ("own",),
    "glass": ("own",),  # a grant opens the dossier; it does not widen any write
    "beheer": ("own", "other", "foreign"),  # beheer pages serve every municipality
    "token:caseload:write": ("own", "other"),  # a service account: its municipality
    "token:bound": ("own", "other"),
}
#: Wider reach for one write: a teamleider reassigns within the municipality (the UI's rule; the
#: API enforces exactly the UI's permissions per field, finding 4).
WRITE_REACH_EXTRA = {
    ("caseload_residents_partial_update", "teamleider"): ("other",),
    ("caseload:reassign", "teamleider"): ("other",),
    ("privacy:break_glass", "consulent"): ("other",),  # that is what it is for
}
#: (write, identity) -> what the request references: payload fields, or "url" for the object in
#: the URL (the resident or the record the write changes).
_API_CREATE_BY_RESIDENT = (
    "caseload_applications_create",
    "caseload_group_assignments_create",
    "caseload_trajectories_create",
    "caseload_outflow_events_create",
    "caseload_contact_moments_create",
    "caseload_ladder_scores_create",
    "caseload_debt_cases_create",
)
_API_URL_WRITES = (
    "caseload_residents_partial_update",
    "caseload_trajectories_partial_update",
    "caseload_applications_decide_create",
    "caseload_debt_cases_close_create",
)
_PAGE_URL_WRITES = (
    "caseload:dossier",  # POST "toon BSN"
    "caseload:trajectory_start",
    "caseload:trajectory_close",
    "caseload:outflow_record",
    "caseload:contact_record",
    "caseload:ladder_record",
    "caseload:group_change",
    "caseload:ww_prevention",
    "intake:intake",
    "intake:step",
    "intake:plan",
    "intake:plan_action_add",
    "registers:application_decide",  # the decision on an application in behandeling
    "registers:application_new",  # a new application of a registered resident
)
#: corrections (issue 14): a break-the-glass grant reaches none, not even the granted resident's
_CORRECTION_WRITES = ("caseload:fact_correct", "caseload:fact_withdraw")
_WRITERS = ("consulent", "token:caseload:write", "token:bound")
WRITES: dict[tuple[str, str], tuple[str, ...]] = {
    **{("caseload_residents_create", i): ("household", "team", "consulent") for i in _WRITERS},
    **{("caseload_households_create", i): ("municipality", "district") for i in _WRITERS},
    **{(op, i): ("resident",) for op in _API_CREATE_BY_RESIDENT for i in _WRITERS},
    **{(op, i): ("url",) for op in _API_URL_WRITES for i in _WRITERS},
    ("caseload_trajectories_create", "consulent"): ("resident", "instrument"),
    ("caseload_residents_partial_update", "teamleider"): ("team", "consulent"),
    ("caseload_fraud_investigations_create", "teamleider"): ("resident",),
    ("caseload_fraud_investigations_close_create", "teamleider"): ("url",),
    **{(route, "consulent"): ("url",) for route in _PAGE_URL_WRITES},
    **{(route, "glass"): ("url",) for route in _PAGE_URL_WRITES},
    **{(route, "consulent"): ("url",) for route in _CORRECTION_WRITES},
    ("caseload:trajectory_start", "consulent"): ("url", "instrument"),
    ("intake:plan_action_add", "consulent"): ("url", "plan"),
    # the application chosen in the body: another resident's is refused like a nonexistent one
    ("registers:application_decide", "consulent"): ("url", "application"),
    ("caseload:reassign", "teamleider"): ("url", "team", "consulent"),
    ("caseload:worklist", "consulent"): ("bsn",),  # the BSN search
    ("privacy:break_glass", "consulent"): ("url",),
    ("apiauth:import-create", "beheer"): ("municipality",),
    ("apiauth:token-list", "beheer"): ("municipality",),
}
#: The kinds a field can name at all (municipal fields have no "other team"; the instrument
#: catalogue only has a nonexistent id to refuse).
FIELD_KINDS = {
    "municipality": ("own", "foreign", "missing"),
    "district": ("own", "foreign", "missing"),
    "instrument": ("own", "missing"),
}


def write_cells() -> list[tuple[str, str, str, str]]:
    """(write, identity, field, kind) for every reference the identity may not make."""
    cells = []
    for (write, identity), fields in sorted(WRITES.items()):
        reach = (*WRITE_REACH[identity], *WRITE_REACH_EXTRA.get((write, identity), ()))
        for name in fields:
            for kind in FIELD_KINDS.get(name, KINDS):
                if kind not in reach:
                    cells.append((write, identity, name, kind))
    return cells


# --- Known leaks being fixed ----------------------------------------------------------------------
#: (route or operation id, identity, object kind) -> reason. ``*`` matches any. Each of these
#: cells is marked ``xfail(strict=True)``: when the fix lands the cell passes, the strict xfail
#: fails, and the entry must be removed here.
XFAIL: dict[tuple[str, str, str], str] = {}


# --- Resolution -----------------------------------------------------------------------------------


def parse(text: str) -> tuple[str, dict[str, str]]:
    """``"hidden; own=ok, other=glass"`` -> ("hidden", {"own": "ok", "other": "glass"})."""
    default, _, rest = text.partition(";")
    overrides = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        kind, _, outcome = part.partition("=")
        overrides[kind.strip()] = outcome.strip()
    return default.strip(), overrides


def expected(rule: dict, identity: str, kind: str) -> str:
    """The outcome a rule states for one identity and one object kind (``-``: no object)."""
    if identity in rule:
        text = rule[identity]
    else:
        groups = [g for g, members in GROUPS.items() if identity in members and g in rule]
        text = rule[groups[0]] if groups else rule["*"]
    default, overrides = parse(text)
    return overrides.get(kind, default)


def xfail_reason(route: str, identity: str, kind: str) -> str | None:
    for (r, i, k), reason in XFAIL.items():
        if r in (route, "*") and i in (identity, "*") and k in (kind, "*"):
            return reason
    return None
