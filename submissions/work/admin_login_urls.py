"""Wagtail's admin login, replaced so that it sends each person to their work (a commune officer has no admin
access); included by string from ``cms/urls.py`` before Wagtail's admin URLs."""

from django.urls import path

from submissions.work import views

urlpatterns = [path("", views.AdminLoginView.as_view(), name="wagtailadmin_login")]
