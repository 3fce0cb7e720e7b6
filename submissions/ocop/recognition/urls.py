"""Routes of submissions.ocop.recognition, included from ``submissions.ocop.urls`` under ``/ocop/``."""

from django.urls import path

from submissions.ocop.recognition import views

app_name = "ocop_recognition"

urlpatterns = [
    path("cong-nhan/", views.index, name="index"),
    path("cong-nhan/<int:round_id>/", views.round_screen, name="round"),
    path("cong-nhan/<int:round_id>/quyet-dinh/", views.recognise, name="recognise"),
    path("cong-nhan/<int:round_id>/trung-uong/", views.national, name="national"),
    path("cong-nhan/<int:round_id>/cong-khai/", views.publish, name="publish"),
    path("chung-nhan/<uuid:code>/", views.certificate_check, name="check"),
    path("chung-nhan/<uuid:code>/in/", views.certificate_print, name="print"),
    path("chung-nhan/<uuid:code>/thu-hoi/", views.revoke, name="revoke"),
]
