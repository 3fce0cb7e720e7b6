"""Routes of submissions.ocop.councils, included from ``submissions.ocop.urls`` under ``/ocop/``."""

urlpatterns = []
