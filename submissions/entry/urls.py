from django.urls import path

from submissions.entry import offline, steps, views

app_name = "submissions"

urlpatterns = [
    path("", views.submission_list, name="list"),
    path("ho-so/<int:pk>/", views.submission_form, name="form"),
    path("ho-so/<int:pk>/muc-luc/", steps.submission_contents, name="contents"),
    path("ho-so/<int:pk>/tieu-chi/<int:number>/", steps.submission_step, name="step"),
    path("ho-so/<int:pk>/kiem-tra/", steps.submission_check, name="check"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_delete, name="evidence-delete"),
    # Offline (submissions.entry.offline): the installable app and the sync of what was typed offline.
    path("sw.js", offline.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("ho-so/<int:pk>/dong-bo/", offline.sync, name="sync"),
    path("ho-so/<int:pk>/dong-bo/tep/", offline.sync_file, name="sync-file"),
]
