"""The office's pages for people in Wagtail's admin (included under /admin/nguoi-dung/ by the hooks)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.people_index, name="people_index"),
    path("them/", views.people_create, name="people_create"),
    path("nhap/", views.people_import, name="people_import"),
    path("nhap/mau.xlsx", views.people_import_template, name="people_import_template"),
    path("xuat.xlsx", views.people_export, name="people_export"),
    path("thu-kich-hoat/", views.people_letters, name="people_letters"),
    path("<int:pk>/", views.people_edit, name="people_edit"),
    path("<int:pk>/phan-quyen/", views.people_membership_add, name="people_membership_add"),
    path(
        "<int:pk>/phan-quyen/<int:membership_pk>/thu-hoi/",
        views.people_membership_remove,
        name="people_membership_remove",
    ),
    path("<int:pk>/khoa/", views.people_deactivate, name="people_deactivate"),
    path("<int:pk>/mo-lai/", views.people_reactivate, name="people_reactivate"),
    path("<int:pk>/moi/", views.people_invite, name="people_invite"),
    path("<int:pk>/thu-kich-hoat/", views.people_letter, name="people_letter"),
]
