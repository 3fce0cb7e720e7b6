"""OCOP's screens under ``/ocop/`` (the producers' and products' own screens are ``cms.directory.products.urls``)."""

from django.urls import include, path

urlpatterns = [
    path("ho-so/", include("submissions.ocop.dossiers.urls")),  # a producer's dossiers
    path("hoi-dong/", include("submissions.ocop.councils.urls")),  # councils: office, members, chair
    path("", include("submissions.ocop.recognition.urls")),  # /ocop/cong-nhan/…, /ocop/chung-nhan/…
]
