"""API routes of consultations (included under /api/v1/ by submissions/api/urls.py, namespace ``api-v1``)."""

urlpatterns: list = []
