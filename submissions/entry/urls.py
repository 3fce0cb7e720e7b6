from django.urls import path

from submissions.entry import views

app_name = "submissions"

urlpatterns = [
    path("", views.submission_list, name="list"),
    path("ho-so/<int:pk>/", views.submission_form, name="form"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence-delete"),
]
