"""Admin routes of submissions.registration (under /admin/submissions/registration/, from wagtail_hooks)."""

app_name = "registration_admin"
urlpatterns: list = []
