"""Admin routes of submissions.registration (under /admin/submissions/registration/, from wagtail_hooks)."""

from django.urls import path

from . import admin_views

app_name = "registration_admin"
urlpatterns = [
    path("", admin_views.registration_list, name="list"),
    path("<int:pk>/", admin_views.registration_detail, name="detail"),
    path("dot/", admin_views.period_list, name="periods"),
    path("dot/<int:pk>/dong/", admin_views.period_close, name="period-close"),
    path("ke-hoach/", admin_views.plan_dashboard, name="plan"),
    path("ke-hoach/xlsx/", admin_views.plan_xlsx, name="plan-xlsx"),
]
