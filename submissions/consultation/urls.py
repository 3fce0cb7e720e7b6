"""Web routes of submissions.consultation (included from cms/urls.py under ``/lay-y-kien/``)."""

from django.urls import path

from submissions.consultation import views

app_name = "consultation"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("<int:pk>/gop-y/", views.comment_post, name="comment"),
    path("y-kien/<int:pk>/duyet/", views.comment_moderate, name="moderate"),
    path("y-kien/<int:pk>/tra-loi/", views.comment_answer, name="answer"),
]

# The satisfaction survey (helper "survey", submissions.consultation.survey_views): residents answer online during the
# consultation (no account, no CSRF token: the form sits on cached pages); the commune enters its paper tally.
from submissions.consultation import survey_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/khao-sat/", survey_views.survey_answer, name="survey-answer"),
    path("phieu-giay/", survey_views.paper_tally_list, name="paper-tallies"),
    path("phieu-giay/<int:pk>/", survey_views.paper_tally_edit, name="paper-tally"),
    path("phieu-giay/tep/<int:pk>/", survey_views.paper_file_download, name="paper-file"),
    path("phieu-giay/tep/<int:pk>/xoa/", survey_views.paper_file_delete, name="paper-file-delete"),
]
