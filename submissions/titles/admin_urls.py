"""Admin routes of submissions.titles (under /admin/submissions/titles/, from wagtail_hooks)."""

from django.urls import path

from . import views

app_name = "titles_admin"
urlpatterns = [
    path("", views.title_list, name="list"),
    path("nhap/", views.titles_import, name="import"),
    path("sau-sap-xep/", views.title_record_after_merger, name="merger"),
    path("<int:pk>/", views.title_detail, name="detail"),
    path("<int:pk>/thu-hoi/", views.title_revoke, name="revoke"),
    path("<int:pk>/dinh-chinh/", views.title_correct, name="correct"),
    path("<int:pk>/van-ban/<slug:which>/", views.title_document, name="document"),
]
