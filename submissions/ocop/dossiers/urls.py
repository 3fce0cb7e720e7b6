"""Routes of submissions.ocop.dossiers, included from ``submissions.ocop.urls`` under ``/ocop/``."""

urlpatterns = []
