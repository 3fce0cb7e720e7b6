"""Routes of the criteria-sets API, included by string under ``/api/v1/`` (namespace ``api-v1``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("criteria-sets/", api.CriteriaSetListView.as_view(), name="criteria-set-list"),
    path("criteria-sets/<int:pk>/", api.CriteriaSetDetailView.as_view(), name="criteria-set-detail"),
]
