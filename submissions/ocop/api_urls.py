"""OCOP's API routes, included by ``submissions.api.urls`` under ``/api/v1/`` (namespace ``api-v1``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("submissions.ocop.councils.api_urls")),
    path("", include("submissions.ocop.catalogue.api_urls")),
]
