"""API routes of the councils, included from ``submissions.ocop.api_urls`` under ``/api/v1/``."""

from django.urls import path

from submissions.ocop.councils import api

urlpatterns = [
    path("ocop/councils/", api.CouncilListView.as_view(), name="ocop-council-list"),
    path("ocop/councils/<int:pk>/", api.CouncilDetailView.as_view(), name="ocop-council-detail"),
    path("ocop/councils/<int:pk>/close/", api.CouncilCloseView.as_view(), name="ocop-council-close"),
    path("ocop/sheets/<int:pk>/", api.SheetView.as_view(), name="ocop-sheet"),
    path("ocop/sheets/<int:pk>/submit/", api.SheetSubmitView.as_view(), name="ocop-sheet-submit"),
    path("ocop/sheets/<int:pk>/reopen/", api.SheetReopenView.as_view(), name="ocop-sheet-reopen"),
]
