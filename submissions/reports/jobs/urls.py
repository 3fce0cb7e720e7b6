"""Admin URLs of background exports (under /admin/submissions/exports/), added by the app's hook."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.export_job_list, name=views.LIST_URL_NAME),
    path("<int:job_pk>/download/", views.export_job_download, name=views.DOWNLOAD_URL_NAME),
    path("round/<int:pk>/<slug:kind>/", views.export_job_start, name=views.START_URL_NAME),
]
