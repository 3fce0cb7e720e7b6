"""API routes of the OCOP catalogue, included from ``submissions.ocop.api_urls`` under ``/api/v1/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("ocop/products/", api.CatalogueListView.as_view(), name="ocop-product-list"),
    path("ocop/products/<int:pk>/", api.CatalogueDetailView.as_view(), name="ocop-product-detail"),
]
