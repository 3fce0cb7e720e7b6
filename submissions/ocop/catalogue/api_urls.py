"""API routes of the OCOP catalogue, included from ``submissions.ocop.api_urls`` under ``/api/v1/``."""

urlpatterns = []
