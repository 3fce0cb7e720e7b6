"""Routes of the directory API, included by string under ``/api/v1/`` (namespace ``api-v1``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("units/", api.UnitListView.as_view(), name="unit-list"),
    path("units/<str:code>/", api.UnitDetailView.as_view(), name="unit-detail"),
    path("editions/", api.EditionListView.as_view(), name="edition-list"),
]
