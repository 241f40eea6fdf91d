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
]
