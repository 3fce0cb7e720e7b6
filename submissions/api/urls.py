"""Routes of the submissions API, included by string under ``/api/v1/`` (namespace ``api-v1``)."""

from django.urls import include, path

from submissions.entry import api as entry_api
from submissions.recognition import api as recognition_api
from submissions.reports import api as reports_api
from submissions.reports.jobs import api as jobs_api
from submissions.review import api as review_api
from submissions.rounds import api as rounds_api

urlpatterns = [
    path("", include("submissions.consultation.api_urls")),
    path("", include("submissions.titles.api_urls")),
    path("", include("submissions.ocop.api_urls")),
    path("rounds/", rounds_api.RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", rounds_api.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/summary/", reports_api.RoundSummaryView.as_view(), name="round-summary"),
    path("rounds/<int:pk>/results/", reports_api.RoundResultsView.as_view(), name="round-results"),
    path(
        "rounds/<int:pk>/open-data.csv",
        reports_api.RoundOpenDataView.as_view(data_format="csv"),
        name="round-open-data-csv",
    ),
    path(
        "rounds/<int:pk>/open-data.json",
        reports_api.RoundOpenDataView.as_view(data_format="json"),
        name="round-open-data-json",
    ),
    path("rounds/<int:pk>/exports/", jobs_api.RoundExportStartView.as_view(), name="round-exports"),
    path("exports/", jobs_api.ExportJobListView.as_view(), name="export-job-list"),
    path("exports/<int:pk>/", jobs_api.ExportJobDetailView.as_view(), name="export-job"),
    path("exports/<int:pk>/download/", jobs_api.ExportJobDownloadView.as_view(), name="export-job-download"),
    path("submissions/", entry_api.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", entry_api.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/values/", entry_api.SubmissionValuesView.as_view(), name="submission-values"),
    path("submissions/<int:pk>/evidence/", entry_api.SubmissionEvidenceView.as_view(), name="submission-evidence"),
    path("submissions/<int:pk>/submit/", entry_api.SubmissionSubmitView.as_view(), name="submission-submit"),
    path("review/queue/", review_api.ReviewQueueView.as_view(), name="review-queue"),
    path("review/appraise-many/", review_api.ReviewAppraiseManyView.as_view(), name="review-appraise-many"),
    path("review/forward-many/", review_api.ReviewForwardManyView.as_view(), name="review-forward-many"),
    path("review/recognise-many/", review_api.ReviewRecogniseManyView.as_view(), name="review-recognise-many"),
    path("review/publish-many/", review_api.ReviewPublishManyView.as_view(), name="review-publish-many"),
    path("review/submissions/<int:pk>/", review_api.ReviewSubmissionView.as_view(), name="review-submission"),
    path("review/submissions/<int:pk>/forward/", review_api.ReviewForwardView.as_view(), name="review-forward"),
    path("review/submissions/<int:pk>/return/", review_api.ReviewReturnView.as_view(), name="review-return"),
    path("review/submissions/<int:pk>/appraise/", review_api.ReviewAppraiseView.as_view(), name="review-appraise"),
    path("review/submissions/<int:pk>/override/", review_api.ReviewOverrideView.as_view(), name="review-override"),
    path("review/submissions/<int:pk>/recognise/", review_api.ReviewRecogniseView.as_view(), name="review-recognise"),
    path("review/submissions/<int:pk>/publish/", review_api.ReviewPublishView.as_view(), name="review-publish"),
    path(
        "review/submissions/<int:pk>/preconditions/",
        recognition_api.PreconditionListView.as_view(),
        name="review-preconditions",
    ),
    path(
        "review/submissions/<int:pk>/preconditions/<str:code>/confirm/",
        recognition_api.PreconditionConfirmView.as_view(),
        name="review-precondition-confirm",
    ),
    path(
        "review/submissions/<int:pk>/preconditions/<str:code>/waive/",
        recognition_api.PreconditionWaiveView.as_view(),
        name="review-precondition-waive",
    ),
]
