"""Web routes of submissions.recognition (included from cms/urls.py at ``/xet-duyet/cong-nhan/``)."""

from django.urls import path

from submissions.recognition import dossier_views, views

app_name = "recognition"

urlpatterns = [
    path("", views.awaiting, name="awaiting"),
    path("ho-so/<int:pk>/dieu-kien/", views.preconditions, name="preconditions"),
    path("ho-so/<int:pk>/dieu-kien/<str:code>/xac-nhan/", views.confirm, name="confirm"),
    path("ho-so/<int:pk>/dieu-kien/<str:code>/mien/", views.waive, name="waive"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/ho-so.zip", dossier_views.dossier_download, name="dossier"),
]
