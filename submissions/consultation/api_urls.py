"""API routes of consultations (included under /api/v1/ by submissions/api/urls.py, namespace ``api-v1``)."""

from django.urls import path

from submissions.consultation import api

urlpatterns: list = [
    path("consultations/", api.ConsultationListView.as_view(), name="consultation-list"),
    path("consultations/<int:pk>/", api.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("consultations/<int:pk>/comments/", api.ConsultationCommentView.as_view(), name="consultation-comments"),
]
