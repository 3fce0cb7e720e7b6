"""Routes of submissions.ocop.dossiers, included from ``submissions.ocop.urls`` under ``/ocop/ho-so/``."""

from django.urls import path

from submissions.ocop.dossiers import views

app_name = "ocop-dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("bat-dau/", views.dossier_start, name="start"),
]
