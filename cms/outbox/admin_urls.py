"""The outbox's admin pages (included under /admin/thu-thong-bao/ by the hooks)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notices_index, name="outbox_index"),
    path("<int:pk>/gui-lai/", views.notice_resend, name="outbox_resend"),
]
