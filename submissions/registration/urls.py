"""Web routes of submissions.registration (included from cms/urls.py at ``dang-ky-danh-hieu/``)."""

from django.urls import path

from . import views

app_name = "registration"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("dot/<int:period_pk>/dang-ky/", views.registration_create, name="create"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("tep/<int:pk>/", views.registration_file, name="file"),
]
