"""Admin routes of submissions.consultation (under /admin/submissions/consultation/, from wagtail_hooks)."""

from django.urls import path

from submissions.consultation import admin_views

app_name = "consultation_admin"
urlpatterns: list = [
    path("", admin_views.index, name="index"),
    path("mo/<int:submission_pk>/", admin_views.open_, name="open"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/ket-thuc/", admin_views.close, name="close"),
]

# The round's satisfaction survey (helper "survey", submissions.consultation.survey_admin).
from submissions.consultation import survey_admin  # noqa: E402

urlpatterns += [
    path("survey/<int:round_pk>/", survey_admin.survey_edit, name="survey-edit"),
    path("survey/<int:round_pk>/ket-qua/", survey_admin.survey_results_view, name="survey-results"),
]
