"""Routes of submissions.ocop.councils, included from ``submissions.ocop.urls`` under ``/ocop/hoi-dong/``."""

from django.urls import path

from submissions.ocop.councils import views

app_name = "councils"

urlpatterns = [
    path("", views.council_list, name="list"),
    path("dot/<int:round_pk>/lap-hoi-dong/", views.council_create, name="create"),
    path("<int:pk>/", views.council_detail, name="detail"),
    path("<int:pk>/thanh-vien/", views.member_add, name="member-add"),
    path("<int:pk>/thanh-vien/<int:member_pk>/bo/", views.member_remove, name="member-remove"),
    path("<int:pk>/thanh-vien/<int:member_pk>/chu-tich/", views.chair_set, name="chair-set"),
    path("<int:pk>/giao-ho-so/", views.assign, name="assign"),
    path("<int:pk>/ket-thuc/", views.close, name="close"),
    path("phieu-cham/", views.sheet_list, name="sheets"),
    path("phieu-cham/<int:pk>/", views.sheet_detail, name="sheet"),
    path("phieu-cham/<int:pk>/nop/", views.sheet_submit, name="sheet-submit"),
    path("phieu-cham/<int:pk>/mo-lai/", views.sheet_reopen, name="sheet-reopen"),
    path("ho-so/<int:pk>/", views.entry_detail, name="entry"),
]
