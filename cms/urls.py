from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cms.api import api_not_found
from cms.directory import api as directory_api
from criteria_pages import api as criteria_api
from submissions.entry import api as submissions_api
from submissions.reports import api as statistics_api
from submissions.review import api as review_api

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)

api_v1_patterns = [
    path("units/", directory_api.UnitListView.as_view(), name="unit-list"),
    path("units/<str:code>/", directory_api.UnitDetailView.as_view(), name="unit-detail"),
    path("editions/", directory_api.EditionListView.as_view(), name="edition-list"),
    path("criteria-sets/", criteria_api.CriteriaSetListView.as_view(), name="criteria-set-list"),
    path("criteria-sets/<int:pk>/", criteria_api.CriteriaSetDetailView.as_view(), name="criteria-set-detail"),
    path("rounds/", submissions_api.RoundListView.as_view(), name="round-list"),
    path("rounds/<int:pk>/", submissions_api.RoundDetailView.as_view(), name="round-detail"),
    path("rounds/<int:pk>/summary/", statistics_api.RoundSummaryView.as_view(), name="round-summary"),
    path("rounds/<int:pk>/results/", statistics_api.RoundResultsView.as_view(), name="round-results"),
    path("submissions/", submissions_api.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/<int:pk>/", submissions_api.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/values/", submissions_api.SubmissionValuesView.as_view(), name="submission-values"),
    path(
        "submissions/<int:pk>/evidence/", submissions_api.SubmissionEvidenceView.as_view(), name="submission-evidence"
    ),
    path("submissions/<int:pk>/submit/", submissions_api.SubmissionSubmitView.as_view(), name="submission-submit"),
    path("review/queue/", review_api.ReviewQueueView.as_view(), name="review-queue"),
    path("review/appraise-many/", review_api.ReviewAppraiseManyView.as_view(), name="review-appraise-many"),
    path("review/submissions/<int:pk>/", review_api.ReviewSubmissionView.as_view(), name="review-submission"),
    path("review/submissions/<int:pk>/forward/", review_api.ReviewForwardView.as_view(), name="review-forward"),
    path("review/submissions/<int:pk>/return/", review_api.ReviewReturnView.as_view(), name="review-return"),
    path("review/submissions/<int:pk>/appraise/", review_api.ReviewAppraiseView.as_view(), name="review-appraise"),
    path("review/submissions/<int:pk>/override/", review_api.ReviewOverrideView.as_view(), name="review-override"),
    path("review/submissions/<int:pk>/recognise/", review_api.ReviewRecogniseView.as_view(), name="review-recognise"),
    path("review/submissions/<int:pk>/publish/", review_api.ReviewPublishView.as_view(), name="review-publish"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema/ui/", SpectacularSwaggerView.as_view(url_name="api-v1:schema"), name="schema-ui"),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("danh-gia/", include("submissions.entry.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("xet-duyet/", include("submissions.review.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include((api_v1_patterns, "api-v1"))),
    path("api/v2/", api_v2.urls),
    re_path(r"^api/", api_not_found),
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving stays last: it catches every other path.
urlpatterns += [path("", include(wagtail_urls))]
