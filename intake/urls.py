from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("<int:resident_id>/", views.intake, name="intake"),
    path("<int:resident_id>/stap/<int:step>/", views.step, name="step"),
    path("<int:resident_id>/plan/", views.plan, name="plan"),
    path(
        "<int:resident_id>/plan/<int:plan_id>/actie/",
        views.plan_action_add,
        name="plan_action_add",
    ),
    # issue 14: an action done, the plan printed or as PDF for signature, the signed date
    path(
        "<int:resident_id>/plan/<int:plan_id>/actie-afgerond/",
        views.plan_action_done,
        name="plan_action_done",
    ),
    path(
        "<int:resident_id>/plan/<int:plan_id>/ondertekend/",
        views.plan_sign,
        name="plan_sign",
    ),
    path("<int:resident_id>/plan/<int:plan_id>/afdrukken/", views.plan_print, name="plan_print"),
    path("<int:resident_id>/plan/<int:plan_id>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:resident_id>/samenvatting/", views.intake_summary, name="summary"),
]
