from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cms.api import PagesAPIViewSet, api_not_found
from cms.media import media_serve
from cms.security.views import LogoutView

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)

# Each app owns its API routes; they share the ``api-v1`` namespace (``api-v1:unit-list``, ...).
api_v1_patterns = [
    path("", include("cms.directory.api_urls")),
    path("", include("criteria_pages.api_urls")),
    path("", include("submissions.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves the viewer's initialising script as a file (?script): no inline script to allow.
    path(
        "schema/ui/",
        SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema", template_name="api/schema_ui.html"),
        name="schema-ui",
    ),
]

urlpatterns = [
    path("healthz/", include("cms.health")),  # load balancers and monitoring: no login, never cached
    # Wagtail's admin login, sending each person to their work (a commune officer has no admin access).
    path("admin/login/", include("submissions.work.admin_login_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    # Logging out also clears what the commune form kept on the phone (Clear-Site-Data).
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("", include("cms.people.urls")),  # /kich-hoat/… (activation), /quen-mat-khau/… (password reset)
    path("xac-thuc-hai-buoc/", include("cms.security.urls")),
    path("danh-gia/", include("submissions.entry.urls")),
    path("cong-viec/", include("submissions.work.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("xet-duyet/", include("submissions.review.urls")),
    path("xet-duyet/cong-nhan/", include("submissions.recognition.urls")),  # preconditions, dossier
    path("danh-hieu/", include("submissions.titles.urls")),
    path("dang-ky-danh-hieu/", include("submissions.registration.urls")),  # the commune registers its target
    path("lay-y-kien/", include("submissions.consultation.urls")),  # public comments, survey; commune answers
    path("ocop/", include("cms.directory.products.urls")),  # producers register themselves and their products
    path("ocop/", include("submissions.ocop.urls")),  # dossiers, councils, decisions, certificates
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

# Wagtail's images from the media storage (the disk, or the private bucket: cms.media); nginx may serve MEDIA_ROOT
# itself in front of this on a one-machine install.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media_serve, name="media")]

# Wagtail's page serving stays last: it catches every other path.
urlpatterns += [path("", include(wagtail_urls))]

# What Django answers itself: JSON in the project's error shape under /api/, the HTML pages elsewhere.
handler400 = "cms.api.bad_request"
handler403 = "cms.api.permission_denied"
handler404 = "cms.api.page_not_found"
handler500 = "cms.api.server_error"
