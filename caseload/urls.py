from django.urls import path

from . import views

app_name = "caseload"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("export.csv", views.worklist_export, name="worklist_export"),
    path("inwoners/<int:resident_id>/", views.dossier, name="dossier"),
    path("inwoners/<int:resident_id>/traject/", views.trajectory_start, name="trajectory_start"),
    path(
        "inwoners/<int:resident_id>/traject/<int:trajectory_id>/afsluiten/",
        views.trajectory_close,
        name="trajectory_close",
    ),
    path("inwoners/<int:resident_id>/uitstroom/", views.outflow_record, name="outflow_record"),
    path("inwoners/<int:resident_id>/contact/", views.contact_record, name="contact_record"),
    path("inwoners/<int:resident_id>/ladder/", views.ladder_record, name="ladder_record"),
    path("inwoners/<int:resident_id>/groep/", views.group_change, name="group_change"),
    path("inwoners/<int:resident_id>/preventie-ww/", views.ww_prevention, name="ww_prevention"),
    path("inwoners/<int:resident_id>/herverdelen/", views.reassign, name="reassign"),
    path(
        "inwoners/<int:resident_id>/contactgegevens/",
        views.contact_details,
        name="contact_details",
    ),
    # issue 14: correct or withdraw a recorded fact (fact_type: caseload.corrections)
    path(
        "inwoners/<int:resident_id>/correctie/<slug:fact_type>/<int:fact_id>/corrigeren/",
        views.fact_correct,
        name="fact_correct",
    ),
    path(
        "inwoners/<int:resident_id>/correctie/<slug:fact_type>/<int:fact_id>/intrekken/",
        views.fact_withdraw,
        name="fact_withdraw",
    ),
]
