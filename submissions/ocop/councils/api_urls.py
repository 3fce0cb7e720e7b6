"""API routes of the councils, included from ``submissions.ocop.api_urls`` under ``/api/v1/``."""

urlpatterns = []
