"""Routes of submissions.ocop.recognition, included from ``submissions.ocop.urls`` under ``/ocop/``."""

urlpatterns = []
